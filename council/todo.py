"""What waits in the council's work for a person (core/todo.py): minutes to sign as an adjuster, and for
Värmlandsrådet's representatives the meetings whose notice has gone out."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.todo import TodoEntry, TodoKind, register
from council.models import Meeting, MeetingStatus
from council.permissions import is_secretariat
from initiatives.models import ChangeKind, ChangeRequest, ChangeStatus
from people.roles import Role


def meetings_minutes_to_sign(user, today: datetime.date) -> QuerySet[Meeting]:
    """Held meetings whose minutes this person was chosen to sign and has not signed yet (anyone may be
    chosen as adjuster, so this applies to everyone)."""
    return (
        Meeting.objects.filter(
            status=MeetingStatus.HELD, adjusters__user=user, adjusters__signed_at__isnull=True
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )


def meetings_coming(user, today: datetime.date) -> QuerySet[Meeting] | None:
    """Värmlandsrådet's meetings whose notice has gone out and that are still to come: the
    representatives read the notice and the documents before them."""
    if not user.has_role(Role.COUNCIL_REPRESENTATIVE):
        return None
    return (
        Meeting.objects.filter(
            status=MeetingStatus.AGENDA_PUBLISHED,
            body__takes_positions=True,
            starts_at__gte=timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)),
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )


def change_requests_for_vrau(user, today: datetime.date) -> QuerySet[ChangeRequest] | None:
    """Requests for more money handed in: the secretariat puts them on VRAU's agenda, like an initiative."""
    if not is_secretariat(user):
        return None
    return (
        ChangeRequest.objects.filter(kind=ChangeKind.ADDITIONAL_FUNDING, status=ChangeStatus.SUBMITTED)
        .select_related("initiative__party")
        .order_by("submitted_at", "pk")
    )


def _change_entry(change: ChangeRequest, today: datetime.date) -> TodoEntry:
    initiative = change.initiative
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title} ({initiative.party.name})",
        change.get_absolute_url(),
        _("Ändringsbegäran: utökad finansiering – ta upp i VRAU."),
    )


def _meeting_text(meeting: Meeting) -> str:
    when = timezone.localtime(meeting.starts_at)
    return f"{meeting.body.name} {when:%Y-%m-%d %H:%M}"


def _sign_entry(meeting: Meeting, today: datetime.date) -> TodoEntry:
    return TodoEntry(_meeting_text(meeting), meeting.get_absolute_url(), _("Läs och justera protokollet."))


def _coming_entry(meeting: Meeting, today: datetime.date) -> TodoEntry:
    return TodoEntry(_meeting_text(meeting), meeting.get_absolute_url(), meeting.place)


def register_todos() -> None:
    register(
        TodoKind(
            "council.minutes-to-sign",
            gettext_lazy("Protokoll att justera"),
            "council:meeting-list",
            meetings_minutes_to_sign,
            _sign_entry,
            order=60,
        )
    )
    register(
        TodoKind(
            "council.meetings-coming",
            gettext_lazy("Kommande sammanträden med utskickad kallelse"),
            "council:meeting-list",
            meetings_coming,
            _coming_entry,
            order=70,
        )
    )
    register(
        TodoKind(
            "council.change-requests",
            gettext_lazy("Ändringsbegäranden att ta upp i VRAU"),
            "council:meeting-list",
            change_requests_for_vrau,
            _change_entry,
            order=65,
        )
    )
