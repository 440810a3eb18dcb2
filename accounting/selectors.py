"""Reads for the ledger's pages, exports and reports.

Balances come from the last closed year's snapshot plus the lines of the years still open, so the
figures cost the same whether the journal holds a thousand lines or a million. Each selector runs a
fixed number of queries, whatever the data.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, CharField, Max, Min, OuterRef, Prefetch, Q, Subquery, Sum, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting import permissions
from accounting.models import (
    Account,
    CapitalPart,
    Commitment,
    Decision,
    DecisionOutcome,
    DelegationPoint,
    FiscalYear,
    Fund,
    Kind,
    MakerKind,
    RecoveryClaim,
    Verification,
    VerificationLine,
    YearBalance,
    verification_number_label,
)
from core.db import JSONRow
from core.history import HistorySource
from core.money import MoneyField, format_amount, round_ore
from initiatives.models import FUNDED_STATUSES, Status

ZERO = Decimal("0.00")
AVAILABLE, RESERVED, SETTLEMENT = Account.Kind.AVAILABLE, Account.Kind.RESERVED, Account.Kind.SETTLEMENT


@dataclass
class Figures:
    """Money figures of a capital part, a commitment, an initiative or the whole fund (positive kronor)."""

    capital: Decimal = ZERO  # capital added, plus transfers in, less transfers out
    granted: Decimal = ZERO  # committed to initiatives (net of reversals)
    disbursed: Decimal = ZERO
    released: Decimal = ZERO  # unused commitments returned to available capital
    repaid: Decimal = ZERO  # disbursed money paid back
    reserved: Decimal = ZERO  # granted, not yet disbursed or released
    available: Decimal = ZERO

    @property
    def fund_capital(self) -> Decimal:
        """What the fund holds: reserved + available = capital − disbursed + repaid."""
        return self.reserved + self.available

    def add(self, kind: str, event: str, amount: Decimal) -> None:
        """Book one signed sum (debit +) of an account kind and event into the figures."""
        if kind == AVAILABLE:
            self.available -= amount
            if event in (Kind.CAPITAL, Kind.TRANSFER):
                self.capital -= amount
            elif event == Kind.REPAYMENT:
                self.repaid -= amount
        elif kind == RESERVED:
            self.reserved -= amount
            if event == Kind.COMMITMENT:
                self.granted -= amount
            elif event == Kind.DISBURSEMENT:
                self.disbursed += amount
            elif event == Kind.RELEASE:
                self.released += amount

    def __iadd__(self, other: "Figures") -> "Figures":
        for name in ("capital", "granted", "disbursed", "released", "repaid", "reserved", "available"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass(frozen=True)
class PartRow:
    part: CapitalPart
    figures: Figures


@dataclass(frozen=True)
class YearRow:
    fiscal_year: FiscalYear
    opening: Decimal
    capital: Decimal
    disbursed: Decimal
    repaid: Decimal
    closing: Decimal

    @property
    def change(self) -> Decimal:
        return self.closing - self.opening


@dataclass(frozen=True)
class Overview:
    fund: Fund
    parts: list[PartRow]
    total: Figures
    years: list[YearRow]
    last_closed: FiscalYear | None
    open_years: list[FiscalYear] = field(default_factory=list)

    @property
    def spent(self) -> bool:
        """The resources are consumed (förbrukade, the agreement's third way to end): capital was put in,
        and nothing is available to grant nor outstanding (reserved) for granted initiatives."""
        return self.total.capital > 0 and self.total.available <= 0 and self.total.reserved <= 0


def funds_for(user):
    return (
        Fund.objects.order_by("opened_on", "id") if permissions.can_view_ledger(user) else Fund.objects.none()
    )


def _movements(years: list[FiscalYear]) -> dict[int, dict[tuple[str, int, str], Decimal]]:
    """Per year, signed movement per (account kind, capital part, event): closed years from their snapshot,
    open years from their lines. Two queries, whatever the size of the journal."""
    per_year: dict[int, dict] = {y.pk: defaultdict(lambda: ZERO) for y in years}
    closed_ids = [y.pk for y in years if not y.is_open]
    open_ids = [y.pk for y in years if y.is_open]
    if closed_ids:
        for r in (
            YearBalance.objects.filter(fiscal_year_id__in=closed_ids)
            .values("fiscal_year_id", "account__kind", "capital_part_id", "event")
            .annotate(total=Sum("movement"))
        ):
            per_year[r["fiscal_year_id"]][(r["account__kind"], r["capital_part_id"], r["event"])] += r[
                "total"
            ]
    if open_ids:
        for r in (
            VerificationLine.objects.filter(fiscal_year_id__in=open_ids)
            .values("fiscal_year_id", "account__kind", "capital_part_id", "event")
            .annotate(total=Sum("amount"))
        ):
            per_year[r["fiscal_year_id"]][(r["account__kind"], r["capital_part_id"], r["event"])] += r[
                "total"
            ]
    return per_year


def current_sums(fund: Fund, years: list[FiscalYear]) -> dict[tuple[str, int, str], Decimal]:
    """Signed sums per (account kind, capital part, event) now: the snapshots plus the open years' lines."""
    sums: dict[tuple[str, int, str], Decimal] = defaultdict(lambda: ZERO)
    for movements in _movements(years).values():
        for key, amount in movements.items():
            sums[key] += amount
    return sums


def founding_capital(fund: Fund) -> dict[int, Decimal]:
    """The fund's founding capital (*ingående kapital*) per capital part: the capital booked on the fund's
    opening date (`services.fund_open` books it so). It is the first year's opening in the overview and
    the balance report, not a change of that year; capital added on any later day is a change.

    A founding entry reversed within the first year is left out (a slip put right: 55 000 000 typed for
    5 500 000, reversed and booked again), and its reversal is no correction of that year
    (`founding_reversal`): the fund did not start with the slip, and opening + change = closing holds.
    A reversal in a later year stays that year's correction: the first year's report is final by then.

    The ledger itself keeps it as a verification of the first year (its snapshot, SIE export and account
    balances are unchanged): only the presentation of the first year's opening differs. One query, on the
    (fund, booking date) index."""
    rows = (
        VerificationLine.objects.filter(
            verification__fund=fund,
            verification__booking_date=fund.opened_on,
            verification__kind=Kind.CAPITAL,
            account__kind=AVAILABLE,
            event=Kind.CAPITAL,
        )
        .exclude(verification__reversed_by__fiscal_year__year=fund.opened_on.year)
        .values("capital_part_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {r["capital_part_id"]: -r["total"] for r in rows}


def founding_reversal(fund: Fund) -> Q:
    """On `VerificationLine`: the lines of a reversal, booked in the fund's first year, of a founding entry
    (what `founding_capital` leaves out). The first year's report counts them as no correction."""
    return Q(
        verification__kind=Kind.REVERSAL,
        verification__reverses__kind=Kind.CAPITAL,
        verification__reverses__booking_date=fund.opened_on,
        fiscal_year__year=fund.opened_on.year,
    )


def fund_overview(fund: Fund) -> Overview:
    """Per capital part and in total: capital, granted, disbursed, available; per year: the fund capital."""
    years = list(FiscalYear.objects.filter(fund=fund).order_by("year"))
    parts = list(CapitalPart.objects.filter(fund=fund).order_by("number"))
    movements = _movements(years)
    per_part = {p.pk: Figures() for p in parts}
    for per_year in movements.values():
        for (kind, part_id, event), amount in per_year.items():
            per_part[part_id].add(kind, event, amount)
    total = Figures()
    for figures in per_part.values():
        total += figures
    return Overview(
        fund=fund,
        parts=[PartRow(p, per_part[p.pk]) for p in parts],
        total=total,
        years=year_rows(years, movements, founding=sum(founding_capital(fund).values(), ZERO)),
        last_closed=next((y for y in reversed(years) if not y.is_open), None),
        open_years=[y for y in years if y.is_open],
    )


def capital_parts_available(fund: Fund) -> dict[CapitalPart, Decimal]:
    """Each capital part of the fund, in order, with what it has available to commit now."""
    return {row.part: row.figures.available for row in fund_overview(fund).parts}


def year_rows(years: list[FiscalYear], movements, *, founding: Decimal = ZERO) -> list[YearRow]:
    """The fund's capital (what the settlement account holds) per year: opening, movement by kind, closing.
    The first year opens with the founding capital (`founding_capital`): it is not a change of that year."""
    rows, opening = [], ZERO
    for index, year in enumerate(years):
        moved: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for (kind, _part, event), amount in movements[year.pk].items():
            if kind == SETTLEMENT:
                moved[event] += amount
        capital, disbursed, repaid = moved[Kind.CAPITAL], -moved[Kind.DISBURSEMENT], moved[Kind.REPAYMENT]
        if index == 0:
            opening, capital = founding, capital - founding
        closing = opening + capital - disbursed + repaid
        rows.append(YearRow(year, opening, capital, disbursed, repaid, closing))
        opening = closing
    return rows


def year_balances(fiscal_year: FiscalYear) -> list[dict]:
    """Opening, movement and closing per account of one year: its snapshot once closed, else the last
    closed snapshot plus the lines of the open years up to it. At most four queries."""
    accounts = {
        a.pk: a for a in Account.objects.filter(fund_id=fiscal_year.fund_id).select_related("capital_part")
    }
    rows: dict[int, dict] = {
        pk: {"account": a, "opening": ZERO, "movement": ZERO, "closing": ZERO} for pk, a in accounts.items()
    }
    if not fiscal_year.is_open:
        for r in (
            YearBalance.objects.filter(fiscal_year=fiscal_year)
            .values("account_id")
            .annotate(o=Sum("opening"), m=Sum("movement"), c=Sum("closing"))
            .order_by()
        ):
            rows[r["account_id"]].update(opening=r["o"], movement=r["m"], closing=r["c"])
    else:
        years = list(FiscalYear.objects.filter(fund_id=fiscal_year.fund_id, year__lte=fiscal_year.year))
        last_closed = max((y for y in years if not y.is_open), key=lambda y: y.year, default=None)
        if last_closed:
            for r in (
                YearBalance.objects.filter(fiscal_year=last_closed)
                .values("account_id")
                .annotate(c=Sum("closing"))
                .order_by()
            ):
                rows[r["account_id"]]["opening"] += r["c"]
        for r in (
            VerificationLine.objects.filter(fiscal_year_id__in=[y.pk for y in years if y.is_open])
            .values("fiscal_year_id", "account_id")
            .annotate(t=Sum("amount"))
            .order_by()
        ):
            rows[r["account_id"]]["movement" if r["fiscal_year_id"] == fiscal_year.pk else "opening"] += r[
                "t"
            ]
        for row in rows.values():
            row["closing"] = row["opening"] + row["movement"]
    return [rows[pk] for pk in sorted(rows, key=lambda pk: accounts[pk].code)]


def journal(fund: Fund, *, year=None, kind=None, capital_part=None, initiative=None, q=None):
    """The fund's verifications, newest first, with their lines (two queries per page)."""
    lines = VerificationLine.objects.select_related("account", "capital_part", "initiative").order_by("id")
    return (
        journal_selection(fund, year=year, kind=kind, capital_part=capital_part, initiative=initiative, q=q)
        .select_related("fiscal_year", "author", "reverses__fiscal_year", "reversed_by__fiscal_year")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def journal_selection(fund: Fund, *, year=None, kind=None, capital_part=None, initiative=None, q=None):
    """The fund's verifications matching the journal's filters, newest first, nothing joined."""
    verifications = Verification.objects.filter(fund=fund)
    if year:
        verifications = verifications.filter(fiscal_year__year=year)
    if kind:
        verifications = verifications.filter(kind=kind)
    if capital_part:
        verifications = verifications.filter(Q(lines__capital_part=capital_part)).distinct()
    if initiative:
        verifications = verifications.filter(lines__initiative=initiative).distinct()
    if q:
        verifications = verifications.filter(text__icontains=q)
    return verifications.order_by("-booking_date", "-series", "-number")


@dataclass(frozen=True)
class JournalLine:
    account: str  # code and name
    capital_part: int
    debit: str  # formatted amounts ("1 234,00"), empty on the other side
    credit: str


@dataclass(frozen=True)
class JournalEntry:
    pk: int
    number_label: str
    booking_date: date
    text: str
    kind: str  # its label
    reverses_label: str  # the number of the verification it reverses, or empty
    lines: list[JournalLine]


_KIND_LABELS = dict(Kind.choices)


def journal_entries(verifications) -> list[JournalEntry]:
    """A journal page's verifications with their lines, as plain values (two queries).

    The page shows 50 verifications with their lines: built from model instances (each with its year,
    author, reversal and every line's account, part and initiative) and rendered through the template
    language line by line, the journal was the slowest page (7 × the trivial view). It needs a few
    columns of each, formatted once here."""
    rows = list(
        verifications.values_list(
            "pk",
            "series",
            "number",
            "fiscal_year__year",
            "booking_date",
            "text",
            "kind",
            "reverses__series",
            "reverses__number",
            "reverses__fiscal_year__year",
        )
    )
    lines = defaultdict(list)
    for verification_id, code, name, part, amount in (
        VerificationLine.objects.filter(verification_id__in=[row[0] for row in rows])
        .order_by("id")
        .values_list("verification_id", "account__code", "account__name", "capital_part__number", "amount")
    ):
        lines[verification_id].append(
            JournalLine(
                account=f"{code} {name}",
                capital_part=part,
                debit=format_amount(amount, with_unit=False) if amount > 0 else "",
                credit=format_amount(-amount, with_unit=False) if amount < 0 else "",
            )
        )
    return [
        JournalEntry(
            pk=pk,
            number_label=verification_number_label(series, number, year),
            booking_date=booking_date,
            text=text,
            kind=_KIND_LABELS[kind],
            reverses_label=verification_number_label(*reversed_number) if reversed_number[0] else "",
            lines=lines[pk],
        )
        for pk, series, number, year, booking_date, text, kind, *reversed_number in rows
    ]


def commitment_figures_map(commitments) -> dict[int, Figures]:
    """Figures per commitment, in one query."""
    ids = [c.pk for c in commitments]
    figures = {pk: Figures() for pk in ids}
    for r in (
        VerificationLine.objects.filter(commitment_id__in=ids)
        .values("commitment_id", "account__kind", "event")
        .annotate(total=Sum("amount"))
    ):
        figures[r["commitment_id"]].add(r["account__kind"], r["event"], r["total"])
    return figures


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    figures: Figures


@dataclass(frozen=True)
class InitiativeMoney:
    initiative: object
    decisions: list[Decision]
    commitments: list[CommitmentRow]
    total: Figures
    verifications: list[Verification]


def initiative_money(initiative) -> InitiativeMoney:
    """Each initiative's money: granted, disbursed, remaining, returned — with the postings behind it."""
    decisions = list(
        Decision.objects.filter(initiative=initiative).select_related("fund").order_by("decided_on")
    )
    commitments = list(
        Commitment.objects.filter(initiative=initiative)
        .select_related("capital_part", "decision")
        .order_by("id")
    )
    figures = commitment_figures_map(commitments)
    total = Figures()
    for f in figures.values():
        total += f
    verifications = list(
        Verification.objects.filter(lines__initiative=initiative)
        .distinct()
        .select_related("fiscal_year")
        .order_by("booking_date", "id")
    )
    return InitiativeMoney(
        initiative=initiative,
        decisions=decisions,
        commitments=[CommitmentRow(c, figures[c.pk]) for c in commitments],
        total=total,
        verifications=verifications,
    )


def _line_totals(initiative) -> list[dict]:
    # Every line of a commitment carries its initiative: one query, summed per account kind and event,
    # with each group's first and last booking day (the timeline's dates).
    return list(
        VerificationLine.objects.filter(initiative=initiative)
        .values("account__kind", "event")
        .annotate(
            total=Sum("amount"),
            first=Min("verification__booking_date"),
            last=Max("verification__booking_date"),
        )
        .order_by()
    )


@dataclass(frozen=True)
class ClaimLine:
    """A recovery claim as the initiative's page lists it."""

    pk: int
    amount: Decimal
    repaid: Decimal
    status: str
    due_on: date
    overdue: bool

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounting:recovery-claim-detail", args=[self.pk])

    def get_status_display(self) -> str:
        return RecoveryClaim.Status(self.status).label

    @property
    def outstanding(self) -> Decimal:
        return ZERO if self.status == RecoveryClaim.Status.WRITTEN_OFF else self.amount - self.repaid


def _page_line_totals(initiative) -> list[dict]:
    """_line_totals read once for the initiative's page: its money panel and its timeline share them.
    The initiative's recovery claims come in the same query (an array beside the sums: a claim needs money
    paid out, so an initiative without lines has none), as the page has no query to spare."""
    if not hasattr(initiative, "_page_line_totals"):
        claims = (
            RecoveryClaim.objects.filter(initiative=initiative)
            .order_by("decided_on", "id")
            .values(
                claim=JSONRow(
                    id="id",
                    # As text: a JSON number would come back as a float.
                    amount=Cast("amount", CharField()),
                    repaid=Cast("repaid", CharField()),
                    status="status",
                    due_on="due_on",
                )
            )
        )
        initiative._page_line_totals = list(
            VerificationLine.objects.filter(initiative=initiative)
            .values("account__kind", "event")
            .annotate(
                total=Sum("amount"),
                first=Min("verification__booking_date"),
                last=Max("verification__booking_date"),
                claims=ArraySubquery(claims),
            )
            .order_by()
        )
    return initiative._page_line_totals


def _page_claims(initiative) -> list[ClaimLine]:
    rows = _page_line_totals(initiative)
    today = timezone.localdate()
    claims = []
    for c in rows[0]["claims"] if rows else []:
        due_on = date.fromisoformat(c["due_on"])
        claim = ClaimLine(c["id"], Decimal(c["amount"]), Decimal(c["repaid"]), c["status"], due_on, False)
        overdue = claim.outstanding > 0 and due_on < today
        claims.append(dataclasses.replace(claim, overdue=overdue))
    return claims


def _figures(rows) -> Figures:
    figures = Figures()
    for r in rows:
        figures.add(r["account__kind"], r["event"], r["total"])
    return figures


def initiative_money_figures(initiative) -> Figures:
    """Granted, disbursed, remaining and repaid for one initiative, in one query."""
    return _figures(_line_totals(initiative))


@dataclass(frozen=True)
class Leverage:
    """Leverage (hävstång), the one definition (README, *Hävstång*): co-financing actually paid in — as the
    approved outcome reports state it — per krona **net** from the fund (disbursed less repaid), for one
    initiative or summed over many. What was applied for or planned is not leverage: only money that came.
    None while nothing net has left the fund (no krona to divide by)."""

    co_financing: Decimal = ZERO
    net_from_fund: Decimal = ZERO

    @property
    def ratio(self) -> Decimal | None:
        if self.net_from_fund <= 0:
            return None
        return round_ore(self.co_financing / self.net_from_fund)

    def __add__(self, other: "Leverage") -> "Leverage":
        return Leverage(self.co_financing + other.co_financing, self.net_from_fund + other.net_from_fund)


# Co-financing actually paid in, the numerator of the leverage, is what the approved outcome reports
# state. Outcome reporting sits above the ledger (apps depend one way), so it registers where to read it,
# in its AppConfig.ready(), as panels are registered. Without it nothing counts as received.
CoFinancingReceived = Callable[..., dict[int, Decimal]]
_co_financing_received: list[CoFinancingReceived] = []


def register_co_financing_received(source: CoFinancingReceived) -> None:
    """`source(initiative_ids, year, *, initiative=None) -> {initiative id: kronor}`: received up to the end
    of `year` (None: so far); `initiative`, the one whose page is shown, lets it reuse what the page read."""
    if source not in _co_financing_received:
        _co_financing_received.append(source)


def leverage_by_initiative(
    money: dict[int, tuple[Decimal, Decimal]], *, year: int | None = None, initiative=None
) -> tuple[dict[int, Leverage], Leverage]:
    """Leverage per initiative and in total, from each initiative's (disbursed, repaid) in the ledger and
    the co-financing its approved outcome reports state, up to the end of `year` (None: up to now). The
    total counts the initiatives money has been paid out to. One query, none on an initiative's page
    (`initiative`) whose outcome reports are read already."""
    received: dict[int, Decimal] = {}
    for source in _co_financing_received:
        received |= source(list(money), year, initiative=initiative)
    per = {
        pk: Leverage(received.get(pk, ZERO), disbursed - repaid) for pk, (disbursed, repaid) in money.items()
    }
    total = sum((per[pk] for pk, (disbursed, _r) in money.items() if disbursed > 0), Leverage())
    return per, total


def initiative_panel_context(initiative, user) -> dict | None:
    """The money panel on an initiative's page (core.panels slot "initiative-detail").

    Only decided initiatives have money; the status says so without a query, and the figures take
    one, so the initiative page keeps a fixed number of queries."""
    if initiative.status not in FUNDED_STATUSES:
        return None
    if not permissions.can_view_initiative_money(user, initiative):
        return None
    figures = _figures(_page_line_totals(initiative))
    _per, leverage = leverage_by_initiative(
        {initiative.pk: (figures.disbursed, figures.repaid)}, initiative=initiative
    )
    return {
        "money": {"total": figures},
        "initiative": initiative,
        "leverage": leverage,
        "claims": _page_claims(initiative),
        "can_terminate": initiative.status == Status.DECIDED
        and permissions.can_terminate_initiative(user, initiative),
        "can_claim": permissions.can_manage_recovery(user) and figures.disbursed > figures.repaid,
    }


def decision_postings(decision: Decision) -> dict:
    commitments = list(decision.commitments.select_related("capital_part").order_by("id"))
    figures = commitment_figures_map(commitments)
    total = Figures()
    for f in figures.values():
        total += f
    verifications = list(
        Verification.objects.filter(decision=decision)
        .select_related("fiscal_year", "author")
        .prefetch_related(
            Prefetch("lines", queryset=VerificationLine.objects.select_related("account", "capital_part"))
        )
        .order_by("booking_date", "id")
    )
    return {
        "commitments": [CommitmentRow(c, figures[c.pk]) for c in commitments],
        "total": total,
        "verifications": verifications,
        "left_to_grant": decision.amount - total.granted,
    }


def initiative_history_sources(initiative, user) -> list[HistorySource]:
    """For the initiative's history (core.history slot "initiative"): Region Värmland's decisions and
    recovery claims, to those who read the initiative's money page."""
    if not permissions.can_view_initiative_money(user, initiative):
        return []
    return [
        HistorySource(
            Decision,
            Q(initiative_id=initiative.pk),
            lambda r, names: f"{_('Beslut enligt delegation')}: {r.reference}",
            hidden=frozenset({"initiative", "position", "idempotency_key", "recorded_at", "fund"}),
        ),
        HistorySource(
            RecoveryClaim,
            Q(initiative_id=initiative.pk),
            lambda r, names: _("Återkrav %(id)s") % {"id": r.id},
            hidden=frozenset({"initiative", "idempotency_key", "created_at", "fund", "created_by"}),
        ),
    ]


@dataclass(frozen=True)
class ReservationToRelease:
    initiative: object
    reserved: Decimal


def reservations_to_release() -> list[ReservationToRelease]:
    """Finance's list *Att frigöra*: completed or terminated initiatives with money still reserved for them
    (their completion or termination could not release it). Two queries."""
    sums = {
        r["initiative_id"]: -r["total"]
        for r in VerificationLine.objects.filter(
            account__kind=RESERVED, initiative__status__in=[Status.COMPLETED, Status.TERMINATED]
        )
        .values("initiative_id")
        .annotate(total=Sum("amount"))
        .order_by()
        if r["total"]
    }
    from initiatives.models import Initiative

    initiatives = Initiative.objects.filter(pk__in=list(sums)).select_related("party").order_by("pk")
    return [ReservationToRelease(i, sums[i.pk]) for i in initiatives]


def agreement_panel_context(agreement, user) -> dict | None:
    """On the agreement's page (core.panels slot "agreement"): each fund's state, and whether its
    resources are consumed (*förbrukade*: nothing available nor outstanding), one of the agreement's ends."""
    funds = list(Fund.objects.order_by("opened_on", "id"))
    if not funds:
        return None
    # Whether the resources are consumed concerns every party; the amounts are for the ledger's readers.
    return {
        "fund_states": [(fund, fund_overview(fund)) for fund in funds],
        "show_amounts": permissions.can_view_ledger(user),
    }


def initiative_list_amounts(qs, user):
    """The initiative list's granted and disbursed columns (initiatives.selectors.register_list_amounts):
    two subqueries of the list's own query, so the page keeps its query count. Readers of the ledger
    see every initiative's money, a party's people their own party's (as can_view_initiative_money);
    others get no such columns."""
    if permissions.can_view_ledger(user):

        def shown(expression):
            return expression

    elif user.is_active and getattr(user, "party_id", None):

        def shown(expression):
            return Case(When(party_id=user.party_id, then=expression), default=None)

    else:
        return qs
    reserved = VerificationLine.objects.filter(initiative=OuterRef("pk"), account__kind=RESERVED).order_by()

    def total(event, sign):
        return Subquery(
            reserved.filter(event=event)
            .values("initiative")
            .annotate(total=Sum("amount") * sign)
            .values("total"),
            output_field=MoneyField(),  # the money type, so the template formats it as money
        )

    return qs.annotate(
        granted=shown(total(Kind.COMMITMENT, -1)), disbursed=shown(total(Kind.DISBURSEMENT, 1))
    )


def decided_on(initiative) -> date | None:
    """The day of Region Värmland's (first) decision on the initiative. Read once per instance (a list's
    Prefetch of its decisions, or this call's query of their days: a prefetch of whole decisions for one
    initiative cost twice as much): the page's timeline and its outcome panel both ask."""
    if "decisions" in getattr(initiative, "_prefetched_objects_cache", {}):
        days = [d.decided_on for d in initiative.decisions.all()]
    else:
        if not hasattr(initiative, "_decision_days"):
            initiative._decision_days = list(
                Decision.objects.filter(initiative=initiative).values_list("decided_on", flat=True)
            )
        days = initiative._decision_days
    return min(days, default=None)


def initiative_timeline_dates(initiative, user) -> dict:
    """The initiative page's timeline (initiatives.selectors.register_timeline_dates): the day of Region
    Värmland's decision, of the first commitment and of the latest payout, for readers of the
    initiative's money. The decisions and the line totals are read once for the page: the outcome panel
    and the money panel use them too."""
    if initiative.status not in FUNDED_STATUSES:
        return {}
    if not permissions.can_view_initiative_money(user, initiative):
        return {}
    rows = _page_line_totals(initiative)
    return {
        "decision": decided_on(initiative),
        "commitments": min((r["first"] for r in rows if r["event"] == Kind.COMMITMENT), default=None),
        "payouts": max((r["last"] for r in rows if r["event"] == Kind.DISBURSEMENT), default=None),
    }


# --- the delegation register and the report of delegated decisions --------------------------------


def delegation_register():
    """Every version of every point, current ones first per code, newest version first."""
    return DelegationPoint.objects.select_related("created_by").order_by("code", "-valid_from")


@dataclass(frozen=True)
class DelegationReport:
    """Decisions taken under delegation in a period, for report to the regional board (anmälan av
    delegationsbeslut): the board's own decisions are not delegated and are left out."""

    start: date
    end: date
    decisions: list
    granted_total: Decimal
    rejected_count: int


def delegation_report(*, start: date, end: date) -> DelegationReport:
    decisions = list(
        Decision.objects.filter(decided_on__range=(start, end))
        .exclude(maker_kind=MakerKind.BOARD)
        .select_related("initiative__party", "delegation_point", "fund")
        .order_by("decided_on", "id")
    )
    return DelegationReport(
        start=start,
        end=end,
        decisions=decisions,
        granted_total=sum((d.amount for d in decisions), ZERO),
        rejected_count=sum(1 for d in decisions if d.outcome == DecisionOutcome.REJECTED),
    )


# --- recovery claims ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimTotals:
    amount: Decimal
    repaid: Decimal
    outstanding: Decimal
    written_off: Decimal
    overdue: int


def _with_overdue(claims, today: date | None = None) -> list[RecoveryClaim]:
    """The claims, each marked `overdue` (due and not repaid) for the templates."""
    today = today or timezone.localdate()
    claims = list(claims)
    for claim in claims:
        claim.overdue = claim.is_overdue(today)
    return claims


def recovery_claim_list(*, today: date) -> dict:
    """Finance's list *Återkrav*: every claim, outstanding first by due date, with totals. One query."""
    claims = list(
        RecoveryClaim.objects.select_related("initiative__party").order_by(
            Case(When(status__in=["open", "partly_repaid"], then=0), default=1), "due_on", "id"
        )
    )
    _with_overdue(claims, today)
    totals = ClaimTotals(
        amount=sum((c.amount for c in claims), ZERO),
        repaid=sum((c.repaid for c in claims), ZERO),
        outstanding=sum((c.outstanding for c in claims), ZERO),
        written_off=sum((c.written_off for c in claims), ZERO),
        overdue=sum(1 for c in claims if c.overdue),
    )
    return {"claims": claims, "totals": totals, "today": today}


def recovery_claim_repayments(claim: RecoveryClaim) -> list[Verification]:
    """The repayments booked against a claim, and their corrections, in booking order. One query."""
    return list(
        Verification.objects.filter(recovery_claim=claim)
        .select_related("fiscal_year", "fund")
        .annotate(
            repaid=-Sum(
                "lines__amount", filter=Q(lines__account__kind=AVAILABLE, lines__event=Kind.REPAYMENT)
            )
        )
        .order_by("booking_date", "id")
    )
