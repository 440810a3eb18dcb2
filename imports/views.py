"""Thin views: the templates, the upload (which queues the dry run), the record's page with its progress
and report, the progress as JSON for the page's polling, and the request for the real run."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imports import forms, permissions, selectors, services, workbook
from imports.kinds import SPECS
from imports.models import Import, ImportKind
from people.models import Party

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def import_list(request):
    _require(permissions.can_import(request.user))
    form = forms.UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.import_receive(
                kind=form.cleaned_data["kind"],
                fund=form.cleaned_data["fund"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Filen är uppladdad och provkörs nu. Sidan visar hur det går."))
            return redirect(record)
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "imports": selectors.import_list(request.user)[:50],
            "templates": selectors.template_links(request.user),
        },
    )


def template_download(request, kind):
    if kind not in SPECS or not permissions.can_import_kind(request.user, kind):
        raise Http404
    parties = list(Party.objects.active().in_swedish_order())
    response = HttpResponse(workbook.template_bytes(kind, parties), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dgr-importmall-{kind}.xlsx"'
    return response


def _visible(request, pk) -> Import:
    return get_object_or_404(Import.objects.visible_to(request.user).select_related("fund"), pk=pk)


def import_detail(request, pk):
    record = _visible(request, pk)
    return render(
        request,
        "imports/import_detail.html",
        {
            "record": record,
            "state": selectors.import_state(record),
            "can_run": permissions.can_run_import(request.user, record),
            "kinds": ImportKind,
        },
    )


@require_GET
def import_progress(request, pk):
    """The progress of the import's job, for the page's script (static/js/import-progress.js): it shows
    `text` in the page's status region and reloads the page for the result when `running` turns false.
    Whoever may read the import may follow it; a GET, so it only reads."""
    record = _visible(request, pk)
    state = selectors.import_state(record)
    return JsonResponse(
        {
            "running": state.running,
            "status": record.status,
            "step": state.step,
            "done": state.done,
            "total": state.total,
            "text": state.text,
        }
    )


@require_POST
def import_run(request, pk):
    record = get_object_or_404(Import.objects.visible_to(request.user), pk=pk)
    _require(permissions.can_import_kind(request.user, record.kind))
    try:
        started = services.import_run_request(record=record, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(record)
    if started:
        messages.success(request, _("Importen har startat. Sidan visar hur det går."))
    else:
        messages.info(request, _("Importen av filen pågår redan; den körs inte en gång till."))
    return redirect(record)
