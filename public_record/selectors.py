"""What DGR publishes, and only that: every read of the public pages, the open-data API, the CSV files,
the feed and the sitemap goes through this module, so the rule of what is public is written once.

Public: the funds' figures; initiatives on which Värmlandsrådet took a position in signed minutes
(party, co-sponsoring parties, action areas or the transport plan, money granted and disbursed, status,
the latest approved outcome summary); signed minutes and their paragraphs with every party's stance;
published notices (body, time, place, the agenda's titles); final archived annual reports; the
agreement with its adoptions.

Never: drafts, initiatives not yet taken up in signed minutes, the secretariat's preparation, threads,
unsigned minutes, attachments and meeting documents (no attachment carries a public flag, so none is
published), contact details, who recorded what. Officials' names appear only as the signed minutes
name them (chair, secretary, representatives present, adjusters).

Stable identifiers: an initiative is its registration number (`DGR 2026/0007`, in URLs `2026-0007`);
a paragraph, and so a position, is body + year + paragraph number (`varmlandsradet 2026 § 3`: numbered
through the year per body and unique by a database constraint); minutes and notices are the meeting's
number in DGR (never reused); a report is kind + fund + year.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Prefetch, Sum
from django.http import Http404

from accounting.models import Fund, VerificationLine
from accounting.selectors import Figures, Overview, fund_overview
from council.models import AgendaItem, Meeting, MeetingStatus, Paragraph, Position, Stance
from council.selectors import AgreementStatus, MeetingPage, StanceLine, agreement_status, meeting_page
from initiatives.models import AreaAlignment, Initiative
from outcomes.models import OutcomeReport, OutcomeReview
from people.models import agreement_order
from reports.models import ReportArchive
from reports.selectors import Chart, bar_chart

SIGNED = MeetingStatus.MINUTES_SIGNED
# A notice is public once it is sent out; the meeting stays in the list after it is held.
NOTICE_PUBLISHED = (MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.HELD, MeetingStatus.MINUTES_SIGNED)
LICENCE = "CC0 1.0"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/deed.sv"

# The initiative's columns a public page may read: nothing else is even loaded (contact details,
# preparation and the submission token stay in the database).
INITIATIVE_FIELDS = (
    "registration_year",
    "registration_serial",
    "title",
    "summary",
    "status",
    "kind",
    "transport_plan",
    "start_date",
    "end_date",
    "party__name",
    "party__slug",
    "party__kind",
)


def registration_slug(initiative: Initiative) -> str:
    """'DGR 2026/0007' in a URL: '2026-0007'."""
    return f"{initiative.registration_year}-{initiative.registration_serial:04d}"


# --- The funds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundNow:
    overview: Overview
    chart: Chart


def funds_now() -> list[FundNow]:
    """Every fund's figures per capital part and in total, and a chart of what each part has left."""
    result = []
    for fund in Fund.objects.order_by("opened_on", "id"):
        overview = fund_overview(fund)
        chart = bar_chart(
            f"Tillgängligt per kapitaldel – {fund.name}",
            "Kapital som ännu inte är beviljat, per kapitaldel, i miljoner kronor.",
            [(row.part.name, row.figures.available) for row in overview.parts],
        )
        result.append(FundNow(overview=overview, chart=chart))
    return result


# --- Initiatives --------------------------------------------------------------------------------


def _has_public_position():
    return Exists(Position.objects.filter(initiative=OuterRef("pk"), meeting__status=SIGNED))


@dataclass
class PublicInitiative:
    initiative: Initiative
    money: Figures = field(default_factory=Figures)
    outcome_summary: str = ""
    outcome_period_end: date | None = None

    @property
    def slug(self) -> str:
        return registration_slug(self.initiative)

    @property
    def areas(self) -> list[str]:
        return [a.action_area.name for a in self.initiative.alignments.all()]

    @property
    def co_parties(self) -> list[str]:
        return [p.name for p in self.initiative.co_parties.all()]


def _initiatives():
    return (
        Initiative.objects.filter(_has_public_position())
        .select_related("party")
        .only(*INITIATIVE_FIELDS)
        .prefetch_related(
            Prefetch("co_parties", queryset=_parties_in_order()),
            Prefetch(
                "alignments",
                queryset=AreaAlignment.objects.select_related("action_area").order_by(
                    "action_area__order", "action_area__name"
                ),
            ),
        )
        .order_by("registration_year", "registration_serial")
    )


def _parties_in_order():
    from people.models import Party

    return Party.objects.order_by(*agreement_order()).only("name", "slug", "kind")


def _with_money_and_outcomes(initiatives: list[Initiative]) -> list[PublicInitiative]:
    """Each initiative's money (one grouped query over the ledger's lines, which carry their initiative)
    and its latest approved outcome summary (one query)."""
    ids = [i.pk for i in initiatives]
    money: dict[int, Figures] = defaultdict(Figures)
    for row in (
        VerificationLine.objects.filter(initiative_id__in=ids)
        .values("initiative_id", "account__kind", "event")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        money[row["initiative_id"]].add(row["account__kind"], row["event"], row["total"])
    outcomes = {
        row["initiative_id"]: row
        for row in OutcomeReport.objects.filter(initiative_id__in=ids, review=OutcomeReview.APPROVED)
        .order_by("initiative_id", "-period_end", "-reviewed_at")
        .distinct("initiative_id")
        .values("initiative_id", "summary", "period_end")
    }
    return [
        PublicInitiative(
            initiative=i,
            money=money[i.pk],
            outcome_summary=outcomes.get(i.pk, {}).get("summary", ""),
            outcome_period_end=outcomes.get(i.pk, {}).get("period_end"),
        )
        for i in initiatives
    ]


def initiatives_decided() -> list[PublicInitiative]:
    """Initiatives Värmlandsrådet has taken a position on in signed minutes, in registration order."""
    return _with_money_and_outcomes(list(_initiatives()))


@dataclass(frozen=True)
class PositionLine:
    """A position in signed minutes, named by its paragraph (body + year + number)."""

    position: Position
    paragraph: Paragraph
    stances: list[StanceLine]  # every party's stance, in the agreement's order

    @property
    def identifier(self) -> str:
        return paragraph_identifier(self.paragraph)


def paragraph_identifier(paragraph: Paragraph) -> str:
    return f"{paragraph.body.slug}-{paragraph.year}-{paragraph.number}"


def _positions():
    return (
        Position.objects.filter(meeting__status=SIGNED, item__paragraph__isnull=False)
        .select_related("initiative", "meeting", "item__paragraph__body")
        .only(
            "outcome",
            "supported_amount",
            "resolution",
            "reason",
            "taken_at",
            "initiative__registration_year",
            "initiative__registration_serial",
            "initiative__title",
            "meeting__starts_at",
            "item__paragraph__year",
            "item__paragraph__number",
            "item__paragraph__title",
            "item__paragraph__body__slug",
            "item__paragraph__body__name",
            "item__paragraph__body__short_name",
        )
        .order_by("-meeting__starts_at", "item__paragraph__number")
    )


def _stance_lines(item_ids: list[int]) -> dict[int, list[StanceLine]]:
    lines = defaultdict(list)
    for stance in (
        Stance.objects.filter(item_id__in=item_ids)
        .select_related("party")
        .only("item_id", "kind", "reason", "party__name", "party__kind")
        .order_by(*agreement_order("party__"))
    ):
        lines[stance.item_id].append(StanceLine(stance.party.name, stance.kind, stance.reason))
    return lines


def positions(*, initiative: Initiative | None = None) -> list[PositionLine]:
    """Värmlandsrådet's positions in signed minutes, newest first, each with every party's stance."""
    found = _positions()
    if initiative is not None:
        found = found.filter(initiative=initiative)
    found = list(found)
    stances = _stance_lines([p.item_id for p in found])
    return [PositionLine(p, p.item.paragraph, stances.get(p.item_id, [])) for p in found]


def initiative_public(*, year: int, serial: int) -> tuple[PublicInitiative, list[PositionLine]]:
    initiative = _initiatives().filter(registration_year=year, registration_serial=serial).first()
    if initiative is None:
        raise Http404
    [public] = _with_money_and_outcomes([initiative])
    return public, positions(initiative=initiative)


# --- Meetings: notices and signed minutes -------------------------------------------------------


def meetings_published():
    """Meetings whose notice has gone out, newest first (signed ones link to their minutes)."""
    return (
        Meeting.objects.filter(status__in=NOTICE_PUBLISHED)
        .select_related("body")
        .only("starts_at", "place", "status", "per_capsulam", "signed_at", "body__name", "body__short_name")
        .order_by("-starts_at")
    )


def notice(*, pk: int) -> tuple[Meeting, list[str]]:
    """A published notice: the meeting and its agenda's titles (no descriptions, no documents)."""
    meeting = meetings_published().filter(pk=pk).first()
    if meeting is None:
        raise Http404
    titles = list(
        AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("title", flat=True)
    )
    return meeting, titles


def minutes(*, pk: int) -> MeetingPage:
    """Signed minutes, as council's own page reads them (council.selectors.meeting_page)."""
    meeting = Meeting.objects.filter(pk=pk, status=SIGNED).select_related("body").first()
    if meeting is None:
        raise Http404
    return meeting_page(meeting=meeting)


def minutes_paragraph(*, body: str, year: int, number: int):
    """A paragraph of signed minutes (the excerpt) by its stable identifier, with the whole page. Only an
    item's paragraph has a page and an excerpt of its own (as in council); the opening paragraphs (chair,
    adjusters) are read in the minutes."""
    paragraph = (
        Paragraph.objects.filter(
            body__slug=body, year=year, number=number, meeting__status=SIGNED, item__isnull=False
        )
        .select_related("meeting__body")
        .first()
    )
    if paragraph is None:
        raise Http404
    page = meeting_page(meeting=paragraph.meeting)
    view = next((v for v in page.items if v.paragraph and v.paragraph.pk == paragraph.pk), None)
    if view is None:  # an annulled item's paragraph is not in the minutes
        raise Http404
    return page, view


def paragraphs_signed():
    return (
        Paragraph.objects.filter(meeting__status=SIGNED, item__isnull=False)
        .select_related("body", "meeting")
        .only(
            "year", "number", "title", "body__slug", "body__name", "meeting__starts_at", "meeting__signed_at"
        )
        .order_by("-meeting__starts_at", "number")
    )


@dataclass(frozen=True)
class FeedEntry:
    kind: str  # "notice" or "minutes"
    meeting: Meeting
    published: datetime


def feed_entries(limit: int = 50) -> list[FeedEntry]:
    """Published notices and signed minutes, newest first. A notice is dated by its meeting's creation
    (when it went out is not recorded separately), signed minutes by their signing."""
    entries = []
    for meeting in meetings_published().only(
        "starts_at", "place", "status", "signed_at", "created_at", "body__name", "body__short_name"
    )[: limit * 2]:
        entries.append(FeedEntry("notice", meeting, meeting.created_at))
        if meeting.status == SIGNED:
            entries.append(FeedEntry("minutes", meeting, meeting.signed_at))
    entries.sort(key=lambda e: e.published, reverse=True)
    return entries[:limit]


# --- Reports and the agreement --------------------------------------------------------------------


def reports_final():
    """Final annual reports as archived (never a preliminary one), without their bytes."""
    return (
        ReportArchive.objects.filter(is_final=True)
        .select_related("fund")
        .only("kind", "year", "sha256", "size", "created_at", "fund__name", "fund__slug")
        .order_by("-year", "kind", "fund__name")
    )


def report_final(*, pk: int) -> ReportArchive:
    report = ReportArchive.objects.filter(pk=pk, is_final=True).first()
    if report is None:
        raise Http404
    return report


def agreement() -> AgreementStatus:
    return agreement_status()
