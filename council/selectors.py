"""Reads for the council's pages, PDFs and the initiative page's panel: pre-joined, a fixed number of
queries whatever the number of meetings, items or parties."""

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, Count, Exists, F, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.db import JSONRow
from core.history import HistoryEntry, HistorySource, history_entries
from council import protocol
from council.models import (
    AgendaItem,
    Agreement,
    AgreementAdoption,
    Attendance,
    ItemDocument,
    Meeting,
    MeetingStatus,
    MinutesAdjuster,
    Paragraph,
    Position,
    Proposal,
    Recusal,
    Stance,
    StanceKind,
    meetings_visible_to,
)
from initiatives.conflicts import conflicts_by_initiative
from initiatives.models import ChangeKind, ChangeRequest, ChangeStatus, Initiative, Status
from initiatives.selectors import LIST_DEFERRED
from people.models import Party, User, agreement_order


def parties_in_order() -> list[Party]:
    return list(Party.objects.active().in_swedish_order())


def meeting_list(*, user, year: int | None = None):
    meetings = Meeting.objects.visible_to(user).select_related("body").annotate(item_count=Count("items"))
    if year:
        meetings = meetings.filter(starts_at__year=year)
    return meetings.order_by("-starts_at")


@dataclass(frozen=True)
class Month:
    first_day: date
    meetings: list


def meeting_calendar(meetings) -> list[Month]:
    """Meetings grouped by month (local time), newest month first, each month's meetings in date order."""
    by_month = defaultdict(list)
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        by_month[date(local.year, local.month, 1)].append(meeting)
    return [
        Month(first_day=month, meetings=sorted(items, key=lambda m: m.starts_at))
        for month, items in sorted(by_month.items(), reverse=True)
    ]


_STANCE_LABELS = dict(StanceKind.choices)  # lazy labels: translated when the page (or PDF) renders
_ABSENT = _("Frånvarande")


@dataclass
class StanceRow:
    """One party's line under an item: its attendance and, when it took one, its stance."""

    party: Party
    attendance: Attendance | None
    stance_kind: str = ""
    reason: str = ""

    @property
    def label(self):
        return stance_label(self.stance_kind, self.attendance)


def stance_label(kind: str, attendance: Attendance | None):
    """What the minutes say for a party: its stance, absent, or a dash (lazy: PDFs are Swedish)."""
    if kind:
        return _STANCE_LABELS[kind]
    if attendance and not attendance.present:
        return _ABSENT
    return "–"


_NO_STANCE = ("", "")


@dataclass
class ItemView:
    item: AgendaItem
    paragraph: Paragraph | None = None
    has_stances: bool = False
    # {party id: (kind, reason)}, with the page's parties and attendance ({party id: Attendance}): the
    # party's lines are made when a template asks for `rows`; the meeting page writes `lines()` directly,
    # without an object per party and item (17 × 20).
    stances: dict[int, tuple[str, str]] = field(default_factory=dict)
    parties: list[Party] = field(default_factory=list, repr=False)
    attendance: dict[int, Attendance] = field(default_factory=dict, repr=False)
    documents: list[ItemDocument] = field(default_factory=list)  # in the order they were uploaded
    # Persons who declared jäv at the meeting and did not take part (in the minutes), and the declared
    # interests that flag a possible jäv in the item's initiative (for the secretariat).
    recusals: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)

    @cached_property
    def rows(self) -> list[StanceRow]:
        """One line per party in the page's order (the PDFs and the public minutes)."""
        return [
            StanceRow(p, self.attendance.get(p.pk), *self.stances.get(p.pk, _NO_STANCE)) for p in self.parties
        ]

    def lines(self):
        """(party, label, reason) per party, as `rows` says them."""
        for party in self.parties:
            kind, reason = self.stances.get(party.pk, _NO_STANCE)
            yield party, stance_label(kind, self.attendance.get(party.pk)), reason


@dataclass
class MeetingPage:
    meeting: Meeting
    parties: list[Party]
    attendance: list[StanceRow]
    items: list[ItemView]
    adjusters: list[MinutesAdjuster]
    # The paragraphs the meeting opened with (chair, adjusters), in number order.
    opening: list[Paragraph] = field(default_factory=list)

    @property
    def present_count(self) -> int:
        return sum(1 for row in self.attendance if row.attendance and row.attendance.present)

    @property
    def all_signed(self) -> bool:
        return bool(self.adjusters) and all(a.signed_at for a in self.adjusters)


def parties_with_attendance(*, meeting: Meeting) -> list[Party]:
    """The parties in Swedish order with their attendance at the meeting (`attendance_present` is None
    when not recorded), in one query."""
    of_party = Attendance.objects.filter(meeting=meeting, party=OuterRef("pk"))
    return list(
        Party.objects.active()
        .in_swedish_order()
        .annotate(
            attendance_present=Subquery(of_party.values("present")[:1]),
            attendance_by=Subquery(of_party.values("represented_by")[:1]),
        )
    )


def agenda(*, meeting: Meeting) -> list[AgendaItem]:
    """The management page's agenda: an item's initiative is named by its number (its long texts stay
    behind, as on the meeting page)."""
    return list(
        meeting.items.select_related("initiative", "initiative__party")
        .defer(*(f"initiative__{name}" for name in (*LIST_DEFERRED, "summary")))
        .order_by("order", "pk")
    )


# What the meeting page, its PDFs and the public minutes read of an item: all of the item and its
# paragraph, and of what is joined to it only what they show (the initiative by its number and party, the
# amounts, the rules' version, who annulled, the meeting a deferral came from). Each column left out is
# one less to compile and load, 20 items a page; a column read that is not here costs a query per item,
# which the page's query-count tests catch.
_MEETING_PAGE_FIELDS = (
    *(field.name for field in AgendaItem._meta.concrete_fields),
    *(f"paragraph__{field.name}" for field in Paragraph._meta.concrete_fields),
    "initiative__party",
    "initiative__registration_year",
    "initiative__registration_serial",
    "initiative__party__name",
    "proposal__item",
    "proposal__proposed_amount",
    "position__item",
    "position__supported_amount",
    "position__resolution",
    "annulled_by__username",
    "annulled_by__first_name",
    "annulled_by__last_name",
    "rules__version",
    "deferred_from__meeting",
    "deferred_from__meeting__body",
    "deferred_from__meeting__starts_at",
    "deferred_from__meeting__body__short_name",
)


def meeting_page(*, meeting: Meeting, proposals: bool = True) -> MeetingPage:
    """The meeting's items with all the page, its PDFs and the public minutes show. `proposals=False`
    leaves out what the notice proposes for each item (notices.proposed_decisions), for a reader that
    shows no proposed decision."""
    parties = parties_with_attendance(meeting=meeting)
    attendance = {
        p.pk: Attendance(
            meeting=meeting, party=p, present=p.attendance_present, represented_by=p.attendance_by
        )
        for p in parties
        if p.attendance_present is not None
    }
    # The proposal to Värmlandsrådet that the notice states for an initiative item: VRAU's latest on the
    # initiative (recorded at an earlier VRAU meeting and not annulled), read with the items
    # (notices.proposed_decisions). One subquery for its three values (each subquery is compiled anew on
    # every request); the amount as text, so that it comes back a Decimal, never a float.
    latest_proposal = (
        Proposal.objects.current()
        .filter(initiative_id=OuterRef("initiative_id"))
        .values(
            latest=JSONObject(
                recommendation="recommendation", amount=Cast("proposed_amount", CharField()), text="text"
            )
        )
    )
    items = (
        # Joined: what every item has, the rules version and the rare deferral (with the meeting it came
        # from). A page has a budget of 12 queries that the stances, jäv, documents and signing already
        # take most of, so these ride along as joins rather than lookups of their own.
        meeting.items.select_related(
            "initiative",
            "initiative__party",
            "paragraph",
            "proposal",
            "position",
            "annulled_by",
            "rules",
            "deferred_from__meeting__body",
        )
        .only(*_MEETING_PAGE_FIELDS)
        .order_by("order", "pk")  # an annulled recording before the item recorded in its place
    )
    if proposals:
        items = items.annotate(
            latest_proposal=Subquery(latest_proposal[:1], output_field=JSONField()),
            preparation_position=F("initiative__preparation__proposed_position"),
            preparation_amount=F("initiative__preparation__proposed_amount"),
        )
    items = list(items)
    if proposals:
        for item in items:
            latest = item.latest_proposal or {}
            item.latest_proposal_recommendation = latest.get("recommendation")
            amount = latest.get("amount")
            item.latest_proposal_amount = Decimal(amount) if amount is not None else None
            item.latest_proposal_text = latest.get("text")
    # The paragraphs the meeting opened with and those its items correct (of earlier meetings): one read.
    corrected = {item.corrects_id for item in items if item.corrects_id}
    openings_and_corrected = Q(meeting=meeting, item__isnull=True) | Q(pk__in=corrected)
    paragraphs = list(Paragraph.objects.filter(openings_and_corrected).order_by("number"))
    by_pk = {paragraph.pk: paragraph for paragraph in paragraphs}
    for item in items:
        if item.corrects_id:
            item.corrects = by_pk[item.corrects_id]
    opening = [p for p in paragraphs if p.meeting_id == meeting.pk and p.item_id is None]
    # 17 parties × every item: plain values, not model instances (the page's largest part).
    stances = defaultdict(dict)
    for item_id, party_id, kind, reason in Stance.objects.filter(item__meeting=meeting).values_list(
        "item_id", "party_id", "kind", "reason"
    ):
        stances[item_id][party_id] = (kind, reason)
    # The items' documents in one plain read, as lists (a prefetch builds a queryset per item).
    documents = defaultdict(list)
    for document in ItemDocument.objects.filter(item__meeting=meeting).only("item", "title", "original_name"):
        documents[document.item_id].append(document)
    recusals = defaultdict(list)
    for recusal in Recusal.objects.filter(item__meeting=meeting).select_related("person").order_by("pk"):
        recusals[recusal.item_id].append(recusal)
    conflicts = conflicts_by_initiative(
        {item.initiative_id for item in items if item.initiative_id},
        on=timezone.localdate(meeting.starts_at),
    )
    views = []
    for item in items:
        by_party = stances.get(item.pk, {})
        item.proposal_cached = _related_or_none(item, "proposal")
        item.position_cached = _related_or_none(item, "position")
        paragraph = _related_or_none(item, "paragraph")
        views.append(
            ItemView(
                item=item,
                paragraph=paragraph,
                has_stances=bool(by_party),
                stances=by_party,
                parties=parties,
                attendance=attendance,
                documents=documents.get(item.pk, []),
                recusals=recusals.get(item.pk, []),
                conflicts=conflicts.get(item.initiative_id, []),
            )
        )
    return MeetingPage(
        meeting=meeting,
        parties=parties,
        attendance=[StanceRow(p, attendance.get(p.pk)) for p in parties],
        items=views,
        adjusters=protocol.signers(meeting),
        opening=opening,
    )


def _related_or_none(item, name: str):
    """A reverse one-to-one (selected with the item) or None when there is none. Read from the cache
    select_related filled: the attribute raises when there is none, and 60 raised exceptions a page
    cost more than the rest of the selector's Python."""
    relation = AgendaItem._meta.get_field(name)
    if relation.is_cached(item):
        return relation.get_cached_value(item)
    try:
        return getattr(item, name)
    except ObjectDoesNotExist:
        return None


def initiatives_for_agenda(*, meeting: Meeting):
    """Initiatives this meeting may take up: prepared ones for VRAU, proposed ones for Värmlandsrådet."""
    status = Status.PREPARED if meeting.body.makes_proposals else Status.PROPOSED
    on_open_agenda = AgendaItem.objects.filter(initiative=OuterRef("pk"), outcome="")
    return (
        Initiative.objects.filter(status=status)
        .exclude(Exists(on_open_agenda))
        .select_related("party")
        .order_by("registration_year", "registration_serial")
    )


def change_requests_for_agenda(*, meeting: Meeting):
    """Requests for more money this meeting may take up: handed in for VRAU, proposed for Värmlandsrådet."""
    status = ChangeStatus.SUBMITTED if meeting.body.makes_proposals else ChangeStatus.PROPOSED
    on_open_agenda = AgendaItem.objects.filter(change_request=OuterRef("pk"), outcome="")
    return (
        ChangeRequest.objects.filter(kind=ChangeKind.ADDITIONAL_FUNDING, status=status)
        .exclude(Exists(on_open_agenda))
        .select_related("initiative__party")
        .order_by("submitted_at", "pk")
    )


def paragraphs_to_correct(*, meeting: Meeting):
    """Paragraphs of this body's signed minutes: a correction is a new paragraph pointing to one."""
    return (
        Paragraph.objects.filter(body=meeting.body, meeting__status=MeetingStatus.MINUTES_SIGNED)
        .select_related("meeting")
        .order_by("-year", "-number")
    )


def meetings_later_than(*, meeting: Meeting):
    return Meeting.objects.filter(
        body=meeting.body,
        starts_at__gt=meeting.starts_at,
        status__in=[MeetingStatus.PLANNED, MeetingStatus.AGENDA_PUBLISHED],
    ).order_by("starts_at")


def paragraph_for_excerpt(*, meeting: Meeting, number: int) -> tuple[MeetingPage, ItemView]:
    page = meeting_page(meeting=meeting)
    for view in page.items:
        if view.paragraph and view.paragraph.number == number:
            return page, view
    raise Paragraph.DoesNotExist


@dataclass(frozen=True)
class StanceLine:
    party_name: str
    kind: str
    reason: str

    @property
    def label(self):
        return _STANCE_LABELS[self.kind]


def initiative_panel_context(initiative, user) -> dict | None:
    """The initiative page's council panel: its meetings, stances and outcomes (what the user may see).
    One query: each item carries its stances as plain lines (a party's name, its stance, its reason) in
    the agreement's order of the parties."""
    if not user or not user.is_authenticated:
        return None
    items = _council_items(initiative, user)
    if not items:
        return None
    return {"council_items": items, "initiative": initiative}


def _council_items(initiative, user) -> list[AgendaItem]:
    """The initiative's agenda items at the meetings `user` may see, in meeting order, each with its
    stances as plain lines: read once per request and kept on the instance, because the page's timeline
    (`initiative_timeline_dates`) and its council panel both need them."""
    cached = getattr(initiative, "_council_items", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    items = list(
        AgendaItem.objects.filter(meetings_visible_to(user, through="meeting__"), initiative=initiative)
        .select_related("meeting__body", "paragraph", "position", "proposal")
        # What the panel and the timeline show, no more: compiling and loading the five tables' other
        # columns was most of its time (council/initiative_panel.html uses exactly these).
        .only(
            "order",
            "outcome",
            "outcome_detail",
            "annulled_at",
            "meeting__starts_at",
            "meeting__body__name",
            "meeting__body__makes_proposals",
            "meeting__body__takes_positions",
            "paragraph__number",
            "position__supported_amount",
            "proposal__proposed_amount",
        )
        .annotate(stance_list=_stance_lines())
        .order_by("meeting__starts_at", "order", "pk")
    )
    for item in items:
        item.stance_lines = [StanceLine(s["party"], s["kind"], s["reason"]) for s in item.stance_list]
        item.stance_counts = stance_counts(item.stance_lines)
    initiative._council_items = (user.pk, items)
    return items


@functools.cache
def _stance_lines() -> ArraySubquery:
    """The stances on the agenda item `OuterRef("pk")` as plain lines in the agreement's order of the
    parties: the same expression for every reader, built once per process (not data: the lines are read
    with the items)."""
    return ArraySubquery(
        Stance.objects.filter(item=OuterRef("pk"))
        .order_by(*agreement_order("party__"))
        .values(line=JSONRow(party="party__name", kind="kind", reason="reason"))
    )


def stance_counts(lines: list[StanceLine]) -> list[tuple[str, int]]:
    """How the parties stood, as (label, number of parties) in the order of the stance kinds: the
    summary a reader sees before opening the party-by-party list."""
    counts = dict.fromkeys(StanceKind.values, 0)
    for line in lines:
        counts[line.kind] = counts.get(line.kind, 0) + 1
    return [(str(_STANCE_LABELS[kind]), n) for kind, n in counts.items() if n]


@dataclass(frozen=True)
class AgreementStatus:
    agreement: Agreement | None
    adoptions: list
    missing: list
    in_force: bool
    in_force_from: date | None
    ended: bool

    @property
    def adopted_count(self) -> int:
        return len(self.adoptions)


def agreement_status(*, today: date | None = None) -> AgreementStatus:
    today = today or timezone.localdate()
    agreement = Agreement.objects.order_by("pk").first()
    adoptions = (
        list(AgreementAdoption.objects.filter(agreement=agreement).select_related("party", "recorded_by"))
        if agreement
        else []
    )
    adopted = {a.party_id for a in adoptions}
    parties = parties_in_order()
    order = {p.pk: i for i, p in enumerate(parties)}
    adoptions.sort(key=lambda a: order.get(a.party_id, 99))
    missing = [p for p in parties if p.pk not in adopted]
    in_force_from = None
    if agreement and not missing and adoptions:
        in_force_from = max(agreement.use_starts_on, max(a.adopted_on for a in adoptions))
    ended = bool(agreement and agreement.ended_on and agreement.ended_on <= today)
    in_force = in_force_from is not None and in_force_from <= today and not ended
    return AgreementStatus(agreement, adoptions, missing, in_force, in_force_from, ended)


def positions_consensus():
    """For the ledger: Värmlandsrådet's consensus positions, newest first."""
    return Position.objects.consensus().select_related("initiative", "meeting", "rules")


def _item_sources(items: Q, via_item: Q, *, hide: frozenset[str] = frozenset()) -> list[HistorySource]:
    """Agenda items and what hangs on them as history sources: `items` picks the items' historical rows,
    `via_item` the rows of proposals, stances, positions and paragraphs by their item; `hide`, fields the
    page says otherwise."""
    hidden = frozenset({"meeting", "created_at"}) | hide
    return [
        HistorySource(
            AgendaItem,
            items,
            lambda r, names: f"{_('Ärende')} {names(Meeting, r.meeting_id)}: {r.title}",
            hidden=hidden,
            refs=("meeting",),
        ),
        HistorySource(
            Proposal,
            via_item,
            lambda r, names: f"{_('Förslag till Värmlandsrådet')}: {names(AgendaItem, r.item_id)}",
            hidden=frozenset({"item", "initiative"}) | hide,
            refs=("item",),
        ),
        HistorySource(
            Stance,
            via_item,
            lambda r, names: f"{names(AgendaItem, r.item_id)} – {names(Party, r.party_id)}",
            hidden=frozenset({"item"}) | hide,
            refs=("item", "party"),
        ),
        HistorySource(
            Position,
            via_item,
            lambda r, names: f"{_('Ställningstagande')}: {names(AgendaItem, r.item_id)}",
            hidden=frozenset({"item", "meeting", "initiative"}) | hide,
            refs=("item",),
        ),
        HistorySource(
            Paragraph,
            via_item,
            lambda r, names: f"{_('Protokoll')} § {r.number}: {r.title}",
            hidden=frozenset({"item", "meeting", "body"}) | hide,
        ),
    ]


def meeting_history(*, meeting: Meeting) -> list[HistoryEntry]:
    """Every recorded change of the meeting, its items, attendance, stances, positions, minutes and every
    adjuster (chosen and signed, each by whom), newest first, as people read it."""
    of_meeting = Q(meeting_id=meeting.pk)
    sources = [
        HistorySource(
            Meeting, Q(id=meeting.pk), lambda r, names: _("Sammanträdet"), hidden=frozenset({"created_at"})
        ),
        HistorySource(
            Attendance,
            of_meeting,
            lambda r, names: f"{_('Närvaro')}: {names(Party, r.party_id)}",
            hidden=frozenset({"meeting"}),
            refs=("party",),
        ),
        HistorySource(
            MinutesAdjuster,
            of_meeting,
            lambda r, names: (
                f"{_('Ordförande') if r.role == 'chair' else _('Justerare')}: {names(User, r.user_id)}"
            ),
            hidden=frozenset({"meeting"}),
            refs=("user",),
        ),
        HistorySource(
            ItemDocument,
            Q(item__meeting_id=meeting.pk),
            lambda r, names: f"{_('Handling')}: {names(AgendaItem, r.item_id)}",
            hidden=frozenset({"content_type"}),
            refs=("item",),
        ),
        *_item_sources(of_meeting, Q(item__meeting_id=meeting.pk)),
        HistorySource(  # the opening paragraphs (chair, adjusters) belong to no item
            Paragraph,
            Q(meeting_id=meeting.pk, item_id__isnull=True),
            lambda r, names: f"{_('Protokoll')} § {r.number}: {r.title}",
            hidden=frozenset({"item", "meeting", "body"}),
        ),
    ]
    return history_entries(sources)


def initiative_history_sources(initiative, user) -> list[HistorySource]:
    """For the initiative's history (core.history slot "initiative"): its agenda items, proposals, stances,
    positions and minutes in the meetings the user may see, as the initiative page's council panel."""
    if not user or not user.is_authenticated:
        return []
    visible = Meeting.objects.visible_to(user).values("pk")
    return _item_sources(
        Q(initiative_id=initiative.pk, meeting_id__in=visible),
        Q(item__initiative_id=initiative.pk, item__meeting_id__in=visible),
        # The page is the initiative's own; the rules' version is in the meeting's history. (Each name
        # shown is a query: the page keeps to its budget.)
        hide=frozenset({"initiative", "rules"}),
    )


def initiative_timeline_dates(initiative, user) -> dict:
    """The initiative page's timeline (initiatives.selectors.register_timeline_dates): the day of the
    latest meeting of the working committee and of Värmlandsrådet that dealt with it, among the meetings
    the reader may see. The council panel's read (`_council_items`), and none for an initiative not yet
    prepared."""
    if initiative.status in (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.COMPLEMENT_REQUESTED,
        Status.NOT_ELIGIBLE,
    ):
        return {}
    if not user or not user.is_authenticated:
        return {}
    dates: dict = {}
    for item in _council_items(initiative, user):  # in meeting order: the latest meeting wins
        if not item.outcome:
            continue
        if item.meeting.body.makes_proposals:
            dates["working_committee"] = item.meeting.starts_at
        if item.meeting.body.takes_positions:
            dates["council"] = item.meeting.starts_at
    return dates
