"""Thin views: authorise, build the report with its selector, render it as a page, PDF, Excel or CSV."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from accounting.models import FiscalYear, Fund
from reports import exports, permissions, selectors, services
from reports.models import ReportArchive, ReportKind
from reports.rendering import render_balance_pdf, render_outcome_pdf


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
        {"funds": funds, "fund": fund, "years": years, "report": report},
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
            "archived": services.report_archived(kind=ReportKind.BALANCE, fund=fund, year=year),
            "can_export": permissions.can_export_balance_report(request.user, fund),
        },
    )


def _pdf_response(archive: ReportArchive) -> HttpResponse:
    response = HttpResponse(bytes(archive.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{archive.filename}"'
    response["X-Content-SHA256"] = archive.sha256
    return response


def balance_report_pdf(request, slug, year):
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    archived = services.report_archived(kind=ReportKind.BALANCE, fund=fund, year=year)
    if archived:
        return _pdf_response(archived)
    try:
        report = selectors.balance_report(fund, year)
    except selectors.ReportNotFound as exc:
        return _not_found(request, str(exc))
    archive = services.report_issue(
        kind=ReportKind.BALANCE,
        fund=fund,
        year=year,
        is_final=report.is_final,
        render=lambda: render_balance_pdf(report, base_url=request.build_absolute_uri("/")),
        user=request.user,
    )
    return _pdf_response(archive)


def balance_report_data(request, slug, year, fmt):
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    try:
        report = selectors.balance_report(fund, year)
    except selectors.ReportNotFound as exc:
        return _not_found(request, str(exc))
    rows = exports.balance_rows(report)
    stem = f"balansrapport-{fund.slug}-{year}"
    return exports.csv_response(rows, stem) if fmt == "csv" else exports.xlsx_response(rows, stem)


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
    return _pdf_response(get_object_or_404(visible, pk=pk))


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
            "archived": services.report_archived(kind=ReportKind.OUTCOME, fund=fund, year=year),
            "can_export": permissions.can_export_outcome_report(request.user, fund),
        },
    )


def outcome_report_pdf(request, slug, year):
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    archived = services.report_archived(kind=ReportKind.OUTCOME, fund=fund, year=year)
    if archived:
        return _pdf_response(archived)
    try:
        report = selectors.outcome_report(fund, year)
    except selectors.ReportNotFound as exc:
        return _not_found(request, str(exc))
    archive = services.report_issue(
        kind=ReportKind.OUTCOME,
        fund=fund,
        year=year,
        is_final=report.is_final,
        render=lambda: render_outcome_pdf(report, base_url=request.build_absolute_uri("/")),
        user=request.user,
    )
    return _pdf_response(archive)


def outcome_report_data(request, slug, year, fmt):
    fund = _fund(request, slug)
    if fund is None:
        return _fund_missing(request, slug)
    try:
        report = selectors.outcome_report(fund, year)
    except selectors.ReportNotFound as exc:
        return _not_found(request, str(exc))
    rows = exports.outcome_rows(report)
    stem = f"utfallsrapport-{fund.slug}-{year}"
    return exports.csv_response(rows, stem) if fmt == "csv" else exports.xlsx_response(rows, stem)
