"""Writes of the reports app: issuing a report PDF into the archive.

A final report (a closed year) is rendered once and archived with its SHA-256 checksum; asking again
returns the stored row, so the report shown later is byte for byte the one issued. A preliminary report (an
open year) is archived too, as a dated record of what was handed out, but never reused.
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from accounting.models import Fund
from people.models import User
from reports import permissions
from reports.models import ReportArchive, ReportKind

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
