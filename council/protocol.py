"""The minutes' integrity rules that both the services and the pages read.

- Attendance is fixed once the first item is recorded: a stance, proposal or note is taken with the
  parties present at that moment, so changing who was present afterwards would falsify the record. The
  secretariat reopens it explicitly (`council.minutes.attendance_reopen`, with a reason); it is fixed
  again by the next recording. A deferral is not a recording with the parties (it can precede the notice).
- A paragraph's decision text is derived from the item's outcome, so it can never say "står bakom" for an
  item that was not decided; the secretariat's free words are a separate addition.
- Who may be chosen chair and adjusters: ONE selector (`signatory_candidates`): the body's members on the
  meeting's day, ordinary or substitute, sitting for a party present at the meeting.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.language import in_swedish
from core.money import format_amount
from council.membership import members
from council.models import AgendaItem, BlockResolution, Meeting, MinutesAdjuster, Outcome, Paragraph
from people.models import User


def recordings(meeting: Meeting):
    """The items recorded with the parties present (annulled ones too: they were recorded)."""
    return AgendaItem.objects.filter(meeting=meeting).exclude(outcome__in=["", Outcome.DEFERRED])


def attendance_fixed(meeting: Meeting) -> bool:
    """True once an item has been recorded since the attendance was last reopened."""
    recorded = recordings(meeting)
    if meeting.attendance_reopened_at is not None:
        recorded = recorded.filter(decided_at__gt=meeting.attendance_reopened_at)
    return recorded.exists()


# What the service and the form both say of someone who may not be chosen (one wording).
CHAIR_NOT_CANDIDATE = gettext_lazy(
    "Ordföranden väljs bland organets ledamöter och ersättare för de parter som är närvarande."
)
ADJUSTER_NOT_CANDIDATE = gettext_lazy(
    "Justerarna väljs bland organets ledamöter och ersättare för de parter som är närvarande."
)


def signatory_candidates(meeting: Meeting):
    """Who may be chosen chair or adjuster of the meeting: the body's members (ordinary or substitute) on
    the meeting's day who sit for a party present, not whoever holds the council representative role."""
    present = meeting.attendance.filter(present=True).values("party_id")
    seated = (
        members(body=meeting.body, on=timezone.localdate(meeting.starts_at))
        .filter(party_id__in=present)
        .order_by()
        .values("person_id")
    )
    return User.objects.in_swedish_order().filter(is_active=True, pk__in=seated).select_related("party")


def person_label(user: User) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.party.name})" if user.party_id else name


def related_or_none(item, name):
    try:
        return getattr(item, name)
    except ObjectDoesNotExist:  # a reverse one-to-one the item does not have
        return None


@in_swedish()
def decision_text(item: AgendaItem) -> str:
    """The paragraph's decision, from the outcome alone (and the position's amount and resolution)."""
    position = related_or_none(item, "position")
    detail = item.outcome_detail
    if item.outcome == Outcome.CONSENSUS and position is not None:
        return _("%(body)s står bakom initiativet med %(amount)s. %(detail)s") % {
            "body": item.meeting.body.name,
            "amount": format_amount(position.supported_amount),
            "detail": detail,
        }
    if item.outcome == Outcome.NO_CONSENSUS and position is not None:
        then = (
            _("Initiativet går åter till beredning.")
            if position.resolution == BlockResolution.BACK_TO_PREPARATION
            else _("Initiativet avslutas.")
        )
        return _("%(body)s står inte bakom initiativet. %(detail)s %(then)s") % {
            "body": item.meeting.body.name,
            "detail": detail,
            "then": then,
        }
    if item.outcome == Outcome.NOT_DECIDABLE:
        return _("Ärendet kunde inte avgöras. %(detail)s") % {"detail": detail}
    return detail


@in_swedish()
def opening_paragraph_text(kind: str, signers: list[MinutesAdjuster]) -> str:
    names = [person_label(s.user) for s in signers]
    if kind == Paragraph.Opening.CHAIR:
        return _("Till ordförande för sammanträdet valdes %(names)s.") % {"names": ", ".join(names)}
    listed = (
        names[0]
        if len(names) == 1
        else _("%(first)s och %(last)s")
        % {
            "first": ", ".join(names[:-1]),
            "last": names[-1],
        }
    )
    return _("Att jämte ordföranden justera protokollet valdes %(names)s.") % {"names": listed}


def signers(meeting: Meeting) -> list[MinutesAdjuster]:
    """The chair first, then the adjusters, in the order chosen."""
    rows = meeting.adjusters.select_related("user", "user__party")
    return sorted(rows, key=lambda s: (s.role != MinutesAdjuster.Role.CHAIR, s.pk))


def reopened_attendance(meeting: Meeting) -> dict | None:
    """The last reopening of the attendance, as the manage page shows it (who from the history)."""
    if meeting.attendance_reopened_at is None:
        return None
    row = (
        meeting.history.filter(~Q(attendance_reopened_at=None))
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    )
    return {
        "at": timezone.localtime(meeting.attendance_reopened_at),
        "reason": meeting.attendance_reopen_reason,
        "by": row.history_user if row else None,
    }
