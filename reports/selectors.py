"""The annual reports' figures, built from the ledger into frozen dataclasses (no rendering here).

Region Värmland's balance report for a fund and a year comes from the closed year's snapshot
(`accounting.YearBalance`, read as the ledger's own selectors read it: two queries for all the years);
an open year's report is built from its lines and is marked preliminary. Change since last year =
closing − previous closing, split into capital added, transfers between parts, disbursements,
repayments and corrections (reversals in the year, whose lines carry the event they reverse: the other
columns are gross of them). A fixed number of queries, whatever the size of the journal.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Case, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext as _

from accounting.models import (
    Account,
    CapitalPart,
    Decision,
    FiscalYear,
    Fund,
    Kind,
    VerificationLine,
    YearBalance,
)
from initiatives.models import AreaAlignment, Initiative
from initiatives.outcome_selectors import co_financing_received, latest_approved_outcomes

ZERO = Decimal("0.00")
AVAILABLE, RESERVED = Account.Kind.AVAILABLE, Account.Kind.RESERVED


class ReportNotFound(Exception):
    """No such fiscal year for the fund: the view shows the message with a 404."""


@dataclass(frozen=True)
class Change:
    capital_added: Decimal = ZERO
    transfers: Decimal = ZERO
    disbursed: Decimal = ZERO  # positive: what left the fund
    repaid: Decimal = ZERO
    corrections: Decimal = ZERO  # effect of the year's reversals on the fund capital (signed)

    @property
    def outflow(self) -> Decimal:
        return ZERO - self.disbursed

    @property
    def total(self) -> Decimal:
        return self.capital_added + self.transfers - self.disbursed + self.repaid + self.corrections


@dataclass(frozen=True)
class PartBalance:
    number: int
    name: str
    closing: Decimal  # the part's fund capital: available + reserved
    available: Decimal
    reserved: Decimal
    previous_closing: Decimal
    change: Change

    @property
    def difference(self) -> Decimal:
        return self.closing - self.previous_closing


@dataclass(frozen=True)
class OutstandingRow:
    registration_number: str
    title: str
    party: str
    granted: Decimal
    disbursed: Decimal
    released: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class DecisionRow:
    decided_on: date
    reference: str
    registration_number: str
    title: str
    party: str
    maker: str
    amount: Decimal


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: Decimal
    x: int
    y: int
    width: int
    height: int
    label_x: int
    label_y: int


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    bars: tuple[ChartBar, ...]
    width: int
    height: int
    baseline: int
    max_value: Decimal


@dataclass(frozen=True)
class BalanceReport:
    fund_name: str
    fund_slug: str
    organisation: str
    year: int
    is_final: bool
    closed_at: object
    parts: tuple[PartBalance, ...]
    closing: Decimal
    previous_closing: Decimal
    available: Decimal
    reserved: Decimal
    change: Change
    outstanding: tuple[OutstandingRow, ...]
    decisions: tuple[DecisionRow, ...]
    decided_total: Decimal
    disbursed_total: Decimal  # everything disbursed up to the end of the year, net of repayments
    co_financing: Decimal  # actually received, from approved outcome reports
    leverage: Decimal | None  # co-financing per krona disbursed from the fund
    balance_chart: Chart
    area_chart: Chart

    @property
    def difference(self) -> Decimal:
        return self.closing - self.previous_closing


def _years(fund: Fund, year: int, all_years=None) -> tuple[FiscalYear, list[FiscalYear]]:
    """The year and the fund's years up to it, oldest first (from `all_years`, the fund's years, if the
    caller already has them)."""
    if all_years is None:
        years = list(FiscalYear.objects.filter(fund=fund, year__lte=year).order_by("year"))
    else:
        years = sorted((y for y in all_years if y.year <= year), key=lambda y: y.year)
    if not years or years[-1].year != year:
        raise ReportNotFound(
            _("Fonden %(fund)s har inget verksamhetsår %(year)s.") % {"fund": fund.name, "year": year}
        )
    return years[-1], years


@dataclass
class _Lines:
    """What the balance report reads from the journal, summed in one GROUP BY (see `_lines`)."""

    per_year: dict  # year pk -> (account kind, part, event) -> signed movement
    per_initiative: dict  # initiative pk -> event -> signed sum on reserved accounts, up to the year
    corrections: dict  # (account kind, part, event) -> signed sum of the year's reversals
    disbursed_in_year: dict  # initiative pk -> disbursed in the year


def _lines(fund: Fund, fiscal_year: FiscalYear, years: list[FiscalYear]) -> _Lines:
    """Signed movement per year and (account kind, part, event): closed years from their snapshot, open
    years from their lines (as the ledger's own selectors do); with the same line sums the per-initiative
    money up to the year, the year's reversals and the year's disbursements per initiative. Two queries
    whatever the number of years or lines (the snapshot, and one GROUP BY over the lines)."""
    per_year: dict[int, dict] = {y.pk: defaultdict(lambda: ZERO) for y in years}
    closed = [y.pk for y in years if not y.is_open]
    opened = {y.pk for y in years if y.is_open}
    if closed:
        for r in (
            YearBalance.objects.filter(fiscal_year_id__in=closed)
            .values("fiscal_year_id", "account__kind", "capital_part_id", "event")
            .annotate(total=Sum("movement"))
        ):
            per_year[r["fiscal_year_id"]][(r["account__kind"], r["capital_part_id"], r["event"])] += r[
                "total"
            ]
    per_initiative: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    corrections: dict = defaultdict(lambda: ZERO)
    disbursed_in_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    is_reversal = Case(
        When(verification__kind=Kind.REVERSAL, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    rows = (
        VerificationLine.objects.filter(
            Q(verification__fund=fund, fiscal_year__year__lte=fiscal_year.year, account__kind=RESERVED)
            | Q(fiscal_year_id__in=opened)
            | Q(fiscal_year=fiscal_year, verification__kind=Kind.REVERSAL)
        )
        .annotate(is_reversal=is_reversal)
        .values("fiscal_year_id", "account__kind", "capital_part_id", "initiative_id", "event", "is_reversal")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for r in rows:
        year_pk, kind, event, total = r["fiscal_year_id"], r["account__kind"], r["event"], r["total"]
        key = (kind, r["capital_part_id"], event)
        if year_pk in opened:
            per_year[year_pk][key] += total
        if year_pk == fiscal_year.pk and r["is_reversal"]:
            corrections[key] += total
        if kind == RESERVED:
            per_initiative[r["initiative_id"]][event] += total
            if year_pk == fiscal_year.pk and event == Kind.DISBURSEMENT:
                disbursed_in_year[r["initiative_id"]] += total
    return _Lines(per_year, per_initiative, corrections, disbursed_in_year)


def _summed(per_year, years: list[FiscalYear]) -> dict[tuple[str, int, str], Decimal]:
    sums: dict = defaultdict(lambda: ZERO)
    for year in years:
        for key, amount in per_year[year.pk].items():
            sums[key] += amount
    return sums


def _part_sums(sums, part_id: int) -> dict[str, Decimal]:
    """Money figures of one part from signed sums (debit +) per (account kind, part, event)."""

    def s(kind, event=None):
        return sum(
            (
                v
                for (k, p, e), v in sums.items()
                if k == kind and p == part_id and (event is None or e == event)
            ),
            ZERO,
        )

    available, reserved = -s(AVAILABLE), -s(RESERVED)
    return {
        "available": available,
        "reserved": reserved,
        "capital": available + reserved,
        "capital_added": -s(AVAILABLE, Kind.CAPITAL),
        "transfers": -s(AVAILABLE, Kind.TRANSFER),
        "disbursed": s(RESERVED, Kind.DISBURSEMENT),
        "repaid": -s(AVAILABLE, Kind.REPAYMENT),
    }


def _change(gross: dict, corrections: dict) -> Change:
    effect = (
        corrections["capital_added"]
        + corrections["transfers"]
        - corrections["disbursed"]
        + corrections["repaid"]
    )
    return Change(
        capital_added=gross["capital_added"] - corrections["capital_added"],
        transfers=gross["transfers"] - corrections["transfers"],
        disbursed=gross["disbursed"] - corrections["disbursed"],
        repaid=gross["repaid"] - corrections["repaid"],
        corrections=effect,
    )


def bar_chart(
    title: str, description: str, points: list[tuple[str, Decimal]], *, width=640, height=240
) -> Chart:
    """Geometry for a hand-written SVG bar chart (templates/reports/_bar_chart.svg), same in page and PDF."""
    top, bottom, left = 28, 40, 10
    baseline = height - bottom
    max_value = max((v for _label, v in points), default=ZERO)
    n = max(len(points), 1)
    slot = (width - 2 * left) // n
    bar_width = max(min(slot - 16, 90), 8)
    bars = []
    for i, (label, value) in enumerate(points):
        h = int((value / max_value) * (baseline - top)) if max_value > 0 and value > 0 else 0
        x = left + i * slot + (slot - bar_width) // 2
        bars.append(
            ChartBar(label, value, x, baseline - h, bar_width, h, x + bar_width // 2, baseline - h - 6)
        )
    return Chart(title, description, tuple(bars), width, height, baseline, max_value)


def balance_report(fund: Fund, year: int, *, all_years: list[FiscalYear] | None = None) -> BalanceReport:
    """The balance report; `all_years`: the fund's fiscal years, if the caller has already read them."""
    fiscal_year, years = _years(fund, year, all_years)
    previous = [y for y in years if y.year < year]
    parts = list(CapitalPart.objects.filter(fund=fund).order_by("number"))
    lines = _lines(fund, fiscal_year, years)
    per_year = lines.per_year
    closing_sums = _summed(per_year, years)
    previous_sums = _summed(per_year, previous)
    year_sums = per_year[fiscal_year.pk]
    correction_sums = lines.corrections

    rows = []
    for part in parts:
        now, before = _part_sums(closing_sums, part.pk), _part_sums(previous_sums, part.pk)
        change = _change(_part_sums(year_sums, part.pk), _part_sums(correction_sums, part.pk))
        rows.append(
            PartBalance(
                part.number,
                part.name,
                now["capital"],
                now["available"],
                now["reserved"],
                before["capital"],
                change,
            )
        )
    total_change = Change(
        **{
            name: sum((getattr(r.change, name) for r in rows), ZERO)
            for name in ("capital_added", "transfers", "disbursed", "repaid", "corrections")
        }
    )

    # Per initiative, up to the end of the year: granted, disbursed, released, remaining (reserved).
    per_initiative = lines.per_initiative
    initiatives = {
        i.pk: i
        for i in Initiative.objects.filter(pk__in=[pk for pk in per_initiative if pk])
        .select_related("party")
        .annotate(first_area=_first_area("name"))
    }
    outstanding = []
    for pk, sums in per_initiative.items():
        remaining = -sum(sums.values(), ZERO)
        if remaining == 0 or pk not in initiatives:
            continue
        i = initiatives[pk]
        outstanding.append(
            OutstandingRow(
                i.registration_number,
                i.title,
                i.party.name,
                -sums[Kind.COMMITMENT],
                sums[Kind.DISBURSEMENT],
                sums[Kind.RELEASE],
                remaining,
            )
        )
    outstanding.sort(key=lambda r: r.registration_number)

    decisions = [
        DecisionRow(
            d.decided_on,
            d.reference,
            d.initiative.registration_number,
            d.initiative.title,
            d.initiative.party.name,
            d.maker_name,
            d.amount,
        )
        for d in Decision.objects.filter(fund=fund, decided_on__year=year)
        .select_related("initiative__party")
        .order_by("decided_on", "id")
    ]

    disbursed_total = sum((s[Kind.DISBURSEMENT] for s in per_initiative.values()), ZERO)
    repaid_total = sum((_part_sums(closing_sums, p.pk)["repaid"] for p in parts), ZERO)
    net_disbursed = disbursed_total - repaid_total
    funded_ids = [pk for pk, s in per_initiative.items() if s[Kind.DISBURSEMENT] > 0]
    co_financing = sum(co_financing_received(funded_ids, year).values(), ZERO)
    leverage = (co_financing / net_disbursed).quantize(Decimal("0.01")) if net_disbursed > 0 else None

    return BalanceReport(
        fund_name=fund.name,
        fund_slug=fund.slug,
        organisation=fund.organisation,
        year=year,
        is_final=not fiscal_year.is_open,
        closed_at=fiscal_year.closed_at,
        parts=tuple(rows),
        closing=sum((r.closing for r in rows), ZERO),
        previous_closing=sum((r.previous_closing for r in rows), ZERO),
        available=sum((r.available for r in rows), ZERO),
        reserved=sum((r.reserved for r in rows), ZERO),
        change=total_change,
        outstanding=tuple(outstanding),
        decisions=tuple(decisions),
        decided_total=sum((d.amount for d in decisions), ZERO),
        disbursed_total=net_disbursed,
        co_financing=co_financing,
        leverage=leverage,
        balance_chart=_balance_chart(per_year, years),
        area_chart=_area_chart(lines.disbursed_in_year, initiatives),
    )


def _balance_chart(per_year, years: list[FiscalYear]) -> Chart:
    points, running = [], ZERO
    for year in years:
        sums = per_year[year.pk]
        running += -sum((v for (k, _p, _e), v in sums.items() if k in (AVAILABLE, RESERVED)), ZERO)
        points.append((str(year.year), running))
    return bar_chart(
        _("Fondens kapital vid årets slut"),
        _("Stapeldiagram: fondens utgående kapital per år, i kronor."),
        points,
    )


def _first_area(field: str) -> Subquery:
    """A field of the initiative's first aligned action area (by the area's order), for annotate()."""
    return Subquery(
        AreaAlignment.objects.filter(initiative=OuterRef("pk"))
        .order_by("action_area__order", "action_area_id")
        .values(f"action_area__{field}")[:1]
    )


def _area_chart(disbursed_in_year: dict[int, Decimal], initiatives: dict[int, Initiative]) -> Chart:
    """Disbursed in the year per action area; an initiative counts under its first aligned area."""
    per_area: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for pk, amount in disbursed_in_year.items():
        area = initiatives[pk].first_area if pk in initiatives else None
        per_area[area or _("Utan insatsområde")] += amount
    return bar_chart(
        _("Utbetalt under året per insatsområde"),
        _("Stapeldiagram: utbetalningar under året per insatsområde i Värmlandsstrategin, i kronor."),
        sorted(per_area.items()),
    )


# --- VRAG's outcome report ------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    registration_number: str
    title: str
    party: str
    status: str
    status_tag: str
    granted: Decimal
    disbursed: Decimal
    remaining: Decimal
    summary: str
    outcome_status: str
    indicators: tuple = ()


@dataclass(frozen=True)
class OutcomeArea:
    name: str
    rows: tuple[OutcomeRow, ...]
    granted: Decimal
    disbursed: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class OutcomeReport:
    fund_name: str
    fund_slug: str
    organisation: str
    year: int
    is_final: bool
    closed_at: object
    areas: tuple[OutcomeArea, ...]
    granted: Decimal
    disbursed: Decimal
    remaining: Decimal
    area_chart: Chart


def outcome_report(fund: Fund, year: int) -> OutcomeReport:
    """Per initiative the fund financed (a commitment up to the end of the year): status, money (granted,
    disbursed, remaining) and its latest outcome, grouped by its first action area."""
    fiscal_year, _years_list = _years(fund, year)
    money: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for r in (
        VerificationLine.objects.filter(
            verification__fund=fund, fiscal_year__year__lte=year, account__kind=RESERVED
        )
        .values("initiative_id", "event")
        .annotate(total=Sum("amount"))
    ):
        money[r["initiative_id"]][r["event"]] += r["total"]
    initiatives = list(
        Initiative.objects.filter(pk__in=[pk for pk in money if pk])
        .select_related("party")
        .annotate(
            first_area=_first_area("name"),
            first_area_order=_first_area("order"),
            first_area_id=_first_area("id"),
        )
    )
    areas: dict[int, str] = {}
    order: dict[str, tuple] = {}
    for i in initiatives:
        if i.first_area is not None:
            areas[i.pk] = i.first_area
            order[i.first_area] = (i.first_area_order, i.first_area_id)
    outcomes = _latest_outcomes(initiatives, year)
    grouped: dict[str, list[OutcomeRow]] = defaultdict(list)
    for i in initiatives:
        sums = money[i.pk]
        granted = -sums[Kind.COMMITMENT]
        outcome = outcomes.get(i.pk, {})
        grouped[areas.get(i.pk, _("Utan insatsområde"))].append(
            OutcomeRow(
                i.registration_number,
                i.title,
                i.party.name,
                i.get_status_display(),
                i.status_tag,
                granted,
                sums[Kind.DISBURSEMENT],
                -sum(sums.values(), ZERO),
                outcome.get("summary") or i.summary,
                outcome.get("status", ""),
                tuple(outcome.get("indicators", ())),
            )
        )
    result = []
    for name in sorted(grouped, key=lambda n: order.get(n, (9999, 0))):
        rows = sorted(grouped[name], key=lambda r: r.registration_number)
        result.append(
            OutcomeArea(
                name,
                tuple(rows),
                sum((r.granted for r in rows), ZERO),
                sum((r.disbursed for r in rows), ZERO),
                sum((r.remaining for r in rows), ZERO),
            )
        )
    return OutcomeReport(
        fund_name=fund.name,
        fund_slug=fund.slug,
        organisation=fund.organisation,
        year=year,
        is_final=not fiscal_year.is_open,
        closed_at=fiscal_year.closed_at,
        areas=tuple(result),
        granted=sum((a.granted for a in result), ZERO),
        disbursed=sum((a.disbursed for a in result), ZERO),
        remaining=sum((a.remaining for a in result), ZERO),
        area_chart=bar_chart(
            _("Utbetalt hittills per insatsområde"),
            _("Stapeldiagram: utbetalt till finansierade initiativ per insatsområde, i kronor."),
            [(a.name, a.disbursed) for a in result],
        ),
    )


def _latest_outcomes(initiatives, year: int) -> dict[int, dict]:
    """The latest approved outcome report per initiative up to the year (outcome reporting in initiatives)."""
    return latest_approved_outcomes(initiatives, year)
