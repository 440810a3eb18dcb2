"""Stances entered in advance (per capsulam) by the parties' own members.

Where the rules of procedure allow positions per capsulam, the secretariat opens a meeting for stances
in advance (`meeting_advance_stances_set`). From the notice until the meeting starts (for a meeting held
wholly per capsulam: until the item is decided), a member of the body — ordinary or substitute — enters
their own party's stance on each initiative (`stance_enter`). The party is the one the person sits for
(council.membership), never one the request names: a member can never enter another party's stance.
The rest is recorded at the meeting by the secretariat (council.services.item_decide), which counts an
advance stance as the party's written participation. Every stance names who entered it and when, and
has its history.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from council import permissions
from council.membership import member_party
from council.models import AgendaItem, Meeting, MeetingStatus, Stance, StanceKind
from council.services import rules_in_force
from people.models import Party, User


def _meeting_day(meeting: Meeting):
    return timezone.localdate(meeting.starts_at)


def accepts_advance_stances(meeting: Meeting) -> bool:
    """Open for stances in advance: turned on (or a meeting held wholly per capsulam), notice out."""
    return (
        meeting.advance_stances or meeting.per_capsulam
    ) and meeting.status == MeetingStatus.AGENDA_PUBLISHED


def _still_open(item: AgendaItem) -> bool:
    if item.is_decided:
        return False
    return item.meeting.per_capsulam or timezone.now() < item.meeting.starts_at


def stance_party(user, meeting: Meeting) -> Party | None:
    """The party whose stance `user` may enter in advance at this meeting, or None."""
    if not accepts_advance_stances(meeting) or not meeting.body.takes_positions:
        return None
    return member_party(user, meeting.body, _meeting_day(meeting))


def can_enter_stance(user, item: AgendaItem) -> bool:
    """Whether `user` may still enter their party's stance on the item (none entered yet)."""
    if item.initiative_id is None or not _still_open(item):
        return False
    party = stance_party(user, item.meeting)
    return party is not None and not item.stances.filter(party=party).exists()


@dataclass(frozen=True)
class AdvanceLine:
    item: AgendaItem
    stance: Stance | None
    open: bool


def advance_overview(*, user, meeting: Meeting) -> tuple[Party | None, list[AdvanceLine]]:
    """For the meeting page: the member's party and, per initiative item, its stance so far. Two queries."""
    party = stance_party(user, meeting)
    if party is None:
        return None, []
    items = list(meeting.items.filter(initiative__isnull=False).order_by("order"))
    stances = {
        s.item_id: s for s in Stance.objects.filter(item__in=items, party=party).select_related("recorded_by")
    }
    for item in items:
        item.meeting = meeting
    return party, [AdvanceLine(item, stances.get(item.pk), _still_open(item)) for item in items]


@transaction.atomic
def meeting_advance_stances_set(*, meeting: Meeting, enabled: bool, user: User) -> Meeting:
    """The secretariat opens (or closes) a meeting for stances in advance, where the rules allow it."""
    if not permissions.can_manage_meetings(user):
        raise PermissionDenied(_("Bara sekretariatet leder sammanträden."))
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED):
        raise ValidationError({"advance_stances": _("Det går bara före sammanträdet.")}, code="wrong_status")
    if enabled and not meeting.body.takes_positions:
        raise ValidationError(
            {"advance_stances": _("%(body)s tar inte ställning i konsensus.") % {"body": meeting.body.name}},
            code="not_council",
        )
    if enabled and not rules_in_force(body=meeting.body, on=_meeting_day(meeting)).per_capsulam_allowed:
        raise ValidationError(
            {"advance_stances": _("Arbetsordningen tillåter inte ställningstaganden per capsulam.")},
            code="per_capsulam_not_allowed",
        )
    if meeting.advance_stances != enabled:
        meeting.advance_stances = enabled
        meeting.full_clean()
        meeting._history_user = user
        meeting._change_reason = "ställningstaganden i förväg " + ("öppnade" if enabled else "stängda")
        meeting.save()
    return meeting


@transaction.atomic
def stance_enter(*, item: AgendaItem, party: Party, kind: str, reason: str, user: User) -> Stance:
    """A member enters their own party's stance on an initiative before the meeting. Refused: another
    party's stance, a person who is not a member of the body on the meeting's day, a meeting not open for
    stances in advance, an item already decided or a meeting already begun, a second stance."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.meeting = meeting
    own = stance_party(user, meeting)
    if own is None:
        raise PermissionDenied(_("Du kan inte lämna ställningstaganden i förväg till det här sammanträdet."))
    if own.pk != party.pk:
        raise PermissionDenied(_("Du kan bara lämna din egen parts ställningstagande."))
    if item.initiative_id is None:
        raise ValidationError(_("Ställning tas bara i initiativärenden."), code="not_initiative")
    if not _still_open(item):
        raise ValidationError(
            _(
                "Ärendet är avgjort eller sammanträdet har börjat: "
                "ställningstagandet registreras vid sammanträdet."
            ),
            code="closed",
        )
    if item.stances.filter(party=party).exists():
        raise ValidationError(
            _("%(party)s har redan ett registrerat ställningstagande i ärendet.") % {"party": party.name},
            code="stance_twice",
        )
    reason = (reason or "").strip()
    errors = {}
    if kind not in StanceKind.values:
        errors["kind"] = _("Välj partens ställningstagande.")
    elif kind == StanceKind.OBJECTS and not reason:
        errors["reason"] = _("En part som motsätter sig måste ange skälet.")
    if errors:
        raise ValidationError(errors)
    stance = Stance(item=item, party=party, kind=kind, reason=reason, recorded_by=user, in_advance=True)
    stance.full_clean()
    stance._history_user = user
    stance._change_reason = "ställningstagande i förväg"
    stance.save()
    return stance
