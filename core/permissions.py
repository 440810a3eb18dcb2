"""Who may do what with the core's own records."""


def can_manage_mail(user) -> bool:
    """Administrators see the mail that waits or failed and send it again. Core sits below `people` and
    cannot import its roles: the role is asked by name through the user model's `has_role`."""
    return bool(user.is_authenticated and user.is_active and user.has_role("administrator"))


def can_use_admin(user) -> bool:
    """The admin site lets in active staff only (Django's own rule): the menu offers it to them alone."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)
