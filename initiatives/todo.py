"""What waits in the initiatives for a person (core/todo.py): one selector per kind of to-do.

Initiators: their party's initiatives the secretariat sent back for a complement and their party's drafts
not yet handed in. The secretariat: initiatives to prepare. (Outcome reports: outcomes/todo.py.)
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.todo import TodoEntry, TodoKind, register
from initiatives.models import Initiative, Status
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
