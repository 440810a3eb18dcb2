"""Reads for the initiative pages: pre-joined querysets whose query count does not grow with data."""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from core.db import JSONRow, SwedishSortKey, swedish_sort_key
from core.history import HistoryEntry, HistorySource, history_entries, registered_history_sources
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
    sort: str = ""  # one of LIST_SORTS, "-" in front for descending; empty: the register's order


# Long texts the list and the export never show.
LIST_DEFERRED = ("description", "whole_varmland_motivation", "transport_plan_motivation", "search_document")
# What a row of the list shows (initiatives/templatetags/initiatives.py) beside the annotations: a page
# reads these alone (the export reads the rest, with LIST_DEFERRED left out).
LIST_ROW_FIELDS = (
    "title",
    "status",
    "registration_year",
    "registration_serial",
    "submitted_at",
    "party__name",
)

# The list's money beyond what was requested (granted, disbursed) lives in the ledger, an app that
# depends on this one: it adds its annotations here (accounting/apps.py), for the readers it allows.
ListAmounts = Callable[[QuerySet, object], QuerySet]
_list_amounts: list[ListAmounts] = []


def register_list_amounts(annotate: ListAmounts) -> None:
    _list_amounts.append(annotate)


# The lifecycle's order, so "sort by status" follows the initiative's way rather than the alphabet.
_STATUS_ORDER = Case(
    *(When(status=value, then=Value(index)) for index, value in enumerate(Status.values)), default=Value(99)
)

# Column key (the URL's `ordning`) -> what the database sorts by. Amount keys exist only when the
# annotation does (granted and disbursed for readers of the money).
LIST_SORTS: dict[str, tuple] = {
    "diarienummer": (
        F("registration_year").asc(nulls_last=True),
        F("registration_serial").asc(nulls_last=True),
    ),
    "titel": (SwedishSortKey("title"),),
    "part": (SwedishSortKey("party__name"),),
    "status": (_STATUS_ORDER,),
    "inlamnat": (F("submitted_at").asc(nulls_last=True),),
    "sokt": (F("requested").asc(nulls_last=True),),
    "beviljat": (F("granted").asc(nulls_last=True),),
    "utbetalt": (F("disbursed").asc(nulls_last=True),),
    "vantat": (F("submitted_at").desc(nulls_last=True),),  # waited longest = submitted first
}


def _descending(expression):
    if hasattr(expression, "descending"):  # an OrderBy (F(...).asc()): flip it, nulls stay last
        field = F(expression.expression.name)
        return field.asc(nulls_last=True) if expression.descending else field.desc(nulls_last=True)
    return expression.desc()


def initiative_list(*, user, filters: InitiativeFilter) -> QuerySet[Initiative]:
    """The list with its amount columns and co-sponsors, in one query per page whatever the data: the
    requested sum, the ledger's figures and the co-sponsors' names are subqueries of the same row."""
    requested = (
        BudgetYear.objects.filter(initiative=OuterRef("pk"))
        .order_by()
        .values("initiative")
        .annotate(total=Sum("requested_amount"))
        .values("total")
    )
    qs = (
        Initiative.objects.visible_to(user)
        .select_related("party")
        .defer(*LIST_DEFERRED)
        .annotate(
            requested=Subquery(requested),
            co_party_list=ArraySubquery(Party.objects.filter(co_sponsored=OuterRef("pk")).values("name")),
        )
    )
    for annotate in _list_amounts:
        qs = annotate(qs, user)
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
    key = filters.sort.removeprefix("-")
    if filters.q:
        query = SearchQuery(filters.q, config=SEARCH_CONFIG, search_type="websearch")
        qs = qs.filter(search_document=query).annotate(rank=SearchRank(F("search_document"), query))
    if key in LIST_SORTS and (key not in ("beviljat", "utbetalt") or key_annotated(qs, key)):
        keys = LIST_SORTS[key]
        if filters.sort.startswith("-"):
            keys = tuple(_descending(k) for k in keys)
        qs = qs.order_by(*keys, "-created_at", "-pk")
    elif filters.q:
        qs = qs.order_by("-rank", "-created_at")
    else:
        qs = qs.order_by("-registration_year", "-registration_serial", "-created_at")
    return qs


def initiative_list_page(qs: QuerySet[Initiative], number, per_page: int) -> Page:
    """One page of the list in a fixed number of queries whatever page it is. The page's ids are found
    first on the filtered, ordered list without the amount and co-sponsor subqueries, which PostgreSQL
    would otherwise evaluate for every row an OFFSET skips (page 40 read ~1,000 rows' ledger sums to
    show 25); only a sort by an amount keeps its subquery in the ORDER BY. The same query counts the
    rows in all: one round trip and one query through the ORM fewer. The page's rows are then read with
    their subqueries, in order.

    As Paginator.get_page: a page number that is not a number shows the first page, one out of range
    the last (found with the paginator's own queries, which only such a link costs)."""
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1
    found = []
    if wanted >= 1:
        start = (wanted - 1) * per_page
        # The count as an uncorrelated scalar subquery, which PostgreSQL runs once beside the ids' own
        # plan (a window count would sort every row first). Only the ORM's compiled SQL is wrapped here.
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        rows_in_all = RawSQL(f"SELECT count(*) FROM ({sql}) AS all_rows", params)  # noqa: S608, S611
        found = list(
            qs.annotate(rows_in_all=rows_in_all).values_list("pk", "rows_in_all")[start : start + per_page]
        )
    if found or wanted == 1:
        paginator = Paginator(qs.values_list("pk", flat=True), per_page)
        paginator.count = found[0][1] if found else 0  # read above: the paginator asks no more
        page = Page([pk for pk, _rows_in_all in found], wanted, paginator)
    else:
        page = Paginator(qs.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = qs.filter(pk__in=ids).order_by().only(*LIST_ROW_FIELDS) if ids else []
    by_pk = {initiative.pk: initiative for initiative in rows}
    page.object_list = [by_pk[pk] for pk in ids]
    return page


_SORT_ANNOTATIONS = {"beviljat": "granted", "utbetalt": "disbursed"}


def key_annotated(qs: QuerySet, key: str) -> bool:
    return _SORT_ANNOTATIONS[key] in qs.query.annotations


def list_co_party_names(initiative: Initiative) -> list[str]:
    return sorted(initiative.co_party_list or [], key=swedish_sort_key)


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


# What later apps show on the initiative's page from rows of their own (payment requests), read in the
# page's one query of the initiative: each function returns annotations for the reader (subqueries on
# OuterRef("pk")), or none. The page's budget of 12 queries has no room for a query per panel.
DetailAnnotations = Callable[[object], dict]
_detail_annotations: list[DetailAnnotations] = []


def register_detail_annotations(annotations: DetailAnnotations) -> None:
    _detail_annotations.append(annotations)


@functools.cache
def _detail_rows() -> dict:
    """The arrays of rows the initiative's page reads in its query of the initiative, the same for every
    reader and every initiative (they point at the row by OuterRef): built once per process, as building
    them was a tenth of the page's time. Not a cache of data: they are expressions, which Django copies
    before it fits them into a query, and the rows are read anew on every request."""
    return {
        # The co-sponsors' names in the same query (a subquery, no GROUP BY over the joined rows).
        "co_party_list": ArraySubquery(Party.objects.filter(co_sponsored=OuterRef("pk")).values("name")),
        # The action areas it aligns with, as plain lines (the area's name and the motivation): in the
        # same query, because the page's budget of 12 queries is spent elsewhere.
        "alignment_list": ArraySubquery(
            AreaAlignment.objects.filter(initiative=OuterRef("pk"))
            .order_by("pk")
            .values(line=JSONRow(area="action_area__name", motivation="motivation"))
        ),
        # Its change requests with the region's decisions on them, for their panel: the same query.
        "change_request_list": change_request_rows(OuterRef("pk")),
        # Its budget, co-financing and attachments, for their tables: here rather than a prefetch each,
        # which cost twice as much to build and run as its array (amounts as text: a JSON number would come
        # back as a float).
        "budget_list": ArraySubquery(
            BudgetYear.objects.filter(initiative=OuterRef("pk"))
            .order_by("year")
            .values(
                row=JSONRow(
                    id="id",
                    year="year",
                    total_cost=Cast("total_cost", CharField()),
                    requested_amount=Cast("requested_amount", CharField()),
                )
            )
        ),
        "co_financing_list": ArraySubquery(
            CoFinancing.objects.filter(initiative=OuterRef("pk"))
            .order_by("year", "source", "funder")
            .values(
                row=JSONRow(
                    id="id",
                    year="year",
                    source="source",
                    funder="funder",
                    state="state",
                    amount=Cast("amount", CharField()),
                )
            )
        ),
        "attachment_list": ArraySubquery(
            Attachment.objects.filter(initiative=OuterRef("pk"), removed_at__isnull=True)
            .order_by("uploaded_at", "id")
            .values(row=JSONRow(id="id", original_name="original_name", size="size"))
        ),
    }


@functools.cache
def _message_rows() -> QuerySet:
    """The thread's messages with their authors, as JSON rows for the page's query (`initiative_detail`
    adds who may read them): built once per process, like `_detail_rows`."""
    return (
        Message.objects.filter(initiative=OuterRef("pk"))
        .order_by("created_at", "id")
        .values(
            row=JSONRow(
                id="id",
                author_id="author_id",
                kind="kind",
                body="body",
                created_at="created_at",
                first_name="author__first_name",
                last_name="author__last_name",
                username="author__username",
                party_id="author__party_id",
                party_name="author__party__name",
            )
        )
    )


def _instance(model, db, values: dict):
    """A row as a query would load it (Model.from_db, which takes the fields in the model's order; the
    fields not read are deferred)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def _loaded(model, initiative: Initiative, rows: list[dict], amounts: tuple[str, ...] = ()) -> list:
    """An initiative's part as instances loaded from its JSON rows; `amounts` are the fields read as text."""
    loaded = []
    for row in rows:
        values = {**row, **{name: Decimal(row[name]) for name in amounts}, "initiative_id": initiative.pk}
        instance = _instance(model, initiative._state.db, values)
        instance.initiative = initiative
        loaded.append(instance)
    return loaded


def _thread(initiative: Initiative, rows: list[dict]) -> list[Message]:
    """The thread's messages loaded from their JSON rows, each with its author and the author's party, as
    `initiative_messages` loads them."""
    from people.models import User

    db = initiative._state.db
    messages = []
    for row in rows:
        author = _instance(
            User,
            db,
            {key: row[key] for key in ("first_name", "last_name", "username", "party_id")}
            | {"id": row["author_id"]},
        )
        if row["party_id"] is not None:
            author.party = _instance(Party, db, {"id": row["party_id"], "name": row["party_name"]})
        message = _instance(
            Message,
            db,
            {
                "id": row["id"],
                "initiative_id": initiative.pk,
                "author_id": row["author_id"],
                "kind": row["kind"],
                "body": row["body"],
                "created_at": datetime.datetime.fromisoformat(row["created_at"]),
            },
        )
        message.initiative, message.author = initiative, author
        messages.append(message)
    return messages


def initiative_detail(*, user, pk: int) -> Initiative:
    """One initiative with everything its page shows (raises DoesNotExist when not visible)."""
    from initiatives import permissions

    extra = {}
    for annotations in _detail_annotations:
        extra.update(annotations(user))
    # Its thread, where the reader reads threads (the page shows it to them: permissions.can_read_thread).
    thread_readable = permissions.threads_read_by(user)
    if thread_readable is not None:
        extra["message_list"] = ArraySubquery(_message_rows().filter(thread_readable))
    initiative = (
        Initiative.objects.visible_to(user)
        .defer("search_document")
        .select_related("party", "preparation", "preparation__prepared_by")
        .annotate(**_detail_rows(), **extra)
        .get(pk=pk)
    )
    initiative.budget_rows = _loaded(
        BudgetYear, initiative, initiative.budget_list, ("total_cost", "requested_amount")
    )
    initiative.co_financing_rows = _loaded(CoFinancing, initiative, initiative.co_financing_list, ("amount",))
    initiative.attachment_rows = _loaded(Attachment, initiative, initiative.attachment_list)
    if thread_readable is not None:
        initiative.thread_messages = _thread(initiative, initiative.message_list)
    initiative.co_party_names = sorted(initiative.co_party_list, key=swedish_sort_key)
    initiative.alignment_lines = [
        AlignmentLine(line["area"], line["motivation"]) for line in initiative.alignment_list
    ]
    return initiative


@dataclass(frozen=True)
class AlignmentLine:
    area: str  # the action area's name
    motivation: str


def initiative_messages(*, initiative: Initiative) -> list[Message]:
    """The thread, oldest first, for a reader of it: as read with the initiative (`initiative_detail`),
    or one query."""
    thread = getattr(initiative, "thread_messages", None)
    if thread is not None:
        return thread
    return list(initiative.messages.select_related("author", "author__party").order_by("created_at", "id"))


@dataclass
class YearFigures:
    year: int
    total_cost: Decimal = Decimal("0")
    requested: Decimal = Decimal("0")
    co_financing: Decimal = Decimal("0")
    budget_year_id: int | None = None  # the year's budget row (one per year), to change or remove it


@dataclass
class Finances:
    years: list[YearFigures] = field(default_factory=list)
    total_cost: Decimal = Decimal("0")
    requested: Decimal = Decimal("0")
    co_financing: Decimal = Decimal("0")
    co_financing_by_source: list[tuple[str, Decimal]] = field(default_factory=list)


def initiative_finances(initiative: Initiative) -> Finances:
    """Totals from the rows read with the initiative (`initiative_detail`) or prefetched: no further
    queries."""
    by_year: dict[int, YearFigures] = {}
    by_source: dict[str, Decimal] = {}
    budget = getattr(initiative, "budget_rows", None)
    co_financing = getattr(initiative, "co_financing_rows", None)
    for row in initiative.budget_years.all() if budget is None else budget:
        figures = by_year.setdefault(row.year, YearFigures(row.year))
        figures.total_cost += row.total_cost
        figures.requested += row.requested_amount
        figures.budget_year_id = row.pk
    for row in initiative.co_financing.all() if co_financing is None else co_financing:
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
#
# The history of an initiative follows the read rules of its page, kind by kind (core.history assembles
# it): its content and parts from the moment other parties could see it (before, only the own party's);
# the thread only for those who read the thread; the preparation's unpublished versions only for them
# too; council, ledger and outcome records as their apps allow (registered in their AppConfig.ready()).

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
    if reason.startswith("Beslut "):
        # Region Värmland's decision by its reference is on the money pages, for those who read them; the
        # status change says only that it was decided.
        return str(_("Beslut enligt delegation"))
    if reason.startswith("revision "):
        return f"{_('Version')} {reason.removeprefix('revision ')}"
    return reason


def _co_parties(initiative: Initiative) -> dict[int, str]:
    """Each historical record's co-sponsoring parties as one text (names in Swedish order), one query."""
    names = defaultdict(list)
    rows = Initiative.history.model.co_parties.model.objects.filter(history__id=initiative.pk).values_list(
        "history_id", "party__name"
    )
    for history_id, name in rows:
        names[history_id].append(name)
    return {history_id: ", ".join(sorted(n, key=swedish_sort_key)) for history_id, n in names.items()}


def initiative_history_sources(*, initiative: Initiative, user) -> list[HistorySource]:
    """The kinds of record the initiative's history lists for `user`, each with the page's read rule."""
    from initiatives import permissions
    from initiatives.models import Preparation

    pk = initiative.pk
    of_initiative = Q(initiative_id=pk)
    if not permissions.can_read_draft(user, initiative):
        # Another party's draft was never theirs to see: its history starts when it was handed in.
        first_submitted = (
            Initiative.history.filter(id=pk)
            .exclude(status=Status.DRAFT)
            .order_by("history_date")
            .values("history_date")[:1]
        )
        since = Q(history_date__gte=Subquery(first_submitted))
    else:
        since = Q()
    hidden = frozenset({"created_at", "submission_token", "initiative", "registration_serial"})
    co_parties = Initiative._meta.get_field("co_parties")
    sources = [
        HistorySource(
            Initiative,
            Q(id=pk) & since,
            lambda r, names: _("Initiativet"),
            hidden=hidden,
            sets={("co_parties", co_parties.verbose_name): _co_parties(initiative)},
        ),
        HistorySource(BudgetYear, of_initiative & since, lambda r, names: f"{_('Budget')} {r.year}"),
        HistorySource(
            CoFinancing,
            of_initiative & since,
            lambda r, names: f"{_('Medfinansiering')} {r.year} {r.funder}",
            hidden=hidden,
        ),
        HistorySource(
            AreaAlignment,
            of_initiative & since,
            lambda r, names: f"{_('Insatsområde')}: {names(ActionArea, r.action_area_id)}",
            hidden=hidden,
            refs=("action_area",),
        ),
        HistorySource(
            Attachment,
            of_initiative & since,
            lambda r, names: f"{_('Bilaga')}: {r.original_name}",
            hidden=hidden | {"content_type"},
        ),
    ]
    can_read_thread = permissions.can_read_thread(user, initiative)
    sources.append(
        HistorySource(
            Preparation,
            of_initiative,
            lambda r, names: _("Beredning"),
            hidden=hidden,
            # The page shows a preparation to others once it is done; the versions in between are the
            # secretariat's work in progress, read by those who read the thread.
            keep=None if can_read_thread else permissions.preparation_is_published,
        )
    )
    if can_read_thread:
        sources.append(HistorySource(Message, of_initiative, lambda r, names: _("Meddelande"), hidden=hidden))
    return sources + registered_history_sources("initiative", initiative, user)


def initiative_history(*, initiative: Initiative, user) -> list[HistoryEntry]:
    """Who changed what and when, field by field, across the initiative and its parts, newest first:
    exactly what `user` may read of them on the initiative's own pages."""
    return history_entries(
        initiative_history_sources(initiative=initiative, user=user),
        reason_label=reason_label,
        known=[initiative],
    )


def start_panel(obj, user) -> dict | None:
    """The start page: the party's own open initiatives for initiators. (What waits for the secretariat,
    the initiatives to prepare among it, is the start page's to-do list: initiatives/todo.py.)"""
    from initiatives import permissions

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


def drafts_abandoned(cutoff) -> QuerySet:
    """Drafts never submitted and not changed since `cutoff`: what the retention rule removes. A draft
    once handed in (sent back for complement, withdrawn after submission) is a public record and stays."""
    return Initiative.objects.filter(
        status=Status.DRAFT,
        submitted_at__isnull=True,
        registration_year__isnull=True,
        updated_at__lt=cutoff,
        revisions__isnull=True,
    )


# --- The initiative page's status timeline ---------------------------------------------------------

# The agreement's way from submission to a closed initiative, in order.
TIMELINE_STEPS = [
    ("submitted", _("Inlämnat")),
    ("prepared", _("Berett av sekretariatet")),
    ("working_committee", _("Arbetsutskottet (VRAU)")),
    ("council", _("Värmlandsrådet")),
    ("decision", _("Region Värmlands beslut")),
    ("commitments", _("Åtaganden")),
    ("payouts", _("Utbetalningar")),
    ("reports", _("Återrapportering")),
    ("closed", _("Avslutat")),
]
_STEP_INDEX = {key: index for index, (key, _label) in enumerate(TIMELINE_STEPS)}

# The step each open status waits for (the first step not yet done).
_CURRENT_STEP = {
    Status.DRAFT: "submitted",
    Status.SUBMITTED: "prepared",
    Status.COMPLEMENT_REQUESTED: "prepared",
    Status.PREPARED: "working_committee",
    Status.PROPOSED: "council",
    Status.SUPPORTED: "decision",
    Status.DECIDED: "commitments",
}
# Where a closed initiative stopped: the step that ended it.
_ENDED_AT = {Status.NOT_ELIGIBLE: "prepared", Status.NOT_SUPPORTED: "council", Status.TERMINATED: "reports"}

# What is expected next and from whom, per status (None: the initiating party itself).
_NEXT = {
    Status.DRAFT: (_("Initiativet fylls i och lämnas in."), None),
    Status.SUBMITTED: (_("Sekretariatet bereder initiativet."), _("Sekretariatet (VRAG)")),
    Status.COMPLEMENT_REQUESTED: (
        _("Parten kompletterar initiativet och lämnar in det igen."),
        None,
    ),
    Status.PREPARED: (
        _("Arbetsutskottet (VRAU) behandlar beredningen och föreslår Värmlandsrådet ett ställningstagande."),
        _("Arbetsutskottet (VRAU)"),
    ),
    Status.PROPOSED: (_("Värmlandsrådet tar ställning i konsensus."), _("Värmlandsrådet")),
    Status.SUPPORTED: (_("Region Värmland fattar formellt beslut enligt delegation."), _("Region Värmland")),
    Status.DECIDED: (
        _("Pengarna beviljas och betalas ut; parten återrapporterar utfallet varje år."),
        _("Region Värmland och %(party)s"),
    ),
}

TimelineDates = Callable[[Initiative, object], dict]
_timeline_dates: list[TimelineDates] = []


def register_timeline_dates(dates: TimelineDates) -> None:
    """Later apps (the council's meetings, the ledger) add the dates of their steps, for the readers they
    allow; each provider runs one query at most, so the page keeps its budget."""
    _timeline_dates.append(dates)


@dataclass(frozen=True)
class TimelineStep:
    key: str
    label: str
    state: str  # "done", "current", "upcoming", "ended" (where it stopped) or "skipped"
    date: object = None  # a date or datetime where known to this reader


@dataclass(frozen=True)
class InitiativeTimeline:
    steps: list[TimelineStep]
    next_step: str  # what is expected next ("" when closed)
    waiting_for: str  # from whom
    complement_request: Message | None  # the open request for a complement, shown at the top


def initiative_timeline(*, initiative: Initiative, user, preparation=None, thread=()) -> InitiativeTimeline:
    """Where the initiative stands, what comes next and from whom, and each step with its date."""
    dates: dict = {"submitted": initiative.submitted_at}
    if preparation is not None:
        dates["prepared"] = preparation.prepared_at
    for provider in _timeline_dates:
        dates |= {key: value for key, value in provider(initiative, user).items() if value}
    status = initiative.status
    closed = initiative.is_closed
    if status == Status.DECIDED:
        # After the decision the ledger tells how far the money has come.
        current = next((k for k in ("commitments", "payouts", "reports") if not dates.get(k)), "reports")
    elif status in _ENDED_AT:
        current = _ENDED_AT[status]
    elif status == Status.WITHDRAWN:
        # Withdrawn: after the last step that has a date.
        reached = [_STEP_INDEX[k] for k in dates if dates.get(k) and k in _STEP_INDEX]
        current = TIMELINE_STEPS[min(max(reached, default=-1) + 1, len(TIMELINE_STEPS) - 2)][0]
    elif status == Status.COMPLETED:
        current = "closed"
    else:
        current = _CURRENT_STEP.get(status, "submitted")
    current_index = _STEP_INDEX[current]
    steps = []
    for index, (key, label) in enumerate(TIMELINE_STEPS):
        if key == "closed":
            state = "done" if closed else "upcoming"
            label = initiative.status_label if closed else label
        elif status == Status.COMPLETED or index < current_index:
            state = "done"
        elif index == current_index:
            state = "ended" if closed else "current"
        else:
            state = "skipped" if closed else "upcoming"
        steps.append(TimelineStep(key, str(label), state, dates.get(key)))
    next_step, waiting_for = ("", "")
    if status in _NEXT:
        text, who = _NEXT[status]
        party = initiative.party.name
        next_step, waiting_for = str(text), party if who is None else str(who) % {"party": party}
    complement = None
    if status == Status.COMPLEMENT_REQUESTED:
        complement = next(
            (m for m in reversed(list(thread)) if m.kind == Message.Kind.COMPLEMENT_REQUEST), None
        )
    return InitiativeTimeline(steps, next_step, waiting_for, complement)


# --- Change requests after the decision (ändringsbegäran) ---------------------------------------------


@dataclass(frozen=True)
class TrailStep:
    """One step of a change request's decision trail, oldest first."""

    day: object  # a date
    what: str
    detail: str = ""
    url: str = ""
    url_name: str = ""  # a link the template builds: "decision" or "meeting"
    pk: int | None = None


def change_request_trail(*, change, user) -> list[TrailStep]:
    """Handed in, VRAU's and Värmlandsrådet's handling (for more money), Region Värmland's decision:
    read through the later apps' reverse relations (three queries), so `initiatives` imports none of them."""
    from django.utils import timezone

    from core.money import format_amount
    from people.permissions import reads_everything

    steps = [
        TrailStep(
            timezone.localdate(change.submitted_at),
            str(_("Inlämnad")),
            str(change.submitted_by),
        )
    ]
    items = (
        change.agenda_items.filter(annulled_at__isnull=True)
        .select_related("meeting__body")
        .order_by("meeting__starts_at", "pk")
    )
    for item in items:
        outcome = item.get_outcome_display() if item.outcome else str(_("På föredragningslistan"))
        steps.append(
            TrailStep(
                timezone.localdate(item.meeting.starts_at),
                f"{item.meeting.body.name}: {outcome}",
                item.outcome_detail,
                url_name="meeting",
                pk=item.meeting_id,
            )
        )
    # The ledger's readers open the decision; the party its initiative's money page; others read the text.
    reads_ledger = reads_everything(user)
    own_party = user.party_id is not None and user.party_id == change.initiative.party_id
    for decision in change.decisions.order_by("decided_on", "pk"):
        detail = f"{decision.maker}"
        if decision.amount:
            detail += f", {format_amount(decision.amount)}"
        steps.append(
            TrailStep(
                decision.decided_on,
                f"{_('Region Värmlands beslut')} {decision.reference}: {decision.get_outcome_display()}",
                detail,
                url_name="decision" if reads_ledger else ("money" if own_party else ""),
                pk=decision.pk if reads_ledger else change.initiative_id,
            )
        )
    if change.status == "withdrawn" and change.closed_at:
        steps.append(TrailStep(timezone.localdate(change.closed_at), str(_("Återkallad av parten"))))
    return steps


def change_request_lists() -> dict:
    """The open change requests, oldest first, and the 50 latest closed (two queries)."""
    from initiatives.models import CHANGE_CLOSED_STATUSES, ChangeRequest

    base = ChangeRequest.objects.select_related("initiative__party")
    return {
        "open": list(base.exclude(status__in=CHANGE_CLOSED_STATUSES).order_by("submitted_at", "pk")),
        "closed": list(base.filter(status__in=CHANGE_CLOSED_STATUSES).order_by("-closed_at", "-pk")[:50]),
    }


def change_request_rows(initiative_ref) -> ArraySubquery:
    """The change requests of the initiative `initiative_ref` (an OuterRef or a pk), each with Region
    Värmland's decisions on it, as JSON rows: a subquery, so the initiative's page reads them in its own
    query. The decisions are the ledger's; they are reached through the reverse relation, not imported."""
    from initiatives.models import ChangeRequest

    decision_model = ChangeRequest._meta.get_field("decisions").related_model
    decisions = ArraySubquery(
        decision_model.objects.filter(change_request=OuterRef("pk"))
        .order_by("decided_on", "pk")
        .values(row=JSONRow(pk="pk", reference="reference", decided_on="decided_on"))
    )
    # VRAU's and Värmlandsrådet's handling of a request for more money (the council's agenda items).
    item_model = ChangeRequest._meta.get_field("agenda_items").related_model
    items = ArraySubquery(
        item_model.objects.filter(change_request=OuterRef("pk"), annulled_at__isnull=True)
        .order_by("meeting__starts_at", "pk")
        .values(row=JSONRow(body="meeting__body__name", outcome="outcome", meeting="meeting_id"))
    )
    return ArraySubquery(
        ChangeRequest.objects.filter(initiative=initiative_ref)
        .order_by("number")
        .values(
            row=JSONRow(
                pk="pk",
                number="number",
                kind="kind",
                status="status",
                submitted_at="submitted_at",
                items=items,
                decisions=decisions,
            )
        )
    )


@dataclass(frozen=True)
class ChangeRequestRow:
    """A change request as its panel lists it (from `change_request_rows`)."""

    pk: int
    number: int
    kind_label: str
    status_label: str
    status_tag: str
    submitted_on: str
    items: list[dict]  # {"body", "outcome" (a label), "meeting"}
    decisions: list[dict]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("initiatives:change-request-detail", args=[self.pk])


def change_request_panel(initiative, user) -> dict | None:
    """On the initiative's page (core.panels "initiative-detail"): its change requests and the region's
    decisions on them (read with the initiative by `initiative_detail`) and, for the party's initiators of
    a decided initiative, the way to ask for one."""
    import datetime

    from django.utils import timezone

    from initiatives import permissions
    from initiatives.models import ChangeRequest
    from people.permissions import reads_everything

    if initiative.status == Status.DRAFT:
        return None
    rows = getattr(initiative, "change_request_list", None)
    if rows is None:  # an initiative read elsewhere: one query
        rows = Initiative.objects.filter(pk=initiative.pk).values_list(
            change_request_rows(initiative.pk), flat=True
        )[0]
    item_outcomes = dict(
        ChangeRequest._meta.get_field("agenda_items").related_model._meta.get_field("outcome").flatchoices
    )
    change_requests = []
    for row in rows or []:
        shown = ChangeRequest(kind=row["kind"], status=row["status"])
        change_requests.append(
            ChangeRequestRow(
                pk=row["pk"],
                number=row["number"],
                kind_label=shown.kind_label,
                status_label=shown.status_label,
                status_tag=shown.status_tag,
                submitted_on=timezone.localdate(
                    datetime.datetime.fromisoformat(row["submitted_at"])
                ).isoformat(),
                items=[
                    {
                        "body": item["body"],
                        "outcome": item_outcomes.get(item["outcome"]) or _("På föredragningslistan"),
                        "meeting": item["meeting"],
                    }
                    for item in row["items"] or []
                ],
                decisions=row["decisions"] or [],
            )
        )
    can_request = permissions.can_request_change(user, initiative)
    if not change_requests and not can_request:
        return None
    return {
        "initiative": initiative,
        "change_requests": change_requests,
        "can_request_change": can_request,
        "reads_ledger": reads_everything(user),
        "own_party": user.party_id is not None and user.party_id == initiative.party_id,
    }


def change_request_history_sources(initiative, user) -> list[HistorySource]:
    """The initiative's history: its change requests, to everyone who reads the initiative (they are part
    of the decided initiative's record, as on its page)."""
    from initiatives import permissions
    from initiatives.models import ChangeRequest

    if not permissions.can_view_initiatives(user):
        return []
    return [
        HistorySource(
            ChangeRequest,
            Q(initiative_id=initiative.pk),
            lambda r, names: f"{_('Ändringsbegäran')} {r.number}",
            hidden=frozenset({"initiative", "number", "submitted_at", "submitted_by", "closed_at"}),
        )
    ]
