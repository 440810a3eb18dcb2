"""Who may import existing records: the secretariat its records (initiatives, Värmlandsrådet's positions),
finance the region's (decisions, postings). The services of the other apps check their own rules again."""

from imports.models import ImportKind
from people.roles import Role

_KIND_ROLES = {
    ImportKind.INITIATIVES: Role.SECRETARIAT,
    ImportKind.POSITIONS: Role.SECRETARIAT,
    ImportKind.DECISIONS: Role.FINANCE,
    ImportKind.POSTINGS: Role.FINANCE,
}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_import(user) -> bool:
    return _active(user) and user.has_role(Role.SECRETARIAT, Role.FINANCE)


def can_import_kind(user, kind: str) -> bool:
    return _active(user) and user.has_role(_KIND_ROLES[kind])


def can_run_import(user, record) -> bool:
    return can_import_kind(user, record.kind) and record.status == record.Status.CHECKED
