"""Thin views: authorise, build the report with its selector and render it as a page; its files (the PDF,
the data as Excel or CSV) are prepared by a worker and served as they were prepared."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounting.models import FiscalYear, Fund
from accounting.permissions import can_open_fund
from reports import permissions, selectors, services
from reports.models import FileFormat, PreparedReport, ReportArchive, ReportKind


def _not_found(request, message: str) -> HttpResponse:
    return render(request, "reports/not_found.html", {"message": message}, status=404)


def _fund(request, slug) -> Fund | None:
    if not permissions.can_view_reports(request.user):
        return None
    return Fund.objects.filter(slug=slug).first()


def _fund_missing(request, slug) -> HttpResponse:
    return _not_found(request, _("Det finns ingen fond ”%(slug)s” som du kan se.") % {"slug": slug[:40]})


def dashboard(request):
    if not permissions.can_view_reports(request.user):
        return _not_found(request, _("Du har inte tillgång till årsrapporterna."))
    funds = list(Fund.objects.order_by("opened_on", "id"))
    fund = next((f for f in funds if f.slug == request.GET.get("fond")), funds[0] if funds else None)
    years = list(FiscalYear.objects.filter(fund=fund).order_by("-year")) if fund else []
    report = selectors.balance_report(fund, years[0].year, all_years=years) if years else None
    return render(
        request,
        "reports/dashboard.html",
        {
            "funds": funds,
            "fund": fund,
            "years": years,
            "report": report,
            "can_open_fund": not funds and can_open_fund(request.user),
        },
    )


def balance_report(request, slug, year):
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    try:
        report = selectors.balance_report(fund, year)
    except selectors.ReportNotFound as exc:
        return _not_found(request, str(exc))
    return render(
        request,
        "reports/balance_report.html",
        {
            "fund": fund,
            "report": report,
            **_files_context(ReportKind.BALANCE, fund, year, report),
            "can_export": permissions.can_export_balance_report(request.user, fund),
        },
    )


def _files_context(kind: str, fund: Fund, year: int, report) -> dict:
    """The state of the report's files, in one query: `archived` (the final report's PDF once issued),
    `issue_pending` (its issue job waits or runs), `prepared` (the preliminary PDF; none for a final
    report, whose PDF is archived) and `data_files` (Excel and CSV, for every year)."""
    files = selectors.report_files(kind=kind, fund=fund, year=year)
    states = files.states
    return {
        "archived": files.archived,
        "issue_pending": report.is_final and files.archived is None and files.issue_pending,
        "prepared": None if report.is_final else states[FileFormat.PDF],
        "data_files": [
            (fmt, FileFormat(fmt).label, states[fmt]) for fmt in (FileFormat.XLSX, FileFormat.CSV)
        ],
    }


def _file_response(document: ReportArchive | PreparedReport) -> HttpResponse:
    content_type = getattr(document, "content_type", "application/pdf")
    response = HttpResponse(bytes(document.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["X-Content-SHA256"] = document.sha256
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _detail(kind: str) -> str:
    return "reports:balance-detail" if kind == ReportKind.BALANCE else "reports:outcome-detail"


def _report_file(request, slug, year, kind, fmt=FileFormat.PDF):
    """GET, and so writes and renders nothing: the archived PDF of a final report once it is issued; the
    prepared PDF of a preliminary report, or the report's data as Excel or CSV, while the ledger is as it
    was when it was prepared (never a stale one). Otherwise a clear 404: the report's page issues or
    prepares it."""
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    archived = fmt == FileFormat.PDF and services.report_archived(kind=kind, fund=fund, year=year)
    if archived:
        return _file_response(archived)
    fiscal_year = FiscalYear.objects.filter(fund=fund, year=year).first()
    if fiscal_year is None:
        return _not_found(
            request,
            _("Fonden %(fund)s har inget verksamhetsår %(year)s.") % {"fund": fund.name, "year": year},
        )
    if fmt == FileFormat.PDF and not fiscal_year.is_open:
        return _not_found(request, _("Den slutliga rapporten är inte utfärdad än."))
    state = selectors.prepared_report_state(kind=kind, fund=fund, year=year, fmt=fmt)
    # filter().first(): a newer one may have replaced it (retention) between the two queries
    prepared = PreparedReport.objects.filter(pk=state.prepared_id).first() if state.prepared_id else None
    if prepared is None:
        if fmt == FileFormat.PDF:
            message = _("Ingen aktuell preliminär PDF är framtagen. Ta fram den på rapportens sida.")
        else:
            message = _("Ingen aktuell fil med rapportens data är framtagen. Ta fram den på rapportens sida.")
        return _not_found(request, message)
    prepared.fund = fund
    return _file_response(prepared)


@require_POST
def _report_prepare(request, slug, year, kind):
    """Whoever may read the report asks for one of its files (`format`: the preliminary PDF, or the data
    as Excel or CSV); a worker renders it, and the report's page offers it when it is ready."""
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    fmt = request.POST.get("format") or FileFormat.PDF
    try:
        services.report_prepare_request(kind=kind, fund=fund, year=year, user=request.user, fmt=fmt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("PDF:en tas fram. Den finns att hämta här när den är klar.")
            if fmt == FileFormat.PDF
            else _("Rapportens data som %(format)s tas fram. Den finns att hämta här när den är klar.")
            % {"format": FileFormat(fmt).label},
        )
    return redirect(_detail(kind), slug=fund.slug, year=year)


@require_POST
def _report_issue(request, slug, year, kind):
    """Those who may issue the final report of a closed year ask for it; a worker renders and archives
    it, and the report's page offers it when it is ready."""
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    try:
        services.report_issue_request(kind=kind, fund=fund, year=year, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rapporten utfärdas. Den finns att hämta här när den är klar."))
    return redirect(_detail(kind), slug=fund.slug, year=year)


def balance_report_pdf(request, slug, year):
    return _report_file(request, slug, year, ReportKind.BALANCE)


def balance_report_prepare(request, slug, year):
    return _report_prepare(request, slug, year, ReportKind.BALANCE)


def balance_report_issue(request, slug, year):
    return _report_issue(request, slug, year, ReportKind.BALANCE)


def balance_report_data(request, slug, year, fmt):
    return _report_file(request, slug, year, ReportKind.BALANCE, fmt)


def archive_list(request):
    if not permissions.can_view_archive(request.user):
        return _not_found(request, _("Du har inte tillgång till arkiverade rapporter."))
    archives = (
        ReportArchive.objects.filter(is_final=True).select_related("fund", "created_by").defer("content")
    )
    return render(request, "reports/archive_list.html", {"archives": archives})


def archive_download(request, pk):
    if not permissions.can_view_archive(request.user):
        return _not_found(request, _("Du har inte tillgång till arkiverade rapporter."))
    visible = (
        ReportArchive.objects.all()
        if permissions.can_view_reports(request.user)
        else (ReportArchive.objects.filter(is_final=True))
    )
    return _file_response(get_object_or_404(visible, pk=pk))


# --- VRAG's outcome report ------------------------------------------------------------------------


def outcome_report(request, slug, year):
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    try:
        report = selectors.outcome_report(fund, year)
    except selectors.ReportNotFound as exc:
        return _not_found(request, str(exc))
    return render(
        request,
        "reports/outcome_report.html",
        {
            "fund": fund,
            "report": report,
            **_files_context(ReportKind.OUTCOME, fund, year, report),
            "can_export": permissions.can_export_outcome_report(request.user, fund),
        },
    )


def outcome_report_pdf(request, slug, year):
    return _report_file(request, slug, year, ReportKind.OUTCOME)


def outcome_report_prepare(request, slug, year):
    return _report_prepare(request, slug, year, ReportKind.OUTCOME)


def outcome_report_issue(request, slug, year):
    return _report_issue(request, slug, year, ReportKind.OUTCOME)


def outcome_report_data(request, slug, year, fmt):
    return _report_file(request, slug, year, ReportKind.OUTCOME, fmt)
