"""What waits for a person: the to-do list on the start page, the counts in the menu and the digest mail.

Each app registers its kinds of to-do in its AppConfig.ready() (core cannot import the apps built on it),
each with ONE selector: `selector(user, today)` returns a QuerySet of the things that wait for that
person — one row per thing — or None when the person's roles have nothing of that kind. The start page
lists the rows, the menu and the daily digest count them. Counting goes through one query for all kinds
together (`todo_counts`): the menu is on every page, so it costs one query per page, whatever the data
and however many kinds there are; a person none of whose kinds apply (the auditor) costs none.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class TodoEntry:
    """One line of the list: what waits, where it is done, and a note (a due date, how long it waited)."""

    text: str
    url: str
    note: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class TodoKind:
    key: str
    label: str  # what waits, in the plural: "Initiativ att bereda"
    nav: str  # the menu entry (URL name) where this kind of work is done; its count shows there
    selector: Callable[[object, datetime.date], QuerySet | None]
    entry: Callable[[object, datetime.date], TodoEntry]  # one row of the selector as a line of the list
    order: int = 100
    limit: int = 10  # lines shown on the start page; the count says how many there are in all


@dataclass(frozen=True)
class TodoGroup:
    kind: TodoKind
    count: int
    entries: list[TodoEntry]

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


_kinds: list[TodoKind] = []


def register(kind: TodoKind) -> None:
    if any(existing.key == kind.key for existing in _kinds):
        return
    _kinds.append(kind)
    _kinds.sort(key=lambda k: k.order)


def kinds() -> list[TodoKind]:
    return list(_kinds)


def _sources(user, today: datetime.date) -> list[tuple[TodoKind, QuerySet]]:
    if not (user and user.is_authenticated and user.is_active):
        return []
    sources = []
    for kind in _kinds:
        queryset = kind.selector(user, today)
        if queryset is not None:
            sources.append((kind, queryset))
    return sources


def todo_counts(user, today: datetime.date | None = None) -> dict[str, int]:
    """Per kind that applies to the person, how many things wait: one query for all kinds (each
    selector's SQL as a scalar subquery), none when no kind applies."""
    sources = _sources(user, today or timezone.localdate())
    if not sources:
        return {}
    parts, params = [], []
    for _kind, queryset in sources:
        sql, sql_params = queryset.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS waiting)")  # noqa: S608 (the ORM's own SQL)
        params.extend(sql_params)
    with connection.cursor() as cursor:
        # Only the ORM's compiled SQL is joined here; every value travels as a parameter.
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {kind.key: count for (kind, _q), count in zip(sources, row, strict=True)}


def todo_list(user, today: datetime.date | None = None) -> list[TodoGroup]:
    """The start page's list: every kind that applies and has something waiting, with its first lines.
    One query for the counts, then one per kind that has rows (a handful, bounded by the kinds)."""
    today = today or timezone.localdate()
    counts = todo_counts(user, today)
    groups = []
    for kind in _kinds:
        count = counts.get(kind.key, 0)
        if not count:
            continue
        rows = list(kind.selector(user, today)[: kind.limit])
        groups.append(TodoGroup(kind, count, [kind.entry(row, today) for row in rows]))
    return groups


def menu_counts(user) -> dict[str, int]:
    """The counts per menu entry (URL name), and the total under "start"."""
    by_nav: dict[str, int] = {}
    total = 0
    counts = todo_counts(user)
    for kind in _kinds:
        count = counts.get(kind.key, 0)
        if count:
            by_nav[kind.nav] = by_nav.get(kind.nav, 0) + count
            total += count
    if total:
        by_nav["start"] = total
    return by_nav
