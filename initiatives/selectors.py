"""Reads for the initiative pages: pre-joined querysets whose query count does not grow with data."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from core.db import swedish_sort_key
from core.money import round_ore
from initiatives.models import (
    SEARCH_CONFIG,
    ActionArea,
    AreaAlignment,
    Attachment,
    BudgetYear,
    CoFinancing,
    Initiative,
    Message,
    Revision,
    Status,
)
from people.models import Party


@dataclass(frozen=True)
class InitiativeFilter:
    q: str = ""
    status: str = ""
    party: str = ""  # slug
    year: int | None = None  # registration year
    area: int | None = None  # action area id
    queue: bool = False  # the secretariat's preparation queue


# Long texts the list and the export never show.
LIST_DEFERRED = ("description", "whole_varmland_motivation", "transport_plan_motivation", "search_document")


def initiative_list(*, user, filters: InitiativeFilter) -> QuerySet[Initiative]:
    qs = Initiative.objects.visible_to(user).select_related("party").defer(*LIST_DEFERRED)
    if filters.queue:
        qs = qs.filter(status__in=[Status.SUBMITTED, Status.COMPLEMENT_REQUESTED])
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.party:
        qs = qs.filter(party__slug=filters.party)
    if filters.year:
        qs = qs.filter(registration_year=filters.year)
    if filters.area:
        qs = qs.filter(alignments__action_area_id=filters.area)
    if filters.q:
        query = SearchQuery(filters.q, config=SEARCH_CONFIG, search_type="websearch")
        qs = (
            qs.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "-created_at")
        )
    else:
        qs = qs.order_by("-registration_year", "-registration_serial", "-created_at")
    return qs


def export_rows(qs: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """The export adds the money and the alignment, still a fixed number of queries."""
    return qs.prefetch_related(
        "budget_years",
        "co_financing",
        Prefetch("alignments", queryset=AreaAlignment.objects.select_related("action_area")),
    )


def filter_choices() -> dict:
    return {
        "statuses": Status.choices,
        "parties": list(Party.objects.in_swedish_order().values_list("slug", "name")),
        "areas": list(ActionArea.objects.values_list("id", "name")),
    }


def initiative_detail(*, user, pk: int) -> Initiative:
    """One initiative with everything its page shows (raises DoesNotExist when not visible)."""
    initiative = (
        Initiative.objects.visible_to(user)
        .defer("search_document")
        .select_related("party", "preparation", "preparation__prepared_by")
        # The co-sponsors' names in the same query (a subquery, no GROUP BY over the joined rows).
        .annotate(
            co_party_list=ArraySubquery(Party.objects.filter(co_sponsored=OuterRef("pk")).values("name"))
        )
        .prefetch_related(
            Prefetch("alignments", queryset=AreaAlignment.objects.select_related("action_area")),
            Prefetch("budget_years", queryset=BudgetYear.objects.order_by("year")),
            Prefetch("co_financing", queryset=CoFinancing.objects.order_by("year", "source", "funder")),
            Prefetch("attachments", queryset=Attachment.objects.filter(removed_at__isnull=True)),
        )
        .get(pk=pk)
    )
    initiative.co_party_names = sorted(initiative.co_party_list, key=swedish_sort_key)
    return initiative


def initiative_messages(*, initiative: Initiative) -> QuerySet[Message]:
    return initiative.messages.select_related("author", "author__party").order_by("created_at", "id")


@dataclass
class YearFigures:
    year: int
    total_cost: Decimal = Decimal("0")
    requested: Decimal = Decimal("0")
    co_financing: Decimal = Decimal("0")


@dataclass
class Finances:
    years: list[YearFigures] = field(default_factory=list)
    total_cost: Decimal = Decimal("0")
    requested: Decimal = Decimal("0")
    co_financing: Decimal = Decimal("0")
    co_financing_by_source: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def leverage(self) -> Decimal | None:
        """Co-financing per krona from the fund (the agreement asks for it to be reported)."""
        if not self.requested:
            return None
        return round_ore(self.co_financing / self.requested)


def initiative_finances(initiative: Initiative) -> Finances:
    """Totals from the prefetched rows: no further queries."""
    by_year: dict[int, YearFigures] = {}
    by_source: dict[str, Decimal] = {}
    for row in initiative.budget_years.all():
        figures = by_year.setdefault(row.year, YearFigures(row.year))
        figures.total_cost += row.total_cost
        figures.requested += row.requested_amount
    for row in initiative.co_financing.all():
        figures = by_year.setdefault(row.year, YearFigures(row.year))
        figures.co_financing += row.amount
        label = str(row.source_label)
        by_source[label] = by_source.get(label, Decimal("0")) + row.amount
    years = [by_year[y] for y in sorted(by_year)]
    return Finances(
        years=years,
        total_cost=sum((y.total_cost for y in years), Decimal("0")),
        requested=sum((y.requested for y in years), Decimal("0")),
        co_financing=sum((y.co_financing for y in years), Decimal("0")),
        co_financing_by_source=sorted(by_source.items()),
    )


def initiative_revisions(*, initiative: Initiative) -> list[Revision]:
    return list(initiative.revisions.select_related("submitted_by").order_by("number"))


# Labels of the frozen content, in page order.
REVISION_LABELS = [
    ("title", _("Titel")),
    ("summary", _("Sammanfattning")),
    ("description", _("Beskrivning")),
    ("kind", _("Typ av satsning")),
    ("co_parties", _("Medverkande parter")),
    ("contact", _("Kontaktperson")),
    ("whole_varmland_motivation", _("Betydelse för hela Värmland")),
    ("alignments", _("Insatsområden")),
    ("transport_plan", _("Trafikförsörjningsprogrammet")),
    ("period", _("Period")),
    ("budget", _("Budget")),
    ("co_financing", _("Medfinansiering")),
    ("attachments", _("Bilagor")),
]


def _revision_text(key: str, value) -> str:
    from core.money import format_amount

    if value in (None, "", []):
        return ""
    if key == "co_parties" or key == "attachments":
        return ", ".join(value)
    if key == "alignments":
        return "\n".join(f"{a['area']}: {a['motivation']}" for a in value)
    if key == "budget":
        return "\n".join(
            f"{b['year']}: {format_amount(Decimal(b['total_cost']))} "
            f"(ur DGR {format_amount(Decimal(b['requested_amount']))})"
            for b in value
        )
    if key == "co_financing":
        return "\n".join(
            f"{c['year']}: {c['funder']} ({c['source']}, {c['state']}) {format_amount(Decimal(c['amount']))}"
            for c in value
        )
    return str(value)


@dataclass(frozen=True)
class RevisionDiffRow:
    label: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def revision_diff(old: Revision | None, new: Revision) -> list[RevisionDiffRow]:
    rows = []
    for key, label in REVISION_LABELS:
        before = _revision_text(key, old.content.get(key)) if old else ""
        after = _revision_text(key, new.content.get(key))
        rows.append(RevisionDiffRow(str(label), before, after))
    return rows


# --- History -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: object
    who: str
    what: str
    kind: str  # "+", "~", "-"
    reason: str
    changes: list[FieldChange]


def _display(model, name: str, value) -> str:
    from core.money import format_amount

    if value is None or value == "":
        return ""
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        model_field = None
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Ja") if value else _("Nej"))
    if isinstance(value, Decimal):
        return format_amount(value)
    return str(value)


HIDDEN_HISTORY_FIELDS = {"updated_at", "created_at", "submission_token", "id", "initiative", "file"}


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _entries_for(records, model, what, sets=None) -> list[HistoryEntry]:
    """`sets`: {(field name, label): {history_id: text}} for many-to-many fields, read in one query by
    the caller; simple-history's own diff_against would ask the database twice per record for them."""
    sets = sets or {}
    previous = {}
    entries = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        changes = []
        if before is not None and record.history_type == "~":
            delta = record.diff_against(before, excluded_fields=[name for name, _label in sets])
            for (_name, label), texts in sets.items():
                old, new = texts.get(before.history_id, ""), texts.get(record.history_id, "")
                if old != new:
                    changes.append(FieldChange(str(label), old, new))
            for change in delta.changes:
                if change.field in HIDDEN_HISTORY_FIELDS:
                    continue
                changes.append(
                    FieldChange(
                        _label(model, change.field),
                        _display(model, change.field, change.old),
                        _display(model, change.field, change.new),
                    )
                )
        elif record.history_type == "+":
            for model_field in model._meta.concrete_fields:
                if model_field.name in HIDDEN_HISTORY_FIELDS or model_field.is_relation:
                    continue
                value = getattr(record, model_field.attname, None)
                text = _display(model, model_field.name, value)
                if text:
                    changes.append(FieldChange(str(model_field.verbose_name), "", text))
            for (_name, label), texts in sets.items():
                if texts.get(record.history_id):
                    changes.append(FieldChange(str(label), "", texts[record.history_id]))
        previous[record.id] = record
        if record.history_type == "~" and not changes:
            continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=str(user) if user else str(_("systemet")),
                what=what(record),
                kind=record.history_type,
                reason=reason_label(record.history_change_reason or ""),
                changes=changes,
            )
        )
    return entries


# The services' change reasons (stable English codes in the audit trail), as the history page shows them.
REASON_LABELS = {
    "created": _("Skapat"),
    "content edited": _("Innehållet ändrat"),
    "submitted": _("Inlämnat"),
    "resubmitted after complement": _("Inlämnat igen efter komplettering"),
    "complement requested": _("Komplettering begärd"),
    "complement_request": _("Begäran om komplettering"),
    "not eligible": _("Ej stödberättigat"),
    "not_eligible": _("Ej stödberättigat"),
    "prepared": _("Berett"),
    "preparation saved": _("Beredningen sparad"),
    "preparation reopened": _("Beredningen återupptagen"),
    "budget year added": _("Budgetår tillagt"),
    "budget year removed": _("Budgetår borttaget"),
    "co-financing added": _("Medfinansiering tillagd"),
    "co-financing removed": _("Medfinansiering borttagen"),
    "attachment added": _("Bilaga uppladdad"),
    "attachment removed": _("Bilaga borttagen"),
    "alignment": _("Koppling till insatsområde"),
    "alignment removed": _("Koppling till insatsområde borttagen"),
    "message": _("Meddelande"),
    "withdrawn": _("Återkallat"),
    "final report approved": _("Slutrapporten godkänd"),
}


def reason_label(reason: str) -> str:
    if not reason:
        return ""
    if reason in REASON_LABELS:
        return str(REASON_LABELS[reason])
    head, _sep, rest = reason.partition(": ")
    if head == "status" and rest in Status.values:
        return str(Status(rest).label)
    if head in REASON_LABELS:
        return f"{REASON_LABELS[head]}: {rest}"
    if reason.startswith("revision "):
        return f"{_('Version')} {reason.removeprefix('revision ')}"
    return reason


def _co_parties(records) -> dict[int, str]:
    """Each historical record's co-sponsoring parties as one text (names in Swedish order), one query."""
    names = defaultdict(list)
    rows = Initiative.history.model.co_parties.model.objects.filter(
        history__in=[r.history_id for r in records]
    ).values_list("history_id", "party__name")
    for history_id, name in rows:
        names[history_id].append(name)
    return {history_id: ", ".join(sorted(n, key=swedish_sort_key)) for history_id, n in names.items()}


def initiative_history(*, initiative: Initiative) -> list[HistoryEntry]:
    """Who changed what and when, field by field, across the initiative and its parts, newest first."""
    from initiatives.models import Preparation

    def related(model):
        return model.history.filter(initiative_id=initiative.pk).select_related("history_user")

    records = list(Initiative.history.filter(id=initiative.pk).select_related("history_user"))
    entries = _entries_for(
        records,
        Initiative,
        lambda r: str(_("Initiativet")),
        sets={("co_parties", Initiative._meta.get_field("co_parties").verbose_name): _co_parties(records)},
    )
    entries += _entries_for(related(BudgetYear), BudgetYear, lambda r: f"{_('Budget')} {r.year}")
    entries += _entries_for(
        related(CoFinancing), CoFinancing, lambda r: f"{_('Medfinansiering')} {r.year} {r.funder}"
    )
    entries += _entries_for(
        related(AreaAlignment).select_related("action_area"),
        AreaAlignment,
        lambda r: f"{_('Insatsområde')}: {r.action_area.name}",
    )
    entries += _entries_for(related(Attachment), Attachment, lambda r: f"{_('Bilaga')}: {r.original_name}")
    entries += _entries_for(related(Preparation), Preparation, lambda r: str(_("Beredning")))
    entries += _entries_for(related(Message), Message, lambda r: str(_("Meddelande")))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def start_panel(obj, user) -> dict | None:
    """The start page: the party's own open initiatives for initiators, the queue for the secretariat."""
    from initiatives import permissions

    if permissions.is_secretariat(user):
        rows = list(
            Initiative.objects.filter(status__in=[Status.SUBMITTED, Status.COMPLEMENT_REQUESTED])
            .select_related("party")
            .order_by("submitted_at")[:5]
        )
        return {"heading": _("Att bereda"), "rows": rows}
    if permissions.is_initiator(user):
        rows = list(
            Initiative.objects.filter(party_id=user.party_id)
            .open()
            .select_related("party")
            .order_by("-updated_at")[:5]
        )
        return {"heading": _("Din parts pågående initiativ"), "rows": rows}
    return None


def initiatives_ready_for_council() -> QuerySet[Initiative]:
    """The hook for the council app: prepared initiatives with the secretariat's proposal (position and
    amount on `initiative.preparation`), oldest preparation first, to put on a meeting's agenda."""
    return (
        Initiative.objects.filter(status=Status.PREPARED)
        .defer(*LIST_DEFERRED)
        .select_related("party", "preparation")
        .order_by("preparation__prepared_at", "pk")
    )
