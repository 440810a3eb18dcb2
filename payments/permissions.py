"""Who may do what with payment requests. Views use these to show buttons and to refuse; services refuse too.

The officials (initiators) of the initiative's party ask for payment, complete a request and follow it;
Region Värmland's finance, who posts in the ledger, approves, asks for more or rejects; the auditor reads
everything. Nobody else reads them: a request names a bank account and the party's costs. Object lookups go
through `PaymentRequest.objects.visible_to(user)` (selectors), so another party's request is "not found".
"""

from accounting import permissions as accounting_permissions
from initiatives.models import Status as InitiativeStatus
from initiatives.permissions import is_initiator
from payments.models import TRANSITIONS, Status
from people.roles import Role


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_finance(user) -> bool:
    return accounting_permissions.can_post(user)


def reads_all_payment_requests(user) -> bool:
    return _active(user) and (is_finance(user) or user.has_role(Role.AUDITOR))


def can_view_payment_requests(user) -> bool:
    """May open payment requests at all (which ones: `visible_to`)."""
    return reads_all_payment_requests(user) or is_initiator(user)


def can_view_payment_request_queue(user) -> bool:
    return reads_all_payment_requests(user)


def _of_party(user, initiative) -> bool:
    return is_initiator(user) and user.party_id == initiative.party_id


def can_view_initiative_payment_requests(user, initiative) -> bool:
    return reads_all_payment_requests(user) or _of_party(user, initiative)


def can_request_payment(user, initiative) -> bool:
    """Money is asked for while the initiative runs: decided by Region Värmland, not yet completed."""
    return _of_party(user, initiative) and initiative.status == InitiativeStatus.DECIDED


def is_initiator_of(user, initiative) -> bool:
    """One of the initiative's party's initiators: who asks for its payments and follows them."""
    return _of_party(user, initiative)


def can_complete_payment_request(user, payment_request) -> bool:
    return (
        _of_party(user, payment_request.initiative) and payment_request.status == Status.COMPLEMENT_REQUESTED
    )


def can_handle_payment_requests(user) -> bool:
    """Finance, who handles requests (whether one can be acted on now depends on its status)."""
    return is_finance(user)


def can_decide_payment_request(user, payment_request, to: str) -> bool:
    """Approve, ask for more (`to` the status it would get) or reject: finance, when the table allows it."""
    return is_finance(user) and to in TRANSITIONS[payment_request.status]
