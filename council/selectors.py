"""Reads for the council's pages, PDFs and the initiative page's panel: pre-joined, a fixed number of
queries whatever the number of meetings, items or parties."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from council.models import (
    AgendaItem,
    Agreement,
    AgreementAdoption,
    Attendance,
    Meeting,
    MeetingStatus,
    MinutesAdjuster,
    Paragraph,
    Position,
    Stance,
    StanceKind,
)
from initiatives.models import Initiative, Status
from initiatives.selectors import LIST_DEFERRED
from people.models import Party, agreement_order


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
        """What the minutes say for the party: its stance, absent, or a dash (lazy: PDFs are Swedish)."""
        if self.stance_kind:
            return _STANCE_LABELS[self.stance_kind]
        if self.attendance and not self.attendance.present:
            return _ABSENT
        return "–"


@dataclass
class ItemView:
    item: AgendaItem
    rows: list[StanceRow] = field(default_factory=list)
    paragraph: Paragraph | None = None
    has_stances: bool = False


@dataclass
class MeetingPage:
    meeting: Meeting
    parties: list[Party]
    attendance: list[StanceRow]
    items: list[ItemView]
    adjusters: list[MinutesAdjuster]

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
    return list(meeting.items.select_related("initiative", "initiative__party").order_by("order"))


def meeting_page(*, meeting: Meeting) -> MeetingPage:
    parties = parties_with_attendance(meeting=meeting)
    attendance = {
        p.pk: Attendance(
            meeting=meeting, party=p, present=p.attendance_present, represented_by=p.attendance_by
        )
        for p in parties
        if p.attendance_present is not None
    }
    items = list(
        # Joined: what every item has. Fetched apart: the rules version (the same few rows for all
        # items) and, only when an item has one, the rare deferral and correction. A join of nine
        # tables cost PostgreSQL more to plan than the small lookups cost to run.
        meeting.items.select_related("initiative", "initiative__party", "paragraph", "proposal", "position")
        # The page names an item's initiative by its number and party; its long texts stay behind.
        .defer(*(f"initiative__{name}" for name in (*LIST_DEFERRED, "summary")))
        .prefetch_related("rules", "documents")
        .order_by("order")
    )
    if any(item.deferred_from_id for item in items):
        prefetch_related_objects(
            items, Prefetch("deferred_from", queryset=AgendaItem.objects.select_related("meeting__body"))
        )
    if any(item.corrects_id for item in items):
        prefetch_related_objects(items, "corrects")
    # 17 parties × every item: plain values, not model instances (the page's largest part).
    stances = defaultdict(dict)
    for item_id, party_id, kind, reason in Stance.objects.filter(item__meeting=meeting).values_list(
        "item_id", "party_id", "kind", "reason"
    ):
        stances[item_id][party_id] = (kind, reason)
    views = []
    for item in items:
        by_party = stances.get(item.pk, {})
        item.proposal_cached = _related_or_none(item, "proposal")
        item.position_cached = _related_or_none(item, "position")
        rows = [StanceRow(p, attendance.get(p.pk), *by_party.get(p.pk, ("", ""))) for p in parties]
        paragraph = _related_or_none(item, "paragraph")
        views.append(ItemView(item=item, rows=rows, paragraph=paragraph, has_stances=bool(by_party)))
    return MeetingPage(
        meeting=meeting,
        parties=parties,
        attendance=[StanceRow(p, attendance.get(p.pk)) for p in parties],
        items=views,
        adjusters=list(meeting.adjusters.select_related("user", "user__party").order_by("pk")),
    )


def _related_or_none(item, name: str):
    """A reverse one-to-one (selected with the item) or None when there is none."""
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
    stances = (
        Stance.objects.filter(item=OuterRef("pk"))
        .order_by(*agreement_order("party__"))
        .values(line=JSONObject(party="party__name", kind="kind", reason="reason"))
    )
    items = list(
        AgendaItem.objects.filter(initiative=initiative, meeting__in=Meeting.objects.visible_to(user))
        .select_related("meeting__body", "paragraph", "position", "proposal")
        # What the panel shows, no more: compiling and loading the five tables' other columns was most
        # of its time (council/initiative_panel.html uses exactly these).
        .only(
            "order",
            "outcome",
            "outcome_detail",
            "meeting__starts_at",
            "meeting__body__name",
            "paragraph__number",
            "position__supported_amount",
            "proposal__proposed_amount",
        )
        .annotate(stance_list=ArraySubquery(stances))
        .order_by("meeting__starts_at", "order")
    )
    if not items:
        return None
    for item in items:
        item.stance_lines = [StanceLine(s["party"], s["kind"], s["reason"]) for s in item.stance_list]
    return {"council_items": items, "initiative": initiative}


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
        list(AgreementAdoption.objects.filter(agreement=agreement).select_related("party"))
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


@dataclass(frozen=True)
class HistoryRow:
    when: object
    who: object
    what: str
    detail: str
    kind: str


def meeting_history(*, meeting: Meeting) -> list[HistoryRow]:
    """Every recorded change of the meeting, its items, attendance and stances, newest first."""
    rows = []
    for h in Meeting.history.filter(id=meeting.pk).select_related("history_user"):
        rows.append(
            HistoryRow(h.history_date, h.history_user, str(meeting), h.get_status_display(), h.history_type)
        )
    for h in AgendaItem.history.filter(meeting_id=meeting.pk).select_related("history_user"):
        rows.append(
            HistoryRow(h.history_date, h.history_user, h.title, h.history_change_reason or "", h.history_type)
        )
    for h in Attendance.history.filter(meeting_id=meeting.pk).select_related("history_user", "party"):
        state = h.represented_by if h.present else "frånvarande"
        rows.append(HistoryRow(h.history_date, h.history_user, str(h.party), state, h.history_type))
    for h in Stance.history.filter(item__meeting_id=meeting.pk).select_related(
        "history_user", "party", "item"
    ):
        detail = h.get_kind_display() + (f": {h.reason}" if h.reason else "")
        rows.append(
            HistoryRow(h.history_date, h.history_user, f"{h.item.title} – {h.party}", detail, h.history_type)
        )
    rows.sort(key=lambda row: row.when, reverse=True)
    return rows
