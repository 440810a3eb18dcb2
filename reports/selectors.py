"""The annual reports' figures, built from the ledger into frozen dataclasses (no rendering here).

Region Värmland's balance report for a fund and a year comes from the closed year's snapshot
(`accounting.YearBalance`, read as the ledger's own selectors read it: two queries for all the years);
an open year's report is built from its lines and is marked preliminary. Change since last year =
closing − previous closing (in the fund's first year: closing − founding capital, the *ingående
kapital* booked on the opening date), split into capital added, transfers between parts, disbursements,
repayments and corrections (reversals in the year, whose lines carry the event they reverse: the other
columns are gross of them). A fixed number of queries, whatever the size of the journal.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext as _
from psycopg import sql

from accounting.models import (
    Account,
    CapitalPart,
    Decision,
    FiscalYear,
    Fund,
    Kind,
    RecoveryClaim,
    Verification,
    VerificationLine,
    YearBalance,
)
from accounting.selectors import Leverage, founding_capital, founding_reversal, leverage_by_initiative
from initiatives.models import ActionArea, AreaAlignment, CoFinancing, Initiative
from outcomes.models import OutcomeIndicator
from outcomes.models import OutcomeReport as InitiativeOutcome
from outcomes.selectors import latest_approved_outcomes
from people.models import Party
from reports.models import FileFormat, PreparedReport, ReportArchive

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
    label_lines: tuple[str, ...] = ()  # the label wrapped to the bar's slot, never cut


LABEL_LINE_HEIGHT = 13  # px, for the labels' font-size 11
LABEL_CHAR_WIDTH = 7  # px: a generous average width of a DejaVu Sans character at font-size 11


def wrap_label(label: str, width: int) -> tuple[str, ...]:
    """The label in lines of at most `width` px (estimated), broken between words and, for a word longer
    than a line (Trafikförsörjningsprogrammet), inside it with a hyphen: a label is never cut off."""
    per_line = max(width // LABEL_CHAR_WIDTH, 4)
    lines: list[str] = []
    for word in label.split():
        while len(word) > per_line:
            head, word = word[: per_line - 1] + "-", word[per_line - 1 :]
            lines.append(head)
        if lines and not lines[-1].endswith("-") and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return tuple(lines) or ("",)


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
    leverage: Decimal | None  # `accounting.selectors.Leverage`: co-financing per krona net from the fund
    balance_chart: Chart
    area_chart: Chart
    # The fund's first year: `previous_closing` is then the founding capital (ingående kapital), booked on
    # the opening date, and `change` what happened after it.
    opens_with_founding_capital: bool = False
    opened_on: date | None = None

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
    repaid: dict  # initiative pk -> repaid up to the year (positive)
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
    repaid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    is_reversal = Case(
        # A slip in the founding capital put right in the first year is not a correction of that year:
        # neither the slip nor its reversal is in the opening (`founding_capital`).
        When(founding_reversal(fund), then=Value(False)),
        When(verification__kind=Kind.REVERSAL, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    rows = (
        VerificationLine.objects.filter(
            Q(verification__fund=fund, fiscal_year__year__lte=fiscal_year.year, account__kind=RESERVED)
            | Q(
                verification__fund=fund,
                fiscal_year__year__lte=fiscal_year.year,
                account__kind=AVAILABLE,
                event=Kind.REPAYMENT,
            )
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
        elif kind == AVAILABLE and event == Kind.REPAYMENT and r["initiative_id"]:
            repaid[r["initiative_id"]] -= total  # a credit on available capital
    return _Lines(per_year, per_initiative, repaid, corrections, disbursed_in_year)


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
    """Geometry for a hand-written SVG bar chart (templates/reports/_bar_chart.svg), same in page and PDF.
    Labels are wrapped to their slot and the chart grows downwards to hold them all."""
    top, left = 28, 10
    max_value = max((v for _label, v in points), default=ZERO)
    n = max(len(points), 1)
    slot = (width - 2 * left) // n
    bar_width = max(min(slot - 16, 90), 8)
    wrapped = [wrap_label(label, slot - 6) for label, _value in points]
    bottom = 12 + LABEL_LINE_HEIGHT * max((len(lines) for lines in wrapped), default=1)
    height += max(bottom - 40, 0)
    baseline = height - bottom
    bars = []
    for i, (label, value) in enumerate(points):
        h = int((value / max_value) * (baseline - top)) if max_value > 0 and value > 0 else 0
        x = left + i * slot + (slot - bar_width) // 2
        bars.append(
            ChartBar(
                label, value, x, baseline - h, bar_width, h, x + bar_width // 2, baseline - h - 6, wrapped[i]
            )
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
    year_sums = defaultdict(lambda: ZERO, per_year[fiscal_year.pk])
    opens_with_founding_capital = fiscal_year.year == fund.opened_on.year
    if opens_with_founding_capital:
        # The first year opens with the fund's founding capital (ingående kapital): that is where the
        # fund started, not a change of the year. Capital added on any later day is still a change.
        for part_id, amount in founding_capital(fund).items():
            key = (AVAILABLE, part_id, Kind.CAPITAL)
            previous_sums[key] -= amount  # available capital is a credit balance: signed negative
            year_sums[key] += amount
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
        for i in _with_group(
            Initiative.objects.filter(pk__in=[pk for pk in per_initiative if pk]).select_related("party")
        )
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
        # The year's grants: a negative decision (avslag) grants and books nothing.
        for d in Decision.objects.filter(fund=fund, decided_on__year=year, outcome="granted")
        .select_related("initiative__party")
        .order_by("decided_on", "id")
    ]

    _per, leverage = leverage_by_initiative(
        {pk: (s[Kind.DISBURSEMENT], lines.repaid[pk]) for pk, s in per_initiative.items() if pk}, year=year
    )

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
        disbursed_total=leverage.net_from_fund,
        co_financing=leverage.co_financing,
        leverage=leverage.ratio,
        balance_chart=_balance_chart(per_year, years),
        area_chart=_area_chart(lines.disbursed_in_year, initiatives),
        opens_with_founding_capital=opens_with_founding_capital,
        opened_on=fund.opened_on,
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


# Groups after Värmlandsstrategin's action areas (in their order): initiatives that start from
# Trafikförsörjningsprogrammet alone (the agreement's second ground), then those with neither.
TRANSPORT_ORDER, NO_AREA_ORDER = (10000, 0), (10001, 0)


def _group(initiative: Initiative) -> tuple[str, tuple]:
    """The report group of an initiative annotated with `_first_area`: its first aligned action area, else
    Trafikförsörjningsprogrammet if it starts from the transport plan, else none."""
    if initiative.first_area is not None:
        return initiative.first_area, (initiative.first_area_order, initiative.first_area_id)
    if initiative.transport_plan:
        return _("Trafikförsörjningsprogrammet"), TRANSPORT_ORDER
    return _("Utan insatsområde"), NO_AREA_ORDER


def _with_group(queryset):
    return queryset.annotate(
        first_area=_first_area("name"), first_area_order=_first_area("order"), first_area_id=_first_area("id")
    )


def _area_chart(disbursed_in_year: dict[int, Decimal], initiatives: dict[int, Initiative]) -> Chart:
    """Disbursed in the year per group (`_group`): an initiative counts under its first aligned area."""
    per_area: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for pk, amount in disbursed_in_year.items():
        name, order = (
            _group(initiatives[pk]) if pk in initiatives else (_("Utan insatsområde"), NO_AREA_ORDER)
        )
        per_area[(order, name)] += amount
    return bar_chart(
        _("Utbetalt under året per insatsområde"),
        _(
            "Stapeldiagram: utbetalningar under året per insatsområde i Värmlandsstrategin och för "
            "Trafikförsörjningsprogrammet, i kronor."
        ),
        [(name, amount) for (_order, name), amount in sorted(per_area.items())],
    )


# --- VRAG's outcome report ------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """One financed initiative. Its money reconciles: granted = disbursed + released + remaining; repaid
    is what came back of the disbursed (it is in none of the three)."""

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
    released: Decimal = ZERO
    repaid: Decimal = ZERO
    leverage: Leverage = field(default_factory=Leverage)
    # Recovery claims (återkrav) decided up to the year's end, and what of `repaid` came back against them.
    claimed: Decimal = ZERO
    recovered: Decimal = ZERO


@dataclass(frozen=True)
class OutcomeArea:
    name: str
    rows: tuple[OutcomeRow, ...]
    granted: Decimal
    disbursed: Decimal
    remaining: Decimal
    released: Decimal = ZERO
    repaid: Decimal = ZERO
    leverage: Leverage = field(default_factory=Leverage)


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
    released: Decimal = ZERO
    repaid: Decimal = ZERO
    # The same figure as the balance report's for the year.
    leverage: Leverage = field(default_factory=Leverage)


_MONEY = ("granted", "disbursed", "released", "remaining", "repaid")


def _sums(items) -> dict[str, Decimal]:
    return {name: sum((getattr(i, name) for i in items), ZERO) for name in _MONEY}


def outcome_report(fund: Fund, year: int) -> OutcomeReport:
    """Per initiative the fund financed (a commitment up to the end of the year): status, money (granted,
    disbursed, released, remaining — which add up — and repaid), its leverage and its latest outcome,
    grouped by its first action area (or Trafikförsörjningsprogrammet). Area and report totals are the
    sums of their rows. A fixed number of queries."""
    fiscal_year, _years_list = _years(fund, year)
    money: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    repaid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    recovered: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for r in (
        VerificationLine.objects.filter(
            Q(account__kind=RESERVED) | Q(account__kind=AVAILABLE, event=Kind.REPAYMENT),
            verification__fund=fund,
            fiscal_year__year__lte=year,
            initiative__isnull=False,
        )
        .values(
            "initiative_id",
            "account__kind",
            "event",
            against_claim=ExpressionWrapper(
                Q(verification__recovery_claim__isnull=False), output_field=BooleanField()
            ),
        )
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        if r["account__kind"] == RESERVED:
            money[r["initiative_id"]][r["event"]] += r["total"]
        else:
            repaid[r["initiative_id"]] -= r["total"]  # a credit on available capital
            if r["against_claim"]:
                recovered[r["initiative_id"]] -= r["total"]
    claimed = (
        RecoveryClaim.objects.filter(fund=fund, initiative=OuterRef("pk"), decided_on__lte=date(year, 12, 31))
        .values("initiative")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    initiatives = list(
        _with_group(
            Initiative.objects.filter(pk__in=list(money))
            .select_related("party")
            .annotate(claimed=Subquery(claimed))
        )
    )
    leverage, _total = leverage_by_initiative(
        {pk: (money[pk][Kind.DISBURSEMENT], repaid[pk]) for pk in money}, year=year
    )
    outcomes = _latest_outcomes(initiatives, year)
    grouped: dict[tuple, list[OutcomeRow]] = defaultdict(list)
    for i in initiatives:
        sums = money[i.pk]
        outcome = outcomes.get(i.pk, {})
        name, order = _group(i)
        grouped[(order, name)].append(
            OutcomeRow(
                i.registration_number,
                i.title,
                i.party.name,
                i.get_status_display(),
                i.status_tag,
                granted=-sums[Kind.COMMITMENT],
                disbursed=sums[Kind.DISBURSEMENT],
                remaining=-sum(sums.values(), ZERO),
                summary=outcome.get("summary") or i.summary,
                outcome_status=outcome.get("status", ""),
                indicators=tuple(outcome.get("indicators", ())),
                released=sums[Kind.RELEASE],
                repaid=repaid[i.pk],
                leverage=leverage[i.pk],
                claimed=i.claimed or ZERO,
                recovered=recovered[i.pk],
            )
        )
    result = []
    for order, name in sorted(grouped):
        rows = sorted(grouped[(order, name)], key=lambda r: r.registration_number)
        result.append(
            OutcomeArea(
                name,
                tuple(rows),
                leverage=sum((r.leverage for r in rows if r.disbursed > 0), Leverage()),
                **_sums(rows),
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
        area_chart=bar_chart(
            _("Utbetalt hittills per insatsområde"),
            _("Stapeldiagram: utbetalt till finansierade initiativ per insatsområde, i kronor."),
            [(a.name, a.disbursed) for a in result],
        ),
        leverage=sum((a.leverage for a in result), Leverage()),
        **_sums(result),
    )


def _latest_outcomes(initiatives, year: int) -> dict[int, dict]:
    """The latest approved outcome report per initiative up to the year (outcome reporting in initiatives)."""
    return latest_approved_outcomes(initiatives, year)


# --- Preliminary PDFs prepared by a worker ----------------------------------------------------------

# Every model whose rows a report shows, beside the journal: a change to any of them (each leaves a history
# row) makes a prepared preliminary PDF stale. Global maxima, not per fund: cheap (one index lookup each)
# and on the safe side — a change elsewhere only means the PDF is prepared once more.
_VERSIONED = (
    Fund,
    CapitalPart,
    FiscalYear,
    Decision,
    RecoveryClaim,
    Initiative,
    AreaAlignment,
    ActionArea,
    CoFinancing,
    InitiativeOutcome,
    OutcomeIndicator,
    Party,
)


def _data_version_cte() -> sql.Composed:
    """`version(data_version)`: the fingerprint of what a report of the fund and year reads — the last
    verification id and the number of verifications of the fund up to the year (the journal is
    append-only, so both change with every posting and reversal) and the last history row of every model
    in `_VERSIONED` — hashed in SQL so that the page reads it with the prepared file in one query."""
    histories = [
        sql.SQL("coalesce((SELECT max(history_id) FROM {}), 0)").format(
            sql.Identifier(m.history.model._meta.db_table)
        )
        for m in _VERSIONED
    ]
    return sql.SQL(
        "version AS (SELECT encode(sha256(convert_to(concat_ws(':', %(fund)s, %(year)s,"
        " coalesce(max(v.id), 0), count(v.id), {histories}), 'UTF8')), 'hex') AS data_version"
        " FROM {verification} v JOIN {fiscal_year} y ON y.id = v.fiscal_year_id"
        " WHERE v.fund_id = %(fund)s AND y.year <= %(year)s)"
    ).format(
        histories=sql.SQL(", ").join(histories),
        verification=sql.Identifier(Verification._meta.db_table),
        fiscal_year=sql.Identifier(FiscalYear._meta.db_table),
    )


def report_data_version(*, fund: Fund, year: int) -> str:
    """The data version of a report of the fund and year (see `_data_version_cte`); one query."""
    query = sql.SQL("WITH {} SELECT data_version FROM version").format(_data_version_cte())
    with connection.cursor() as cursor:
        cursor.execute(query, {"fund": fund.pk, "year": year})
        return cursor.fetchone()[0]


def _prepare_lock_prefix(*, kind: str, fmt: str, fund: Fund, year: int) -> str:
    return f"report-prepare:{kind}:{fmt}:{fund.pk}:{year}:"


def prepare_lock(*, kind: str, fmt: str, fund: Fund, year: int, data_version: str) -> str:
    """The queueing lock of a prepared file's job: one job per report, format and data version; a second
    request while it waits joins it."""
    return _prepare_lock_prefix(kind=kind, fmt=fmt, fund=fund, year=year) + data_version[:16]


@dataclass(frozen=True)
class PreparedState:
    """What a report's page says about one of its prepared files (the PDF, the Excel or the CSV)."""

    data_version: str
    prepared_id: int | None  # the PreparedReport ready for the current data version
    prepared_at: object  # its time
    pending: bool  # a job prepares it now (or waits to)
    failed: bool  # the last job for the current data version failed


@dataclass(frozen=True)
class ArchivedReport:
    """The final report's archived PDF as its page names it (the file itself is not read)."""

    pk: int
    created_at: object
    sha256: str


@dataclass(frozen=True)
class ReportFiles:
    """What a report's page says about its files: each format's prepared file, the archived final PDF and
    whether the final report's issue job waits or runs."""

    states: dict[str, PreparedState]
    archived: ArchivedReport | None
    issue_pending: bool


def report_files(*, kind: str, fund: Fund, year: int) -> ReportFiles:
    """Every format's prepared file of the current data version and its job's state, the archived final
    report and its issue job, in one query (a report page's budget is 12 queries)."""
    from reports.services import report_issue_lock

    formats = list(FileFormat.values)
    query = sql.SQL(
        "WITH {version} SELECT f.format, version.data_version, p.id, p.created_at,"
        " (SELECT array_agg(DISTINCT j.status::text) FROM procrastinate_jobs j"
        "   WHERE j.task_name = %(task)s AND j.queueing_lock ="
        "   %(lock)s || f.format || %(lock_tail)s || left(version.data_version, 16)),"
        " a.id, a.created_at, a.sha256,"
        " EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.queueing_lock = %(issue_lock)s"
        "   AND j.status IN ('todo', 'doing'))"
        " FROM version CROSS JOIN unnest(%(formats)s::text[]) AS f(format)"
        " LEFT JOIN {prepared} p ON p.kind = %(kind)s AND p.format = f.format AND p.fund_id = %(fund)s"
        " AND p.year = %(year)s AND p.data_version = version.data_version"
        " LEFT JOIN LATERAL (SELECT id, created_at, sha256 FROM {archive} WHERE kind = %(kind)s"
        "   AND fund_id = %(fund)s AND year = %(year)s AND is_final ORDER BY id LIMIT 1) a ON true"
    ).format(
        version=_data_version_cte(),
        prepared=sql.Identifier(PreparedReport._meta.db_table),
        archive=sql.Identifier(ReportArchive._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            query,
            {
                "fund": fund.pk,
                "year": year,
                "kind": kind,
                "formats": formats,
                "task": "reports.report_prepare_preliminary",
                "lock": f"report-prepare:{kind}:",  # prepare_lock's parts, the format between them
                "lock_tail": f":{fund.pk}:{year}:",
                "issue_lock": report_issue_lock(kind=kind, fund=fund, year=year),
            },
        )
        rows = cursor.fetchall()
    states = {}
    archived, issue_pending = None, False
    for fmt, data_version, prepared_id, prepared_at, statuses, archive_id, archived_at, sha, issuing in rows:
        statuses = set(statuses or ())
        pending = prepared_id is None and bool(statuses & {"todo", "doing"})
        failed = prepared_id is None and not pending and "failed" in statuses
        states[fmt] = PreparedState(data_version, prepared_id, prepared_at, pending=pending, failed=failed)
        if archive_id is not None:
            archived = ArchivedReport(archive_id, archived_at, sha)
        issue_pending = issuing
    return ReportFiles(states, archived, issue_pending)


def prepared_report_states(*, kind: str, fund: Fund, year: int) -> dict[str, PreparedState]:
    """Every format's prepared file of the current data version, and its job's state, in one query."""
    return report_files(kind=kind, fund=fund, year=year).states


def prepared_report_state(*, kind: str, fund: Fund, year: int, fmt: str = FileFormat.PDF) -> PreparedState:
    """One format's prepared file and its job's state (see `prepared_report_states`)."""
    return prepared_report_states(kind=kind, fund=fund, year=year)[fmt]
