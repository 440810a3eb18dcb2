"""Reads for outcome reporting: the computed schedule of reports due, and the latest approved outcomes.

When reports are due follows from Region Värmland's decision and the initiative's period, computed here
rather than stored (so nothing has to be kept in step with the ledger):
- a progress report for each calendar year from the initiative's start (not before the decision) up to
  the year before it ends, due on PROGRESS_DUE (month, day) of the following year;
- the final report, for the whole period, due FINAL_DUE_DAYS after the initiative's end date.
The decision's date is the ledger's (`accounting.selectors.decided_on`).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from accounting.selectors import decided_on
from core.history import HistorySource
from initiatives.models import FUNDED_STATUSES, Initiative, Status
from outcomes.models import OutcomeAttachment, OutcomeIndicator, OutcomeKind, OutcomeReport, OutcomeReview
from outcomes.permissions import can_view_outcomes
from people.models import User
from people.roles import Role

PROGRESS_DUE = (2, 15)  # 15 February: last year's progress report, before Region Värmland's annual report
FINAL_DUE_DAYS = 90
REMIND_DAYS_BEFORE = 14


@dataclass(frozen=True)
class DueReport:
    initiative: Initiative
    kind: str
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    latest: OutcomeReport | None

    @property
    def kind_label(self) -> str:
        return OutcomeKind(self.kind).label

    @property
    def is_done(self) -> bool:
        return self.latest is not None and self.latest.review != OutcomeReview.COMPLEMENT_REQUESTED

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.is_done and today > self.due_on


def outcome_schedule(initiative: Initiative, reports: list[OutcomeReport] | None = None) -> list[DueReport]:
    """The reports an initiative owes, oldest first, each with its latest submitted report (if any)."""
    start = decided_on(initiative)
    if start is None or initiative.status not in (Status.DECIDED, Status.COMPLETED):
        return []
    end = initiative.end_date or datetime.date(start.year, 12, 31)
    if reports is None:
        reports = list(initiative.outcome_reports.order_by("submitted_at", "id"))
    latest = {}
    for r in reports:
        latest[(r.kind, r.due_on)] = r
    begins = max(start, initiative.start_date) if initiative.start_date else start
    due = []
    for year in range(begins.year, end.year):
        period_start = begins if year == begins.year else datetime.date(year, 1, 1)
        due_on = datetime.date(year + 1, *PROGRESS_DUE)
        due.append(
            DueReport(
                initiative,
                OutcomeKind.PROGRESS,
                period_start,
                datetime.date(year, 12, 31),
                due_on,
                latest.get((OutcomeKind.PROGRESS, due_on)),
            )
        )
    final_due = end + datetime.timedelta(days=FINAL_DUE_DAYS)
    due.append(
        DueReport(
            initiative,
            OutcomeKind.FINAL,
            min(begins, end),
            end,
            final_due,
            latest.get((OutcomeKind.FINAL, final_due)),
        )
    )
    return due


def outcomes_due(user, today: datetime.date, *, initiatives=None) -> list[DueReport]:
    """What is due (not yet handed in, or sent back for a complement) for the initiatives the user may see,
    by due date. Three queries whatever the number of initiatives."""
    if initiatives is None:
        initiatives = Initiative.objects.visible_to(user).filter(status=Status.DECIDED)
    initiatives = [
        i
        for i in initiatives.select_related("party").prefetch_related(
            "decisions",
            Prefetch("outcome_reports", queryset=OutcomeReport.objects.order_by("submitted_at", "id")),
        )
        if can_view_outcomes(user, i)
    ]
    rows = []
    for initiative in initiatives:
        for due in outcome_schedule(initiative, list(initiative.outcome_reports.all())):
            if not due.is_done:
                rows.append(due)
    return sorted(rows, key=lambda d: (d.due_on, d.initiative.pk))


def outcome_reports_to_review():
    return (
        OutcomeReport.objects.filter(review=OutcomeReview.SUBMITTED)
        .select_related("initiative__party", "submitted_by")
        .order_by("submitted_at")
    )


def outcome_report_detail(pk: int) -> OutcomeReport:
    return (
        OutcomeReport.objects.select_related("initiative__party", "submitted_by", "reviewed_by")
        .prefetch_related("indicators", "attachments")
        .get(pk=pk)
    )


def latest_approved_outcomes(initiatives, year: int) -> dict[int, dict]:
    """Per initiative, its latest approved report whose period starts by the end of `year`: the outcome
    status, summary and indicators (for VRAG's annual outcome report). Two queries."""
    reports = (
        OutcomeReport.objects.filter(
            initiative__in=initiatives, review=OutcomeReview.APPROVED, period_start__year__lte=year
        )
        .prefetch_related(Prefetch("indicators", queryset=OutcomeIndicator.objects.order_by("id")))
        .order_by("initiative_id", "period_end", "submitted_at", "id")
    )
    result: dict[int, dict] = {}
    for r in reports:
        result[r.initiative_id] = {
            "summary": r.summary,
            "status": r.get_status_display(),
            "spent": r.spent,
            "co_financing_received": r.co_financing_received,
            "kind": r.get_kind_display(),
            "indicators": [
                {"name": i.name, "unit": i.unit, "target": i.target, "actual": i.actual}
                for i in r.indicators.all()
            ],
        }
    return result


def outcome_reports_in_order(initiative: Initiative) -> list[OutcomeReport]:
    """The initiative's outcome reports, oldest first, read once for its page: the outcome panel, the
    timeline and the money panel's leverage all use them (the page keeps its query budget)."""
    if not hasattr(initiative, "_outcome_reports_in_order"):
        initiative._outcome_reports_in_order = list(initiative.outcome_reports.order_by("submitted_at", "id"))
    return initiative._outcome_reports_in_order


def co_financing_received(
    initiative_ids, year: int | None = None, *, initiative: Initiative | None = None
) -> dict[int, Decimal]:
    """Co-financing actually received per initiative up to the end of `year` (None: all reported so far),
    from approved reports: the final report (it covers the whole period) if approved, else the sum of the
    approved yearly progress reports (the latest approved report per due date). One query; none for the
    `initiative` whose page is shown (its reports are read once for the page). The numerator of the
    leverage (`accounting.selectors.Leverage`, registered in apps.py)."""
    reports = outcome_reports_in_order(initiative) if initiative is not None else None
    if reports is None:
        reports = OutcomeReport.objects.filter(
            initiative_id__in=list(initiative_ids), review=OutcomeReview.APPROVED
        ).order_by("submitted_at", "id")
        if year is not None:
            reports = reports.filter(period_end__year__lte=year)
    else:  # the reports read already (oldest first), the same choice made in Python
        reports = [
            r
            for r in reports
            if r.review == OutcomeReview.APPROVED and (year is None or r.period_end.year <= year)
        ]
    final: dict[int, Decimal] = {}
    progress: dict[tuple[int, datetime.date], Decimal] = {}
    for r in reports:
        if r.kind == OutcomeKind.FINAL:
            final[r.initiative_id] = r.co_financing_received
        else:
            progress[(r.initiative_id, r.due_on)] = r.co_financing_received
    received: dict[int, Decimal] = {}
    for (pk, _due), amount in progress.items():
        received[pk] = received.get(pk, Decimal("0.00")) + amount
    received.update(final)
    return received


def outcome_panel_context(initiative: Initiative, user) -> dict | None:
    """The outcome panel on an initiative's page (core.panels slot "initiative-detail")."""
    if initiative.status not in FUNDED_STATUSES or not can_view_outcomes(user, initiative):
        return None
    reports = outcome_reports_in_order(initiative)
    schedule = outcome_schedule(initiative, reports)
    return {
        "initiative": initiative,
        "next_due": next((d for d in schedule if not d.is_done), None),
        "latest": reports[-1] if reports else None,
    }


def outcome_reminder_sender(username: str | None = None):
    """Who the reminders are sent as (recorded on each reminder and in the audit trail): the named
    active user, or else the first active administrator (by role, then superuser)."""
    active = User.objects.filter(is_active=True).order_by("id")
    if username:
        return active.filter(username=username).first()
    return active.filter(groups__name=Role.ADMINISTRATOR).first() or active.filter(is_superuser=True).first()


def outcome_timeline_dates(initiative: Initiative, user) -> dict:
    """The timeline's outcome-report step: when the latest report came in (one query, for decided
    initiatives and readers of their outcome reports, shared with the outcome panel)."""
    if initiative.status not in FUNDED_STATUSES or not can_view_outcomes(user, initiative):
        return {}
    latest = max((r.submitted_at for r in outcome_reports_in_order(initiative)), default=None)
    return {"reports": latest}


def initiative_history_sources(initiative: Initiative, user) -> list[HistorySource]:
    """For the initiative's history (core.history slot "initiative"): its outcome reports, their indicators
    and attachments, to those who read its outcome reports."""
    if not can_view_outcomes(user, initiative):
        return []
    of_reports = Q(report__initiative_id=initiative.pk)
    return [
        HistorySource(
            OutcomeReport,
            Q(initiative_id=initiative.pk),
            lambda r, names: f"{_('Utfallsrapport')} {r.period_start:%Y-%m-%d}–{r.period_end:%Y-%m-%d}",
            hidden=frozenset({"initiative"}),
        ),
        HistorySource(
            OutcomeIndicator,
            of_reports,
            lambda r, names: f"{_('Indikator')}: {r.name}",
            hidden=frozenset({"report"}),
        ),
        HistorySource(
            OutcomeAttachment,
            of_reports,
            lambda r, names: f"{_('Bilaga till utfallsrapport')}: {r.original_name}",
            hidden=frozenset({"report", "content_type"}),
        ),
    ]
