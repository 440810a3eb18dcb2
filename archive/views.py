"""Thin views: the archive packages (finance, the secretariat, auditors) and the public check of a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import permissions, selectors, services
from archive.forms import FiscalYearPackageForm, InitiativePackageForm, VerifyForm
from archive.models import ArchivePackage, PackageKind, PackageStatus
from core import uploads
from core.client import client_ip
from core.seal import seal_configured


def _packages_page(request, *, initiative_form=None, year_form=None, status=200):
    if not permissions.can_view_archive_packages(request.user):
        raise PermissionDenied
    can_export = permissions.can_export_archive(request.user)
    return render(
        request,
        "archive/package_list.html",
        {
            "packages": selectors.package_list(),
            "can_export": can_export,
            "initiative_form": initiative_form or (InitiativePackageForm() if can_export else None),
            "year_form": year_form or (FiscalYearPackageForm() if can_export else None),
        },
        status=status,
    )


def package_list(request):
    return _packages_page(request)


def _package_request(request, kind: str, form_class, form_name: str):
    if not permissions.can_view_archive_packages(request.user):
        raise PermissionDenied
    if not permissions.can_export_archive(request.user):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        fiscal_year = form.cleaned_data.get("fiscal_year")
        try:
            services.package_request(
                kind=kind,
                user=request.user,
                initiative=form.cleaned_data.get("initiative"),
                fund=fiscal_year.fund if fiscal_year else None,
                year=fiscal_year.year if fiscal_year else None,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Arkivpaketet skapas i bakgrunden. Uppdatera sidan om en stund."))
            return redirect("archive:package-list")
    return _packages_page(request, **{form_name: form}, status=400)


@require_POST
def package_request_initiative(request):
    return _package_request(request, PackageKind.INITIATIVE, InitiativePackageForm, "initiative_form")


@require_POST
def package_request_fiscal_year(request):
    return _package_request(request, PackageKind.FISCAL_YEAR, FiscalYearPackageForm, "year_form")


def package_download(request, pk):
    if not permissions.can_view_archive_packages(request.user):
        raise PermissionDenied
    package = get_object_or_404(ArchivePackage, pk=pk, status=PackageStatus.READY)
    return uploads.file_response(file=package.file, name=package.filename, content_type="application/zip")


# Checks per client address in ten minutes: a 20 MB PDF costs a second of seal validation, and the page
# is open to anyone. Counted in the cache (per process with the default local-memory cache).
VERIFY_LIMIT = 60
VERIFY_WINDOW = 600


def _verify_throttled(request) -> bool:
    key = f"archive-verify:{client_ip(request)}"
    cache.add(key, 0, timeout=VERIFY_WINDOW)
    try:
        return cache.incr(key) > VERIFY_LIMIT
    except ValueError:  # expired between add and incr
        return False


@login_not_required
def verify(request):
    """Anyone may check a PDF: is it a copy of a document in DGR's archive, and is its seal intact and
    made with the region's certificate? The file is read, never stored (a POST that changes nothing)."""
    verdict = None
    status = 200
    throttled = request.method == "POST" and _verify_throttled(request)
    form = VerifyForm(request.POST or None, request.FILES or None) if not throttled else VerifyForm()
    if throttled:
        status = 429
    elif request.method == "POST":
        if form.is_valid():
            verdict = selectors.document_verdict(form.cleaned_data["file"].read())
        else:
            status = 400
    return render(
        request,
        "archive/verify.html",
        {"form": form, "verdict": verdict, "throttled": throttled, "seal_configured": seal_configured()},
        status=status,
    )
