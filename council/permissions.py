"""Who may do what with meetings, minutes and the agreement.

The secretariat runs meetings and keeps the agreement's record; chosen adjusters sign the minutes;
everybody else reads (what `Meeting.objects.visible_to` lets them see). Nobody else writes.
"""

from people.permissions import reads_everything
from people.roles import Role


def is_secretariat(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.SECRETARIAT)


def can_manage_meetings(user) -> bool:
    return is_secretariat(user)


def can_manage_meeting(user, meeting) -> bool:
    return is_secretariat(user) and not meeting.is_locked


def can_sign_minutes(user, meeting, signers=None) -> bool:
    """`signers`: the meeting's chair and adjusters when the page has read them already."""
    from council.models import MeetingStatus

    if not (user.is_authenticated and user.is_active) or meeting.status != MeetingStatus.HELD:
        return False
    if signers is not None:
        return any(s.user_id == user.pk and s.signed_at is None for s in signers)
    return meeting.adjusters.filter(user=user, signed_at__isnull=True).exists()


def can_view_meetings(user) -> bool:
    return user.is_authenticated and user.is_active


def can_view_history(user) -> bool:
    """The full audit trail: the roles that read everything (secretariat, finance, auditor, admin)."""
    return reads_everything(user)


def can_record_adoption(user) -> bool:
    return is_secretariat(user)
