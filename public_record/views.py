"""The public pages: no login, Swedish, the same page for everyone (no user, no form, no CSRF token), so
each is cached whole on the server for DGR_PUBLIC_CACHE_SECONDS (Django's per-view cache).

Why the per-view cache and not conditional GET (ETag/Last-Modified): what a page shows changes with the
ledger, the minutes, the initiatives and the reports, so a correct validator would have to ask the
database for the newest change in several tables on every request — nearly the page's own cost. A
cached page costs no query at all, and a public record a couple of minutes late is no harm. The browser
still gets `Cache-Control: no-store` from core.middleware.NeverCacheMiddleware, as every DGR response:
a logged-in reader's session cookie then never sits in a shared cache.
"""

from functools import wraps
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from core import retention
from core.language import in_swedish
from core.pdf import pdf_download, render_pdf
from council.sealing import EXCERPT_TEMPLATE, MINUTES_TEMPLATE, meeting_date, sealed_copy_content
from public_record import exports, selectors
from public_record.privacy import personal_data_register


def public_view(view):
    """Open to anonymous readers (exempt from LoginRequiredMiddleware), read only (GET and HEAD: a POST
    is answered 405, not served the page as if it had done something) and cached on the server."""

    @login_not_required
    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with in_swedish():
            return cache_page(settings.DGR_PUBLIC_CACHE_SECONDS, key_prefix="public")(view)(
                request, *args, **kwargs
            )

    return wrapper


def _page(request, template: str, context: dict | None = None) -> HttpResponse:
    return render(
        request,
        template,
        {**(context or {}), "licence": selectors.LICENCE, "licence_url": selectors.LICENCE_URL},
    )


@public_view
def index(request):
    return _page(request, "public/index.html")


@public_view
def fund(request):
    return _page(request, "public/fund.html", {"funds": selectors.funds_now()})


@public_view
def initiative_list(request):
    return _page(request, "public/initiative_list.html", {"initiatives": selectors.initiatives_decided()})


@public_view
def initiative_detail(request, year, serial):
    public, positions = selectors.initiative_public(year=year, serial=serial)
    return _page(request, "public/initiative_detail.html", {"public": public, "positions": positions})


@public_view
def position_list(request):
    return _page(request, "public/position_list.html", {"positions": selectors.positions()})


@public_view
def meeting_list(request):
    return _page(request, "public/meeting_list.html", {"meetings": selectors.meetings_published()})


@public_view
def notice_detail(request, pk):
    meeting, titles = selectors.notice(pk=pk)
    return _page(request, "public/notice_detail.html", {"meeting": meeting, "titles": titles})


@public_view
def minutes_detail(request, pk):
    return _page(request, "public/minutes_detail.html", {"page": selectors.minutes(pk=pk)})


@public_view
def paragraph_detail(request, body, year, number):
    page, view = selectors.minutes_paragraph(body=body, year=year, number=number)
    return _page(request, "public/paragraph_detail.html", {"page": page, "view": view})


def _pdf(request, template: str, context: dict, filename: str, *, paragraph: int | None) -> HttpResponse:
    """The minutes and excerpts: the one sealed copy the worker made when they were signed, the same file
    DGR's own pages hand out (council/sealing.py). Until it is made, as council prints them (council/pdf/),
    unsealed with a line saying so, and not cached (the sealed copy follows in seconds). An excerpt is
    certified by the minutes' secretary, or else by the logged-in reader who prints it: here the reader is
    anonymous, so "DGR" certifies it (no reader's name is ever printed)."""
    sealed = sealed_copy_content(meeting=context["meeting"], paragraph=paragraph)
    if sealed is not None:
        return pdf_download(sealed, filename)
    issuer = SimpleNamespace(user=SimpleNamespace(get_full_name="", username="DGR"))
    html = render_to_string(
        template, {**context, "request": issuer, "seal_pending": True, "generated_at": timezone.localtime()}
    )
    response = pdf_download(render_pdf(html, base_url=request.build_absolute_uri("/")), filename)
    patch_cache_control(response, max_age=0, private=True)
    return response


def _stem(meeting) -> str:
    return f"{meeting.body.slug}-{meeting_date(meeting)}"


@public_view
def minutes_pdf(request, pk):
    page = selectors.minutes(pk=pk)
    return _pdf(
        request,
        MINUTES_TEMPLATE,
        {"page": page, "meeting": page.meeting, "opening": page.opening},
        f"protokoll-{_stem(page.meeting)}.pdf",
        paragraph=None,
    )


@public_view
def paragraph_pdf(request, body, year, number):
    page, view = selectors.minutes_paragraph(body=body, year=year, number=number)
    return _pdf(
        request,
        EXCERPT_TEMPLATE,
        {"page": page, "meeting": page.meeting, "view": view},
        f"protokollsutdrag-{body}-{year}-{number}.pdf",
        paragraph=number,
    )


@public_view
def report_list(request):
    return _page(request, "public/report_list.html", {"reports": selectors.reports_final()})


@public_view
def report_download(request, pk):
    report = selectors.report_final(pk=pk)
    response = pdf_download(bytes(report.content), report.filename)
    response["X-Content-SHA256"] = report.sha256
    return response


@public_view
def agreement(request):
    return _page(request, "public/agreement.html", {"status": selectors.agreement()})


@public_view
def data(request):
    return _page(request, "public/data.html", {"datasets": exports.DATASETS})


@public_view
def dataset_csv(request, name):
    return exports.dataset_csv(name)


@public_view
def privacy(request):
    return _page(request, "public/privacy.html", {"retention_rules": retention.rules()})


@public_view
def personal_data(request):
    return _page(
        request,
        "public/personal_data.html",
        {"register": personal_data_register(retention.rules()), "retention_rules": retention.rules()},
    )
