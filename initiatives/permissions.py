"""Who may do what with initiatives. Views use these to show buttons; services use them to refuse.

Seeing is `Initiative.objects.visible_to(user)` (drafts: own party; submitted: everyone logged in).
Only the submitting party's initiators write the content; only the secretariat prepares.
"""

from django.db.models import Q

from initiatives.models import EDITABLE_STATUSES, TRANSITIONS, Initiative, Status
from people.permissions import reads_everything
from people.roles import Role


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_initiator(user) -> bool:
    return _active(user) and user.party_id is not None and user.has_role(Role.INITIATOR)


def is_secretariat(user) -> bool:
    return _active(user) and user.has_role(Role.SECRETARIAT)


def _of_party(user, initiative: Initiative) -> bool:
    return is_initiator(user) and user.party_id == initiative.party_id


def can_complete_imported_initiative(user) -> bool:
    """Region Värmland's finance records the completion of an initiative closed before DGR (from the fund's
    books, with the postings it imports); today's initiatives are completed by their final report."""
    return _active(user) and user.has_role(Role.FINANCE)


def can_create_initiative(user) -> bool:
    return is_initiator(user)


def can_edit_initiative(user, initiative: Initiative) -> bool:
    return _of_party(user, initiative) and initiative.status in EDITABLE_STATUSES


def can_submit_initiative(user, initiative: Initiative) -> bool:
    return can_edit_initiative(user, initiative)


def can_withdraw_initiative(user, initiative: Initiative) -> bool:
    # Until Värmlandsrådet has taken its position (the table says where WITHDRAWN may follow).
    return _of_party(user, initiative) and Status.WITHDRAWN in TRANSITIONS[initiative.status]


def can_prepare_initiative(user, initiative: Initiative) -> bool:
    return is_secretariat(user) and initiative.status == Status.SUBMITTED


def can_reopen_preparation(user, initiative: Initiative) -> bool:
    """The secretariat may take a prepared initiative back before VRAU proposes it."""
    return is_secretariat(user) and initiative.status == Status.PREPARED


def can_view_preparation_queue(user) -> bool:
    return is_secretariat(user)


def can_read_thread(user, initiative: Initiative) -> bool:
    """The thread is between the party and the secretariat; those who read everything read it too."""
    if not _active(user):
        return False
    return user.party_id == initiative.party_id or reads_everything(user)


def threads_read_by(user) -> Q | None:
    """`can_read_thread` as a condition on messages, for reading a thread with its initiative in one
    query: None for a reader of no thread."""
    if not _active(user):
        return None
    return Q() if reads_everything(user) else Q(initiative__party_id=user.party_id)


def can_post_message(user, initiative: Initiative) -> bool:
    if initiative.status == Status.DRAFT:
        return False
    return _of_party(user, initiative) or is_secretariat(user)


def can_view_initiatives(user) -> bool:
    return _active(user)


def can_read_draft(user, initiative: Initiative) -> bool:
    """A draft is its own party's until handed in (as `Initiative.objects.visible_to` says)."""
    return _active(user) and user.party_id is not None and user.party_id == initiative.party_id


def preparation_is_published(preparation) -> bool:
    """A finished preparation is part of the initiative's public record; before, it is work in progress."""
    return preparation.prepared_at is not None


def can_read_preparation(user, initiative: Initiative, preparation) -> bool:
    return preparation_is_published(preparation) or can_read_thread(user, initiative)


# --- Change requests after the decision (ändringsbegäran) ---------------------------------------------


def can_request_change(user, initiative: Initiative) -> bool:
    """The party's initiators ask for a change once Region Värmland has decided and while it runs."""
    return _of_party(user, initiative) and initiative.status == Status.DECIDED


def can_withdraw_change_request(user, change_request) -> bool:
    from initiatives.models import CHANGE_TRANSITIONS, ChangeStatus

    return (
        _of_party(user, change_request.initiative)
        and ChangeStatus.WITHDRAWN in CHANGE_TRANSITIONS[change_request.status]
    )


def can_read_change_request(user, change_request) -> bool:
    """A change request is part of the decided initiative's public record, like the initiative itself."""
    return can_view_initiatives(user)


def can_view_change_queue(user) -> bool:
    """The list of change requests: the secretariat puts more money on the council's agenda, Region
    Värmland's finance decides; the auditor and administrators read it too."""
    return _active(user) and reads_everything(user)


def change_request_awaits_decision(change_request) -> bool:
    """Region Värmland decides now: a change within the frame as handed in, more money once Värmlandsrådet
    has supported it."""
    from initiatives.models import ChangeStatus

    if change_request.needs_council:
        return change_request.status == ChangeStatus.SUPPORTED
    return change_request.status == ChangeStatus.SUBMITTED


def can_decide_change_request(user, change_request) -> bool:
    """Region Värmland's finance records the region's decision (the ledger's rule: accounting.permissions)."""
    return _active(user) and user.has_role(Role.FINANCE) and change_request_awaits_decision(change_request)
