"""The acting user for the audit trail outside a web request.

django-simple-history takes the user from the current request; management commands and background
work have none, so they run their writes inside `acting_as(user)` and every history row names them.
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format as format_number
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user, reason: str = ""):
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user, dgr_change_reason=reason)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous


# --- History as people read it ------------------------------------------------------------------------
#
# A history page lists the recorded versions of a thing and of its parts, each part a *source*: a
# historical model, the rows that belong to the thing, and a read rule. Whoever may not read a kind of
# record on the thing's own page does not get its source at all, so the history never shows more than the
# page it describes. All sources are read in one query (UNION ALL of each row as JSON), the users and the
# names of related objects in one query per model, so a page costs the same whatever the data.


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    kind: str  # "+" created, "~" changed, "-" deleted
    reason: str
    changes: list[FieldChange]


@dataclass(frozen=True)
class HistorySource:
    """One kind of record on a history page.

    `rows` narrows the model's historical rows to the thing's (a Q on the historical model); `what` names
    an entry from its record and a name lookup (`names(Model, pk)`); `hidden` are fields never shown;
    `sets` gives many-to-many texts per history_id (read by the caller); `snapshot_first`: the first
    version a reader may see is shown whole (its earlier versions are not theirs to see)."""

    model: type[models.Model]
    rows: Q
    what: Callable
    hidden: frozenset[str] = frozenset()
    sets: dict = field(default_factory=dict)
    snapshot_first: bool = True
    refs: tuple[str, ...] = ()  # foreign keys whose names `what` uses
    keep: Callable | None = None  # (record) -> bool: a read rule that depends on the version itself


ALWAYS_HIDDEN = frozenset({"id", "updated_at", "search_document"})


class Names:
    """Related objects by their name: asked for while the rows are read, loaded in one query per model."""

    def __init__(self, known=()):
        self._wanted: dict[type, set] = defaultdict(set)
        # Objects the page has read already (the initiative whose history it is): named without a query.
        self._known: dict[tuple[type, object], str] = {(type(obj), obj.pk): str(obj) for obj in known}

    def want(self, model, pk) -> None:
        if pk is not None:
            self._wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self._wanted.items():
            pending = pks - {pk for (m, pk) in self._known if m is model}
            if pending:
                # select_related(): names such as a meeting's ("VR 2026-11-30") read a related row.
                for obj in model._base_manager.filter(pk__in=pending).select_related():
                    self._known[(model, obj.pk)] = str(obj)
        self._wanted.clear()

    def __call__(self, model, pk) -> str:
        if pk is None:
            return ""
        return self._known.get((model, pk), str(pk))


def local_time(value: datetime.datetime) -> str:
    """`2026-11-30 19:12`: the time as the reader's clock in Värmland showed it."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def value_text(model_field, value, names: Names) -> str:
    """A recorded value as people read it: Swedish labels for choices, Ja/Nej, kronor, local time,
    related objects by their name."""
    from core.money import MoneyField, format_amount

    if value is None or value == "":
        return ""
    if model_field is None:
        return str(value)
    if model_field.is_relation:
        return names(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(value, datetime.datetime):
        return local_time(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if isinstance(model_field, MoneyField):
            return format_amount(value)
        return format_number(value, use_l10n=True)
    return str(value)


# Fields whose models give no verbose name (Django then shows the English attribute name); adding one
# would be a migration in each app for a label, so the history names them here.
DEFAULT_LABELS = {
    "author": gettext_lazy("författare"),
    "closed_by": gettext_lazy("stängt av"),
    "created_by": gettext_lazy("skapad av"),
    "prepared_by": gettext_lazy("beredd av"),
    "recorded_by": gettext_lazy("registrerat av"),
    "reviewed_by": gettext_lazy("granskad av"),
    "submitted_by": gettext_lazy("inlämnad av"),
    "uploaded_by": gettext_lazy("uppladdad av"),
    "user": gettext_lazy("person"),
}


def field_label(model_field) -> str:
    name = model_field.name
    if str(model_field.verbose_name) == name.replace("_", " ") and name in DEFAULT_LABELS:
        return str(DEFAULT_LABELS[name])
    return str(model_field.verbose_name)


def _shown_fields(model, hidden) -> list:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in hidden and f.name not in ALWAYS_HIDDEN and not isinstance(f, models.FileField)
    ]


def history_records(sources: list[HistorySource]) -> dict[int, list]:
    """Every source's historical rows, in one query: {index of the source: [historical instances]}."""
    parts, params = [], []
    for index, source in enumerate(sources):
        sql, part_params = source.model.history.filter(source.rows).order_by().query.sql_with_params()
        # The SQL is Django's own for the queryset (values stay parameters); `index` is an int.
        parts.append(f"SELECT {index} AS source, to_jsonb(s)::text AS row FROM ({sql}) s")  # noqa: S608
        params.extend(part_params)
    found: dict[int, list] = defaultdict(list)
    if not parts:
        return found
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for index, text in rows:
        history_model = sources[index].model.history.model
        data = json.loads(text, parse_float=Decimal)
        values = {}
        for f in history_model._meta.concrete_fields:
            if f.column in data:
                raw = data[f.column]
                values[f.attname] = None if raw is None else f.to_python(raw)
        found[index].append(history_model(**values))
    return found


def history_entries(
    sources: list[HistorySource], *, reason_label=lambda r: r, known=()
) -> list[HistoryEntry]:
    """The entries of a history page, newest first, field by field, values as people read them. `known`:
    objects the page has read already, named without another query."""
    user_model = get_user_model()
    names = Names(known)
    records = history_records(sources)
    pending = []  # (source, record, changes as (field, old, new) raw)
    for index, source in enumerate(sources):
        model = source.model
        fields = _shown_fields(model, source.hidden)
        previous: dict = {}
        pk_name = model._meta.pk.attname
        versions = sorted(records.get(index, []), key=lambda r: (r.history_date, r.history_id))
        for record in versions:
            if source.keep is not None and not source.keep(record):
                continue
            key = getattr(record, pk_name)
            before = previous.get(key)
            previous[key] = record
            raw = []
            whole = record.history_type == "+" or (before is None and source.snapshot_first)
            for f in fields:
                new = getattr(record, f.attname, None)
                old = None if whole or before is None else getattr(before, f.attname, None)
                if whole and new in (None, ""):
                    continue
                if not whole and old == new:
                    continue
                if before is None and not whole:
                    continue
                raw.append((f, old, new))
                if f.is_relation:
                    names.want(f.related_model, old)
                    names.want(f.related_model, new)
            for (_name, label), texts in source.sets.items():
                old = "" if whole else texts.get(before.history_id, "") if before else ""
                new = texts.get(record.history_id, "")
                if old != new:
                    raw.append((str(label), old, new))
            if record.history_type == "~" and not raw:
                continue
            for name in source.refs:
                f = model._meta.get_field(name)
                names.want(f.related_model, getattr(record, f.attname, None))
            names.want(user_model, record.history_user_id)
            pending.append((source, record, raw))
    names.load()
    entries = []
    for source, record, raw in pending:
        changes = [
            FieldChange(f, old, new)
            if isinstance(f, str)
            else FieldChange(field_label(f), value_text(f, old, names), value_text(f, new, names))
            for f, old, new in raw
        ]
        who = names(user_model, record.history_user_id) if record.history_user_id else str(_("systemet"))
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=who,
                what=str(source.what(record, names)),
                kind=record.history_type,
                reason=reason_label(record.history_change_reason or ""),
                changes=changes,
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


# Sources that later apps add to an earlier app's history page (an initiative's history lists its council
# items and its decisions, but `initiatives` cannot import `council` or `accounting`): the later app
# registers a function (thing, user) -> [HistorySource], which returns only what the user may read.
_history_slots: dict[str, list[Callable]] = defaultdict(list)


def register_history_sources(slot: str, sources: Callable) -> None:
    if sources not in _history_slots[slot]:
        _history_slots[slot].append(sources)


def registered_history_sources(slot: str, obj, user) -> list[HistorySource]:
    found = []
    for sources in _history_slots.get(slot, []):
        found.extend(sources(obj, user))
    return found
