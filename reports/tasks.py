"""Background work of the reports: issuing a final annual report (render, then archive).

Rendering the PDF of a year with 2 000 initiatives takes 20–45 s and some 330 MiB: in a worker, not in a
web request. One job per report at a time (queueing lock); `report_issue` returns the archived row when
a job finds the report already issued. A preliminary report's PDF, and a report's data as Excel or CSV,
are prepared the same way (`report_prepare_preliminary`), one job per report, format and data version.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from accounting.models import Fund
from core.history import acting_as
from core.seal import seal_pdf
from reports import exports, selectors
from reports.models import FileFormat, ReportKind
from reports.rendering import render_balance_pdf, render_outcome_pdf
from reports.services import report_issue, report_prepare

BUILDERS = {
    ReportKind.BALANCE: (selectors.balance_report, render_balance_pdf),
    ReportKind.OUTCOME: (selectors.outcome_report, render_outcome_pdf),
}
DATA_ROWS = {ReportKind.BALANCE: exports.balance_rows, ReportKind.OUTCOME: exports.outcome_rows}
DATA_WRITERS = {FileFormat.XLSX: exports.xlsx_bytes, FileFormat.CSV: exports.csv_bytes}


@app.task(name="reports.report_issue_final", queue="reports", retry=RetryStrategy(max_attempts=3, wait=30))
def report_issue_final(*, kind: str, fund_id: int, year: int, user_id: int) -> int:
    """Render and archive the final report; returns the archive row's id. The acting user is the one who
    asked for it (in the archive and its history)."""
    fund = Fund.objects.get(pk=fund_id)
    user = get_user_model().objects.get(pk=user_id)
    build, render = BUILDERS[ReportKind(kind)]
    report = build(fund, year)
    # The base only resolves our own static files (core.pdf's fetcher reads them from disk).
    base_url = (settings.DGR_BASE_URL or "http://localhost").rstrip("/") + "/"
    with acting_as(user, "rapport utfärdad"):
        archive = report_issue(
            kind=kind,
            fund=fund,
            year=year,
            is_final=report.is_final,
            # Sealed before it is archived: the archive's SHA-256 is that of the sealed file (issue 14).
            render=lambda: seal_pdf(
                render(report, base_url=base_url), reason=f"Slutlig {ReportKind(kind).label.lower()} {year}"
            ),
            user=user,
        )
    return archive.pk


@app.task(
    name="reports.report_prepare_preliminary", queue="reports", retry=RetryStrategy(max_attempts=3, wait=30)
)
def report_prepare_preliminary(
    *, kind: str, fund_id: int, year: int, user_id: int, fmt: str = FileFormat.PDF
) -> int | None:
    """Render a report's file for the current data version and keep it (PreparedReport): a preliminary
    PDF, or the data as Excel or CSV; returns its id. The acting user is the one whose request queued the
    job."""
    fund = Fund.objects.get(pk=fund_id)
    user = get_user_model().objects.get(pk=user_id)
    build, render_pdf = BUILDERS[ReportKind(kind)]
    base_url = (settings.DGR_BASE_URL or "http://localhost").rstrip("/") + "/"

    def render(report) -> bytes:
        if fmt == FileFormat.PDF:
            return render_pdf(report, base_url=base_url)
        return DATA_WRITERS[fmt](DATA_ROWS[kind](report))

    with acting_as(user, "rapportfil framtagen"):
        prepared = report_prepare(
            kind=kind, fund=fund, year=year, build=build, render=render, user=user, fmt=fmt
        )
    return prepared.pk if prepared else None
