"""What waits in the initiatives for a person (core/todo.py): one selector per kind of to-do.

Initiators: their party's initiatives the secretariat sent back for a complement, their party's drafts not
yet handed in, and outcome reports due within REMIND_DAYS_BEFORE days or overdue. The secretariat:
initiatives to prepare and outcome reports to review.
"""

import datetime

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.todo import TodoEntry, TodoKind, register
from initiatives.models import Initiative, OutcomeKind, OutcomeReport, OutcomeReview, Status
from initiatives.outcome_selectors import FINAL_DUE_DAYS, PROGRESS_DUE, REMIND_DAYS_BEFORE
from initiatives.permissions import is_initiator, is_secretariat


def _own_party(user) -> bool:
    return is_initiator(user) and user.party_id is not None


def initiatives_complement_requested(user, today: datetime.date) -> QuerySet[Initiative] | None:
    if not _own_party(user):
        return None
    return (
        Initiative.objects.filter(party_id=user.party_id, status=Status.COMPLEMENT_REQUESTED)
        .only("pk", "title", "registration_year", "registration_serial", "updated_at")
        .order_by("updated_at", "pk")
    )


def initiatives_drafts(user, today: datetime.date) -> QuerySet[Initiative] | None:
    if not _own_party(user):
        return None
    return (
        Initiative.objects.filter(party_id=user.party_id, status=Status.DRAFT)
        .only("pk", "title", "registration_year", "registration_serial", "updated_at")
        .order_by("-updated_at", "-pk")
    )


def initiatives_to_prepare(user, today: datetime.date) -> QuerySet[Initiative] | None:
    if not is_secretariat(user):
        return None
    return (
        Initiative.objects.filter(status=Status.SUBMITTED)
        .select_related("party")
        .only("pk", "title", "registration_year", "registration_serial", "submitted_at", "party__name")
        .order_by("submitted_at", "pk")
    )


def outcome_reports_to_review(user, today: datetime.date) -> QuerySet[OutcomeReport] | None:
    if not is_secretariat(user):
        return None
    return (
        OutcomeReport.objects.filter(review=OutcomeReview.SUBMITTED)
        .select_related("initiative__party")
        .order_by("submitted_at", "pk")
    )


# The earliest outcome report an initiative owes by `%(until)s` that has not been handed in (or whose
# latest version was sent back for a complement): outcome_selectors.outcome_schedule in SQL, so that the
# menu counts it in its one query. tests/initiatives/test_todo.py holds the two to the same answers.
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
    # The decisions table through the reverse relation: initiatives never imports the ledger app.
    decisions = Initiative._meta.get_field("decisions").related_model._meta.db_table
    sql = _NEXT_OUTCOME_DUE.format(
        initiative=f'"{Initiative._meta.db_table}"',
        decisions=f'"{decisions}"',
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


def _title(initiative: Initiative) -> str:
    return f"{initiative.registration_number or _('Utkast')} {initiative.title}"


def _waited(since: datetime.datetime | None, today: datetime.date) -> str:
    if since is None:
        return ""
    day = timezone.localdate(since)
    days = (today - day).days
    return ngettext(
        "inlämnat %(date)s, väntat %(days)s dag", "inlämnat %(date)s, väntat %(days)s dagar", days
    ) % {"date": day.isoformat(), "days": days}


def _complement_entry(initiative: Initiative, today: datetime.date) -> TodoEntry:
    return TodoEntry(_title(initiative), initiative.get_absolute_url(), _("Ändra och lämna in igen."))


def _draft_entry(initiative: Initiative, today: datetime.date) -> TodoEntry:
    return TodoEntry(
        _title(initiative),
        initiative.get_absolute_url(),
        _("ändrat %(date)s") % {"date": timezone.localdate(initiative.updated_at).isoformat()},
    )


def _prepare_entry(initiative: Initiative, today: datetime.date) -> TodoEntry:
    return TodoEntry(
        f"{_title(initiative)} ({initiative.party.name})",
        initiative.get_absolute_url(),
        _waited(initiative.submitted_at, today),
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
        _title(initiative), reverse("initiatives:outcome-schedule", args=[initiative.pk]), note, overdue
    )


def register_todos() -> None:
    register(
        TodoKind(
            "initiatives.complement",
            gettext_lazy("Kompletteringar som sekretariatet begärt"),
            "initiatives:initiative-list",
            initiatives_complement_requested,
            _complement_entry,
            order=10,
        )
    )
    register(
        TodoKind(
            "initiatives.outcome-due",
            gettext_lazy("Utfallsrapporter att lämna"),
            "initiatives:outcome-overview",
            initiatives_outcome_due,
            _outcome_entry,
            order=20,
        )
    )
    register(
        TodoKind(
            "initiatives.drafts",
            gettext_lazy("Utkast som inte lämnats in"),
            "initiatives:initiative-list",
            initiatives_drafts,
            _draft_entry,
            order=30,
        )
    )
    register(
        TodoKind(
            "initiatives.to-prepare",
            gettext_lazy("Initiativ att bereda"),
            "initiatives:initiative-queue",
            initiatives_to_prepare,
            _prepare_entry,
            order=40,
            # The five oldest, read in order from the index `initiative_queue` (README, Benchmark);
            # the count and the menu lead to the whole queue.
            limit=5,
        )
    )
    register(
        TodoKind(
            "initiatives.outcome-review",
            gettext_lazy("Utfallsrapporter att granska"),
            "initiatives:outcome-overview",
            outcome_reports_to_review,
            _review_entry,
            order=50,
        )
    )
