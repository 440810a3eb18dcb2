"""Who may do what with meetings, minutes and the agreement.

The secretariat runs meetings and keeps the agreement's record; chosen adjusters sign the minutes;
everybody else reads (what `Meeting.objects.visible_to` lets them see). Nobody else writes.
"""

from people.roles import Role


def is_secretariat(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.SECRETARIAT)


def can_manage_meetings(user) -> bool:
    return is_secretariat(user)


def can_manage_meeting(user, meeting) -> bool:
    return is_secretariat(user) and not meeting.is_locked


def can_sign_minutes(user, meeting) -> bool:
    from council.models import MeetingStatus

    if not (user.is_authenticated and user.is_active) or meeting.status != MeetingStatus.HELD:
        return False
    return meeting.adjusters.filter(user=user, signed_at__isnull=True).exists()


def can_view_meetings(user) -> bool:
    return user.is_authenticated and user.is_active


def can_record_adoption(user) -> bool:
    return is_secretariat(user)
