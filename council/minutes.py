"""Services that keep the minutes true to what happened at the meeting (issue 12, item 5).

Each is one state change in one transaction, locking the meeting first as every council service does
(council/services.py), with the acting user and a reason in the history:

- `meeting_open`: the meeting opens with the choice of chair and adjusters (numbered as its first
  paragraphs when it is closed); chosen among `protocol.signatory_candidates`.
- `attendance_reopen`: attendance is fixed once an item is recorded; changing it takes an explicit
  reopening with a reason, kept in the meeting's history (who, when, why).
- `item_annul`: until the meeting is closed, a wrongly recorded item is annulled (with a reason) and a new
  item takes its place on the agenda, to be recorded again. The annulled one keeps its stances, outcome
  and position for the history, is shown as annulled and gets no paragraph; its position no longer
  counts (`Position.objects.consensus()`), and the initiative goes back to where the meeting found it.
  Stances entered in advance (per capsulam) are carried to the new item: they were the parties' written
  participation, not part of the wrong recording.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from council import protocol
from council.models import AgendaItem, Meeting, MeetingStatus, MinutesAdjuster, Outcome, Stance
from council.services import (
    _expected_change_status,
    _expected_initiative_status,
    _lock,
    _require_manager,
    _save,
    _under_way,
)
from initiatives.changes import change_request_transition
from initiatives.models import ChangeRequest, ChangeStatus, Initiative, Status
from initiatives.services import initiative_transition
from people.models import User


@transaction.atomic
def meeting_open(*, meeting: Meeting, chair: User | None, adjusters: list[User], user: User) -> Meeting:
    """Choose the chair and the adjusters (again, if need be, until the meeting is closed)."""
    _require_manager(user)
    meeting = _lock(meeting, MeetingStatus.AGENDA_PUBLISHED)
    _under_way(meeting)
    candidates = set(protocol.signatory_candidates(meeting).values_list("pk", flat=True))
    if not candidates:
        if not meeting.attendance.filter(present=True).exists():
            message = _("Registrera närvaron först: ordförande och justerare väljs bland de närvarande.")
        else:
            message = _(
                "Ingen av de närvarande parterna har ledamöter eller ersättare i organet: "
                "för in organets ledamöter först."
            )
        raise ValidationError(message, code="no_candidates")
    errors = {}
    if chair is None:
        errors["chair"] = _("Välj ordförande.")
    elif chair.pk not in candidates:
        errors["chair"] = protocol.CHAIR_NOT_CANDIDATE
    if not adjusters:
        errors["adjusters"] = _("Välj minst en justerare.")
    elif any(a.pk not in candidates for a in adjusters):
        errors["adjusters"] = protocol.ADJUSTER_NOT_CANDIDATE
    elif chair is not None and chair in adjusters:
        errors["adjusters"] = _("Ordföranden justerar protokollet som ordförande: välj andra justerare.")
    if errors:
        raise ValidationError(errors, code="bad_signers")
    wanted = {(chair.pk, MinutesAdjuster.Role.CHAIR)} | {
        (a.pk, MinutesAdjuster.Role.ADJUSTER) for a in adjusters
    }
    existing = list(meeting.adjusters.select_for_update())
    for row in existing:
        if (row.user_id, row.role) not in wanted:
            # Nobody signs before the meeting is closed: a choice made again replaces the earlier one
            # (the history keeps both).
            row._history_user = user
            row._change_reason = "ordförande och justerare valda på nytt"
            row.delete()
    have = {(row.user_id, row.role) for row in existing}
    for person, role in [(chair, MinutesAdjuster.Role.CHAIR)] + [
        (a, MinutesAdjuster.Role.ADJUSTER) for a in adjusters
    ]:
        if (person.pk, role) not in have:
            reason = "ordförande vald" if role == MinutesAdjuster.Role.CHAIR else "justerare vald"
            _save(MinutesAdjuster(meeting=meeting, user=person, role=role), user=user, reason=reason)
    chair_label = protocol.person_label(chair)
    if meeting.chair != chair_label:
        meeting.chair = chair_label
        _save(meeting, user=user, reason="ordförande vald")
    return meeting


@transaction.atomic
def attendance_reopen(*, meeting: Meeting, reason: str, user: User) -> Meeting:
    """Open the fixed attendance for a change; the next recording fixes it again."""
    _require_manager(user)
    meeting = _lock(meeting, MeetingStatus.AGENDA_PUBLISHED)
    _under_way(meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ange varför närvaron ändras.")}, code="required")
    if not protocol.attendance_fixed(meeting):
        raise ValidationError(
            _("Närvaron är inte fastställd: den kan ändras direkt."), code="attendance_not_fixed"
        )
    meeting.attendance_reopened_at = timezone.now()
    meeting.attendance_reopen_reason = reason
    _save(meeting, user=user, reason="närvaron öppnad igen")
    return meeting


def _restore_initiative(*, item: AgendaItem, meeting: Meeting, user: User) -> None:
    """The initiative back where the meeting found it, unless it has gone on beyond this recording."""
    initiative = Initiative.objects.select_for_update().get(pk=item.initiative_id)
    expected = _expected_initiative_status(meeting.body)
    position = protocol.related_or_none(item, "position")
    gone_on = ValidationError(
        _(
            "Initiativet har gått vidare sedan registreringen (status ”%(status)s”): "
            "den kan inte annulleras. Rätta i en ny paragraf vid ett senare sammanträde."
        )
        % {"status": Status(initiative.status).label},
        code="initiative_gone_on",
    )
    if (
        position is not None
        and position.outcome == Outcome.CONSENSUS
        and initiative.status != Status.SUPPORTED
    ):
        raise gone_on  # Region Värmland has decided on it already
    if initiative.status == expected:
        return
    try:
        initiative_transition(
            initiative=initiative,
            to=expected,
            user=user,
            reason=f"registreringen i {meeting} annullerad",
            annulment=True,
        )
    except ValidationError as error:
        raise gone_on from error


def _restore_change_request(*, item: AgendaItem, meeting: Meeting, user: User) -> None:
    """A change request back where the meeting found it, unless Region Värmland has decided on it since."""
    change_request = ChangeRequest.objects.select_for_update().get(pk=item.change_request_id)
    expected = _expected_change_status(meeting.body)
    if change_request.status == expected:
        return
    try:
        change_request_transition(
            change_request=change_request,
            to=expected,
            user=user,
            reason=f"registreringen i {meeting} annullerad",
            annulment=True,
        )
    except ValidationError as error:
        raise ValidationError(
            _(
                "Ändringsbegäran har gått vidare sedan registreringen (status ”%(status)s”): "
                "den kan inte annulleras. Rätta i en ny paragraf vid ett senare sammanträde."
            )
            % {"status": ChangeStatus(change_request.status).label},
            code="change_request_gone_on",
        ) from error


@transaction.atomic
def item_annul(*, item: AgendaItem, reason: str, user: User) -> AgendaItem:
    """Annul a recorded item and put a new, unrecorded item in its place; returns the new item."""
    _require_manager(user)
    meeting = _lock(item.meeting)
    if meeting.status != MeetingStatus.AGENDA_PUBLISHED:
        raise ValidationError(
            _(
                "Sammanträdet är avslutat: en registrering kan inte annulleras längre. "
                "Rätta i en ny paragraf vid ett senare sammanträde."
            ),
            code="closed",
        )
    item = AgendaItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.is_annulled:
        raise ValidationError(_("Registreringen är redan annullerad."), code="annulled")
    if not item.is_decided:
        raise ValidationError(
            _("Ärendet är inte registrerat: det finns inget att annullera."), code="undecided"
        )
    if AgendaItem.objects.filter(deferred_from=item).exists():
        raise ValidationError(
            _("Ärendet är bordlagt till ett senare sammanträde och står redan på dess föredragningslista."),
            code="moved",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ange varför registreringen annulleras.")}, code="required")
    if item.change_request_id:
        _restore_change_request(item=item, meeting=meeting, user=user)
    elif item.initiative_id:
        _restore_initiative(item=item, meeting=meeting, user=user)
    item.annulled_at = timezone.now()
    item.annulled_by = user
    item.annulment_reason = reason
    _save(item, user=user, reason="registreringen annullerad")
    replacement = AgendaItem(
        meeting=meeting,
        order=item.order,
        kind=item.kind,
        initiative_id=item.initiative_id,
        change_request_id=item.change_request_id,
        title=item.title,
        description=item.description,
        presenter=item.presenter,
        deferred_from=item.deferred_from,
        corrects=item.corrects,
    )
    _save(replacement, user=user, reason="ärendet registreras på nytt")
    # The documents are the item's basis, not its recording: they follow the item that is recorded.
    for document in item.documents.select_for_update():
        document.item = replacement
        _save(document, user=user, reason="handling flyttad till det nya ärendet")
    # A stance a party's member entered in advance (per capsulam) is the party's written participation,
    # given before the meeting and not part of the wrong recording: the new recording counts it too. It
    # is carried over (as entered, by whom), while the annulled item keeps its own for the history.
    for stance in item.stances.filter(in_advance=True).order_by("pk"):
        carried = Stance(
            item=replacement,
            party_id=stance.party_id,
            kind=stance.kind,
            reason=stance.reason,
            recorded_by_id=stance.recorded_by_id,
            in_advance=True,
        )
        _save(carried, user=user, reason="ställningstagande i förväg överfört från annullerad registrering")
    return replacement
