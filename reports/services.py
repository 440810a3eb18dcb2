"""Writes of the reports app: issuing a final report PDF into the archive.

A final report (a closed year) is issued by an explicit request of those who may (finance the balance
report, the secretariat the outcome report): `report_issue_request` queues a job (reports/tasks.py),
which renders it once — a PDF of 2 000 initiatives takes tens of seconds, too long for a web request —
and archives it with its SHA-256 checksum; asking again returns the stored row, so the report shown later
is byte for byte the one issued.

A preliminary report (an open year) is never archived. Whoever may read it asks for its PDF
(`report_prepare_request`): one job per report and data version renders it (`report_prepare`) into a
PreparedReport, which the report's page offers while the data version is current; downloading it writes
nothing (a GET changes nothing). A report's data as Excel or CSV (of any year) is prepared the same way:
building the figures of 2 000 initiatives takes seconds, too long for a web request. Retention: storing a
prepared file deletes the older ones of the same report and format, so at most one per kind, format, fund
and year is kept (a stale one is never served anyway).
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from procrastinate.exceptions import AlreadyEnqueued

from accounting.models import Fund
from people.models import User
from reports import permissions, selectors
from reports.models import FileFormat, PreparedReport, ReportArchive, ReportKind

CAN_ISSUE = {
    ReportKind.BALANCE: permissions.can_export_balance_report,
    ReportKind.OUTCOME: permissions.can_export_outcome_report,
}


def report_archived(*, kind: str, fund: Fund, year: int) -> ReportArchive | None:
    return ReportArchive.objects.filter(kind=kind, fund=fund, year=year, is_final=True).first()


def report_issue(*, kind: str, fund: Fund, year: int, is_final: bool, render, user: User) -> ReportArchive:
    """The archived PDF of a report: the stored one for a final report already issued, else `render()`'s
    bytes, stored with their checksum. `render` is a callable returning PDF bytes (rendering happens
    outside the lock; only the insert is in the transaction)."""
    if not CAN_ISSUE[kind](user, fund):
        raise PermissionDenied
    if is_final and (existing := report_archived(kind=kind, fund=fund, year=year)):
        return existing
    content = render()
    archive = ReportArchive(
        kind=kind,
        fund=fund,
        year=year,
        is_final=is_final,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        created_by=user,
    )
    archive.full_clean()
    archive._history_user = user
    archive._change_reason = "rapport utfärdad"
    try:
        with transaction.atomic():
            archive.save()
    except IntegrityError:  # two requests issued the same final report at once: the first one stands
        if is_final and (existing := report_archived(kind=kind, fund=fund, year=year)):
            return existing
        raise
    return archive


def report_issue_lock(*, kind: str, fund: Fund, year: int) -> str:
    """The queueing lock of a report's issue job: while one waits, a second request joins it."""
    return f"report-issue:{kind}:{fund.pk}:{year}"


@transaction.atomic
def report_issue_request(*, kind: str, fund: Fund, year: int, user: User) -> None:
    """Ask for the final report of a closed year to be issued and archived, in the background. Does
    nothing when it is archived already or its job is already waiting."""
    from reports.tasks import report_issue_final

    if not CAN_ISSUE[kind](user, fund):
        raise PermissionDenied
    if not fund.fiscal_years.filter(year=year, status="closed").exists():
        raise ValidationError(_("Bara ett stängt verksamhetsårs rapport kan utfärdas som slutlig."))
    if report_archived(kind=kind, fund=fund, year=year):
        return
    try:
        with transaction.atomic():  # a savepoint: the lock's refusal must not end the caller's transaction
            lock = report_issue_lock(kind=kind, fund=fund, year=year)
            report_issue_final.configure(queueing_lock=lock).defer(
                kind=kind, fund_id=fund.pk, year=year, user_id=user.pk
            )
    except AlreadyEnqueued:
        pass


@transaction.atomic
def report_prepare_request(
    *, kind: str, fund: Fund, year: int, user: User, fmt: str = FileFormat.PDF
) -> None:
    """Ask for a report's file to be prepared in the background: the preliminary PDF of an open year, or
    the data of any year as Excel or CSV. Does nothing when it is ready for the current data version or
    its job is already waiting or running: a second request joins the first."""
    from reports.tasks import report_prepare_preliminary

    if not permissions.can_view_reports(user):
        raise PermissionDenied
    if fmt not in FileFormat.values:
        raise ValidationError(_("Okänt filformat."))
    if fmt == FileFormat.PDF and not fund.fiscal_years.filter(year=year, status="open").exists():
        raise ValidationError(_("Bara ett öppet verksamhetsårs rapport tas fram som preliminär PDF."))
    if not fund.fiscal_years.filter(year=year).exists():
        raise ValidationError(_("Fonden har inget sådant verksamhetsår."))
    state = selectors.prepared_report_state(kind=kind, fund=fund, year=year, fmt=fmt)
    if state.prepared_id or state.pending:  # ready, or its job waits or runs (the lock covers only waiting)
        return
    try:
        with transaction.atomic():  # a savepoint: the lock's refusal must not end the caller's transaction
            lock = selectors.prepare_lock(
                kind=kind, fmt=fmt, fund=fund, year=year, data_version=state.data_version
            )
            report_prepare_preliminary.configure(queueing_lock=lock).defer(
                kind=kind, fund_id=fund.pk, year=year, user_id=user.pk, fmt=fmt
            )
    except AlreadyEnqueued:
        pass


def report_prepare(
    *, kind: str, fund: Fund, year: int, build, render, user: User, fmt: str = FileFormat.PDF
) -> PreparedReport | None:
    """The worker's part: read the report and its data version in one snapshot, render it outside any
    transaction (tens of seconds: an open transaction would hold the snapshot and hit the role's idle
    timeout), then store it and delete the older prepared files of the report and format.
    `build(fund, year)` returns the report's dataclass, `render(report)` the file's bytes. Returns None for
    a PDF when the year has been closed meanwhile (its report is then final and issued, not prepared)."""
    if not permissions.can_view_reports(user):
        raise PermissionDenied
    in_transaction = connection.in_atomic_block  # a test's transaction: its snapshot is one already
    with transaction.atomic():
        # One snapshot for the figures and their version: a posting in between cannot be in the PDF
        # under an older version's label.
        if not in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        version = selectors.report_data_version(fund=fund, year=year)
        existing = PreparedReport.objects.filter(
            kind=kind, format=fmt, fund=fund, year=year, data_version=version
        )
        if existing.exists():
            return existing.defer("content").get()
        report = build(fund, year)
    if report.is_final and fmt == FileFormat.PDF:
        return None
    content = render(report)
    prepared = PreparedReport(
        kind=kind,
        format=fmt,
        fund=fund,
        year=year,
        data_version=version,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        requested_by=user,
    )
    prepared.full_clean()
    with transaction.atomic():
        try:
            with transaction.atomic():
                prepared.save()
        except IntegrityError:  # prepared meanwhile by another worker for the same version: that one stands
            return PreparedReport.objects.defer("content").get(
                kind=kind, format=fmt, fund=fund, year=year, data_version=version
            )
        # Retention: the latest prepared file per report and format; one by one so each deletion leaves
        # history.
        for older in (
            PreparedReport.objects.filter(kind=kind, format=fmt, fund=fund, year=year)
            .exclude(pk=prepared.pk)
            .defer("content")
        ):
            older.delete()
    return prepared
