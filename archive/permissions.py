"""Who may export and download archive packages, and who may check a PDF (everyone).

Finance and the secretariat ask for packages and download them (the secretariat keeps the initiatives'
cases, finance the ledger; both read everything). Auditors read every package; nobody else sees them.
The region's archivist exports on the server with `manage.py archive_export`.
"""

from people.roles import Role


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_export_archive(user) -> bool:
    return _active(user) and user.has_role(Role.FINANCE, Role.SECRETARIAT)


def can_view_archive_packages(user) -> bool:
    return _active(user) and user.has_role(Role.FINANCE, Role.SECRETARIAT, Role.AUDITOR)
