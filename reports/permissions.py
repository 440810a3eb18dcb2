"""Who may read and issue the annual reports.

Finance issues (exports) Region Värmland's balance report; the secretariat (VRAG) issues the outcome report.
Auditors and administrators read both (and the secretariat and finance read each other's). Initiators and
council representatives read the archived final reports.
"""

from people.permissions import is_administrator
from people.roles import Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_reports(user) -> bool:
    """The dashboard and live (possibly preliminary) reports."""
    return _active(user) and (
        is_administrator(user) or user.has_role(Role.FINANCE, Role.SECRETARIAT, Role.AUDITOR)
    )


def can_export_balance_report(user, fund=None) -> bool:
    return _active(user) and user.has_role(Role.FINANCE)


def can_export_outcome_report(user, fund=None) -> bool:
    return _active(user) and user.has_role(Role.SECRETARIAT)


def can_view_archive(user) -> bool:
    """Final, archived reports are for every role of the cooperation."""
    return _active(user) and (
        can_view_reports(user) or user.has_role(Role.INITIATOR, Role.COUNCIL_REPRESENTATIVE)
    )
