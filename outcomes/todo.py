"""What waits in outcome reporting for a person (core/todo.py): initiators, their party's outcome reports due
within REMIND_DAYS_BEFORE days or overdue; the secretariat, the outcome reports to review.
"""

import datetime

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounting.models import Decision
from core.todo import TodoEntry, TodoKind, register
from initiatives.models import Initiative, Status
from initiatives.permissions import is_secretariat
from initiatives.todo import _own_party, _title, _waited
from outcomes.models import OutcomeKind, OutcomeReport, OutcomeReview
from outcomes.selectors import FINAL_DUE_DAYS, PROGRESS_DUE, REMIND_DAYS_BEFORE


def outcome_reports_to_review(user, today: datetime.date) -> QuerySet[OutcomeReport] | None:
    if not is_secretariat(user):
        return None
    return (
        OutcomeReport.objects.filter(review=OutcomeReview.SUBMITTED)
        .select_related("initiative__party")
        .order_by("submitted_at", "pk")
    )


# The earliest outcome report an initiative owes by `%(until)s` that has not been handed in (or whose
# latest version was sent back for a complement): selectors.outcome_schedule in SQL, so that the
# menu counts it in its one query. tests/people/test_start_todo.py holds the two to the same answers.
# Only constants and table names are written into it; the date is a parameter.
_NEXT_OUTCOME_DUE = f"""
SELECT min(due.due_on) FROM (
    SELECT min(d.decided_on) AS start FROM {{decisions}} d WHERE d.initiative_id = {{initiative}}.id
) AS decided
CROSS JOIN LATERAL (
    SELECT coalesce({{initiative}}.end_date,
                    make_date(extract(year FROM decided.start)::int, 12, 31)) AS ends,
           greatest(decided.start, coalesce({{initiative}}.start_date, decided.start)) AS begins
) AS span
CROSS JOIN LATERAL (
    SELECT '{OutcomeKind.PROGRESS}' AS kind, make_date(y + 1, {PROGRESS_DUE[0]}, {PROGRESS_DUE[1]}) AS due_on
      FROM generate_series(extract(year FROM span.begins)::int, extract(year FROM span.ends)::int - 1) AS y
    UNION ALL
    SELECT '{OutcomeKind.FINAL}', span.ends + {FINAL_DUE_DAYS}
) AS due
WHERE decided.start IS NOT NULL AND due.due_on <= %s
  AND NOT EXISTS (
    SELECT 1 FROM (
        SELECT r.review FROM {{reports}} r
         WHERE r.initiative_id = {{initiative}}.id AND r.kind = due.kind AND r.due_on = due.due_on
         ORDER BY r.submitted_at DESC, r.id DESC LIMIT 1
    ) AS latest
    WHERE latest.review <> '{OutcomeReview.COMPLEMENT_REQUESTED}'
  )
"""  # noqa: S608


def _next_outcome_due(until: datetime.date) -> RawSQL:
    sql = _NEXT_OUTCOME_DUE.format(
        initiative=f'"{Initiative._meta.db_table}"',
        decisions=f'"{Decision._meta.db_table}"',
        reports=f'"{OutcomeReport._meta.db_table}"',
    )
    return RawSQL(sql, [until])  # noqa: S611 (no outside text in the SQL)


def initiatives_outcome_due(user, today: datetime.date) -> QuerySet[Initiative] | None:
    """The party's decided initiatives with an outcome report due within REMIND_DAYS_BEFORE days or
    overdue (the same window as the reminders), annotated with the earliest such due date."""
    if not _own_party(user):
        return None
    until = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    return (
        Initiative.objects.filter(party_id=user.party_id, status=Status.DECIDED)
        .annotate(outcome_due_on=_next_outcome_due(until))
        .filter(outcome_due_on__isnull=False)
        .only("pk", "title", "registration_year", "registration_serial")
        .order_by("outcome_due_on", "pk")
    )


def _review_entry(report: OutcomeReport, today: datetime.date) -> TodoEntry:
    initiative = report.initiative
    return TodoEntry(
        f"{report.get_kind_display()}: {_title(initiative)} ({initiative.party.name})",
        report.get_absolute_url(),
        _waited(report.submitted_at, today),
    )


def _outcome_entry(initiative: Initiative, today: datetime.date) -> TodoEntry:
    due = initiative.outcome_due_on
    overdue = due < today
    if overdue:
        note = _("försenad, skulle lämnats senast %(date)s") % {"date": due.isoformat()}
    else:
        note = _("senast %(date)s") % {"date": due.isoformat()}
    return TodoEntry(
        _title(initiative), reverse("outcomes:outcome-schedule", args=[initiative.pk]), note, overdue
    )


def register_todos() -> None:
    register(
        TodoKind(
            "outcomes.due",
            gettext_lazy("Utfallsrapporter att lämna"),
            "outcomes:outcome-overview",
            initiatives_outcome_due,
            _outcome_entry,
            order=20,
        )
    )
    register(
        TodoKind(
            "outcomes.review",
            gettext_lazy("Utfallsrapporter att granska"),
            "outcomes:outcome-overview",
            outcome_reports_to_review,
            _review_entry,
            order=50,
        )
    )
