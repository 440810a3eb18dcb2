"""Who may do what with parties and people."""

from people.roles import Role


def is_administrator(user) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))
    )


def can_view_parties(user) -> bool:
    # The parties and their contact people are known to everyone in the cooperation.
    return user.is_authenticated and user.is_active


def can_edit_party(user, party=None) -> bool:
    return is_administrator(user)


def reads_everything(user) -> bool:
    """Roles that read every record of every party (but need not change any)."""
    return user.is_authenticated and (
        is_administrator(user) or user.has_role(Role.SECRETARIAT, Role.FINANCE, Role.AUDITOR)
    )


def can_manage_accounts(user) -> bool:
    """Invite people, approve accounts made by single sign-on, and grant roles."""
    return is_administrator(user)
