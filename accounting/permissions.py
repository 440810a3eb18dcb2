"""Who may read and write the fund ledger.

Finance (Region Värmland) records decisions, posts, maps accounts and closes years; finance and
administrators open funds and edit their descriptions. The secretariat, the auditor and administrators
read everything. An initiator reads the money of their own party's initiatives.
"""

from people.permissions import is_administrator
from people.roles import Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_post(user, fund=None) -> bool:
    return _active(user) and user.has_role(Role.FINANCE)


def can_record_decision(user, initiative=None) -> bool:
    return can_post(user)


def can_close_year(user, fiscal_year=None) -> bool:
    return can_post(user)


def can_map_accounts(user, fund=None) -> bool:
    return can_post(user)


def can_set_amount_limit(user, fund=None) -> bool:
    """The fund's sanity limit on single amounts: finance, who posts, and administrators, who run DGR."""
    return can_post(user) or (_active(user) and is_administrator(user))


def can_open_fund(user) -> bool:
    """Opening a fund is setting up the ledger: finance, or an administrator at go-live (the first
    administrator exists before anyone holds the finance role)."""
    return _active(user) and (user.has_role(Role.FINANCE) or is_administrator(user))


def can_edit_fund(user, fund=None) -> bool:
    return can_open_fund(user)


def can_view_ledger(user, fund=None) -> bool:
    return _active(user) and (
        is_administrator(user) or user.has_role(Role.FINANCE, Role.SECRETARIAT, Role.AUDITOR)
    )


def can_view_initiative_money(user, initiative) -> bool:
    if can_view_ledger(user):
        return True
    return _active(user) and user.party_id is not None and user.party_id == initiative.party_id


def can_manage_delegation(user) -> bool:
    """The delegation register: finance, who decides under it, and administrators, who run DGR."""
    return can_post(user) or (_active(user) and is_administrator(user))


def can_terminate_initiative(user, initiative=None) -> bool:
    """Ending a decided initiative early is Region Värmland's decision, recorded by its finance staff."""
    return can_post(user)


def can_manage_recovery(user, claim=None) -> bool:
    """Recovery claims (återkrav): finance makes, follows up and writes them off."""
    return can_post(user)


def can_view_recovery_claim(user, claim) -> bool:
    """The ledger's readers, and the initiating party of the claim's initiative."""
    return can_view_initiative_money(user, claim.initiative)
