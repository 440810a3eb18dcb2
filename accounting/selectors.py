"""Reads for the ledger's pages, exports and reports.

Balances come from the last closed year's snapshot plus the lines of the years still open, so the
figures cost the same whether the journal holds a thousand lines or a million. Each selector runs a
fixed number of queries, whatever the data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from accounting import permissions
from accounting.models import (
    Account,
    CapitalPart,
    Commitment,
    Decision,
    FiscalYear,
    Fund,
    Kind,
    Verification,
    VerificationLine,
    YearBalance,
)

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
        years=year_rows(years, movements),
        last_closed=next((y for y in reversed(years) if not y.is_open), None),
        open_years=[y for y in years if y.is_open],
    )


def year_rows(years: list[FiscalYear], movements) -> list[YearRow]:
    """The fund's capital (what the settlement account holds) per year: opening, movement by kind, closing."""
    rows, opening = [], ZERO
    for year in years:
        moved: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for (kind, _part, event), amount in movements[year.pk].items():
            if kind == SETTLEMENT:
                moved[event] += amount
        capital, disbursed, repaid = moved[Kind.CAPITAL], -moved[Kind.DISBURSEMENT], moved[Kind.REPAYMENT]
        closing = opening + capital - disbursed + repaid
        rows.append(YearRow(year, opening, capital, disbursed, repaid, closing))
        opening = closing
    return rows


def year_balances(fiscal_year: FiscalYear) -> list[dict]:
    """Opening, movement and closing per account and capital part of one year (snapshot or live)."""
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
        ):
            rows[r["account_id"]].update(opening=r["o"], movement=r["m"], closing=r["c"])
    else:
        previous = FiscalYear.objects.filter(fund_id=fiscal_year.fund_id, year__lt=fiscal_year.year).order_by(
            "-year"
        )
        earlier = list(previous.values("id", "status"))
        last_closed = next((y["id"] for y in earlier if y["status"] == FiscalYear.Status.CLOSED), None)
        open_before = [y["id"] for y in earlier if y["status"] == FiscalYear.Status.OPEN]
        if last_closed:
            for r in (
                YearBalance.objects.filter(fiscal_year_id=last_closed)
                .values("account_id")
                .annotate(c=Sum("closing"))
            ):
                rows[r["account_id"]]["opening"] += r["c"]
        if open_before:
            for r in (
                VerificationLine.objects.filter(fiscal_year_id__in=open_before)
                .values("account_id")
                .annotate(t=Sum("amount"))
            ):
                rows[r["account_id"]]["opening"] += r["t"]
        for r in (
            VerificationLine.objects.filter(fiscal_year=fiscal_year)
            .values("account_id")
            .annotate(t=Sum("amount"))
        ):
            rows[r["account_id"]]["movement"] = r["t"]
        for row in rows.values():
            row["closing"] = row["opening"] + row["movement"]
    return [rows[pk] for pk in sorted(rows, key=lambda pk: accounts[pk].code)]


def journal(fund: Fund, *, year=None, kind=None, capital_part=None, initiative=None, q=None):
    """The fund's verifications, newest first, with their lines (two queries per page)."""
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
    lines = VerificationLine.objects.select_related("account", "capital_part", "initiative").order_by("id")
    return (
        verifications.select_related(
            "fiscal_year", "author", "reverses__fiscal_year", "reversed_by__fiscal_year"
        )
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("-booking_date", "-fiscal_year__year", "-series", "-number")
    )


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


def initiative_panel_context(initiative, user) -> dict | None:
    """The money panel on an initiative's page (core.panels slot "initiative-detail")."""
    if not permissions.can_view_initiative_money(user, initiative):
        return None
    money = initiative_money(initiative)
    if not money.decisions:
        return None
    return {"money": money, "initiative": initiative}


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
