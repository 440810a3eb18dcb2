"""Reads for the council's pages, PDFs and the initiative page's panel: pre-joined, a fixed number of
queries whatever the number of meetings, items or parties."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.utils import timezone

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
    Proposal,
    Stance,
)
from initiatives.models import Initiative, Status
from people.models import Party


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


@dataclass
class StanceRow:
    party: Party
    attendance: Attendance | None
    stance: Stance | None


@dataclass
class ItemView:
    item: AgendaItem
    rows: list[StanceRow] = field(default_factory=list)
    paragraph: Paragraph | None = None


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


def meeting_page(*, meeting: Meeting) -> MeetingPage:
    parties = parties_in_order()
    attendance = {a.party_id: a for a in meeting.attendance.all()}
    items = list(
        meeting.items.select_related(
            "initiative", "initiative__party", "rules", "paragraph", "deferred_from__meeting", "corrects"
        )
        .prefetch_related(Prefetch("stances", queryset=Stance.objects.all()))
        .order_by("order")
    )
    proposals = {p.item_id: p for p in Proposal.objects.filter(item__meeting=meeting)}
    positions = {p.item_id: p for p in Position.objects.filter(meeting=meeting)}
    views = []
    for item in items:
        by_party = {s.party_id: s for s in item.stances.all()}
        item.proposal_cached = proposals.get(item.pk)
        item.position_cached = positions.get(item.pk)
        rows = [StanceRow(p, attendance.get(p.pk), by_party.get(p.pk)) for p in parties]
        paragraph = getattr(item, "paragraph", None) if _has_paragraph(item) else None
        views.append(ItemView(item=item, rows=rows, paragraph=paragraph))
    return MeetingPage(
        meeting=meeting,
        parties=parties,
        attendance=[StanceRow(p, attendance.get(p.pk), None) for p in parties],
        items=views,
        adjusters=list(meeting.adjusters.select_related("user", "user__party").order_by("pk")),
    )


def _has_paragraph(item) -> bool:
    try:
        return item.paragraph is not None
    except Paragraph.DoesNotExist:
        return False


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


def initiative_panel_context(initiative, user) -> dict | None:
    """The initiative page's council panel: its meetings, stances and outcomes (what the user may see)."""
    if not user or not user.is_authenticated:
        return None
    items = list(
        AgendaItem.objects.filter(initiative=initiative, meeting__in=Meeting.objects.visible_to(user))
        .select_related("meeting", "meeting__body", "paragraph", "position", "proposal")
        .prefetch_related(
            Prefetch("stances", queryset=Stance.objects.select_related("party").order_by("party__name"))
        )
        .order_by("meeting__starts_at", "order")
    )
    if not items:
        return None
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
