"""Every write to the fund ledger: one function per money event, each posting one balanced verification.

Each posting service, in one transaction:
1. checks who acts (permissions) and the amount (more than two decimals is refused: numeric would round);
2. replays: with an idempotency key already used it returns the original verification and posts nothing;
3. locks the affected capital parts `FOR NO KEY UPDATE` in id order (so concurrent postings on a part
   queue up and never deadlock with the deferred check), then checks availability / remaining;
4. takes the next number of the year's series from its counter row (same transaction: gapless);
5. inserts the verification and its lines, and runs the database's deferred checks at once
   (`SET CONSTRAINTS … IMMEDIATE`), so a broken invariant surfaces here rather than at a later COMMIT.
Nothing is ever edited: a correction is a reversal (`verification_reverse`) and, if needed, a new entry.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting import permissions
from accounting.models import (
    EVENTS,
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
from core.language import in_swedish
from core.money import ORE, format_amount
from council.models import Position
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition
from people.models import User

SERIES = "A"


# --- helpers ---------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Du har inte behörighet att bokföra i fonden."))


def _amount(value, field: str = "amount") -> Decimal:
    """A positive amount of kronor with at most two decimals, refused rather than rounded."""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if value <= 0:
        raise ValidationError({field: _("Beloppet måste vara större än noll.")}, code="not_positive")
    if value != value.quantize(ORE):
        raise ValidationError(
            {field: _("Ett belopp kan ha högst två decimaler (öre).")}, code="max_decimal_places"
        )
    return value.quantize(ORE)


def _replay(key: uuid.UUID | None) -> Verification | None:
    """The verification already posted with this key, if any (a double click or a resent form)."""
    if key is None:
        return None
    with connection.cursor() as cursor:
        # Two requests with the same key wait for each other here; the second then finds the first.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [str(key)])
    return Verification.objects.filter(idempotency_key=key).first()


def _lock_parts(parts) -> None:
    ids = sorted({p.pk for p in parts})
    list(
        CapitalPart.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("id").values_list("id")
    )


def _open_year(fund: Fund, booking_date: date) -> FiscalYear:
    year = FiscalYear.objects.filter(fund=fund, year=booking_date.year).first()
    if year is None:
        raise ValidationError(
            {
                "booking_date": _("Det finns inget verksamhetsår %(year)s i fonden.")
                % {"year": booking_date.year}
            }
        )
    if not year.is_open:
        raise ValidationError(
            {
                "booking_date": _(
                    "Verksamhetsåret %(year)s är stängt. "
                    "Bokför rättelsen i ett öppet år och hänvisa till det som rättas."
                )
                % {"year": year.year}
            },
            code="closed_year",
        )
    return year


def _accounts(fund: Fund) -> dict[tuple[str, int | None], Account]:
    return {(a.kind, a.capital_part_id): a for a in Account.objects.filter(fund=fund)}


def account_balance(account: Account) -> Decimal:
    """Signed balance (debit +): the last closed snapshot plus the open years' lines (SQL function)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT accounting_account_balance(%s)", [account.pk])
        return cursor.fetchone()[0] or Decimal("0.00")


def available(part: CapitalPart) -> Decimal:
    account = Account.objects.get(capital_part=part, kind=Account.Kind.AVAILABLE)
    return -account_balance(account)


def commitment_figures(commitment: Commitment) -> dict[str, Decimal]:
    rows = (
        VerificationLine.objects.filter(commitment=commitment, account__kind=Account.Kind.RESERVED)
        .values("event")
        .annotate(total=Sum("amount"))
    )
    by_event = {row["event"]: row["total"] for row in rows}
    repaid = VerificationLine.objects.filter(
        commitment=commitment, account__kind=Account.Kind.AVAILABLE, event=Kind.REPAYMENT
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    zero = Decimal("0.00")
    return {
        "granted": -by_event.get(Kind.COMMITMENT, zero),
        "disbursed": by_event.get(Kind.DISBURSEMENT, zero),
        "released": by_event.get(Kind.RELEASE, zero),
        "remaining": -sum(by_event.values(), zero),
        "repaid": -repaid,
    }


def _post(
    *,
    fund: Fund,
    booking_date: date,
    kind: str,
    text: str,
    user: User,
    lines: list[VerificationLine],
    key: uuid.UUID | None,
    decision: Decision | None = None,
    commitment: Commitment | None = None,
    reverses: Verification | None = None,
) -> Verification:
    year = _open_year(fund, booking_date)
    if not text.strip():
        raise ValidationError({"text": _("Skriv en verifikationstext.")})
    with connection.cursor() as cursor:
        # Gapless: the counter row is created once and incremented in this transaction (row-locked by the
        # UPDATE until COMMIT); a rolled-back posting rolls its number back too.
        cursor.execute(
            "INSERT INTO accounting_verificationcounter (fiscal_year_id, series, last_number)"
            " VALUES (%s, %s, 0)"
            " ON CONFLICT (fiscal_year_id, series) DO NOTHING",
            [year.pk, SERIES],
        )
        cursor.execute(
            "UPDATE accounting_verificationcounter SET last_number = last_number + 1"
            " WHERE fiscal_year_id = %s AND series = %s RETURNING last_number",
            [year.pk, SERIES],
        )
        number = cursor.fetchone()[0]
    verification = Verification(
        fund=fund,
        fiscal_year=year,
        series=SERIES,
        number=number,
        booking_date=booking_date,
        author=user,
        text=text.strip()[:200],
        kind=kind,
        decision=decision,
        commitment=commitment,
        reverses=reverses,
        idempotency_key=key,
    )
    verification.full_clean(
        exclude=["number", "fund", "fiscal_year", "author", "reverses", "idempotency_key"]
    )
    verification.save()
    for line in lines:
        line.verification = verification
        line.fiscal_year = year
    VerificationLine.objects.bulk_create(lines)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS accounting_verification_balances, accounting_line_balances IMMEDIATE")
        cursor.execute("SET CONSTRAINTS accounting_verification_balances, accounting_line_balances DEFERRED")
    return verification


def _line(account: Account, part: CapitalPart, event: str, amount: Decimal, **extra) -> VerificationLine:
    return VerificationLine(account=account, capital_part=part, event=event, amount=amount, **extra)


def _refuse_if_short(part: CapitalPart, amount: Decimal, field: str | None = "amount") -> None:
    left = available(part)
    if amount > left:
        message = _("Det finns bara %(left)s tillgängligt i kapitaldelen %(part)s.") % {
            "left": format_amount(left),
            "part": part,
        }
        raise ValidationError({field: message} if field else message, code="over_available")


# --- funds and capital ----------------------------------------------------------------------------


@transaction.atomic
def fund_create(
    *,
    slug: str,
    name: str,
    opened_on: date,
    parts: list[tuple[str, str]],
    user: User | None,
    description: str = "",
) -> Fund:
    """A fund with its capital parts, chart of accounts and first (open) fiscal year."""
    fund = Fund(slug=slug, name=name, opened_on=opened_on, description=description)
    fund.full_clean()
    fund._history_user = user
    fund.save()
    with in_swedish():  # the chart of accounts is the region's, in Swedish
        name = _("Avräkning med Region Värmland")
    settlement = Account(fund=fund, code="1680", name=name, kind=Account.Kind.SETTLEMENT)
    settlement._history_user = user
    settlement.save()
    for number, (part_name, origin) in enumerate(parts, start=1):
        part = CapitalPart(fund=fund, number=number, name=part_name, origin=origin)
        part.full_clean()
        part._history_user = user
        part.save()
        for kind, code, label in (
            (Account.Kind.AVAILABLE, f"209{number}", _("Tillgängligt kapital, del %(n)s")),
            (Account.Kind.RESERVED, f"219{number}", _("Reserverat för beviljade initiativ, del %(n)s")),
        ):
            account = Account(fund=fund, code=code, name=label % {"n": number}, kind=kind, capital_part=part)
            account._history_user = user
            account.save()
    year = FiscalYear(
        fund=fund,
        year=opened_on.year,
        starts_on=date(opened_on.year, 1, 1),
        ends_on=date(opened_on.year, 12, 31),
    )
    year._history_user = user
    year.save()
    return fund


@transaction.atomic
def capital_add(
    *,
    capital_part: CapitalPart,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Opening capital or capital added: debit settlement, credit available capital of the part."""
    _require(permissions.can_post(user, capital_part.fund))
    amount = _amount(amount)
    if original := _replay(idempotency_key):
        return original
    _lock_parts([capital_part])
    accounts = _accounts(capital_part.fund)
    return _post(
        fund=capital_part.fund,
        booking_date=booking_date,
        kind=Kind.CAPITAL,
        text=text,
        user=user,
        key=idempotency_key,
        lines=[
            _line(accounts[(Account.Kind.SETTLEMENT, None)], capital_part, Kind.CAPITAL, amount),
            _line(accounts[(Account.Kind.AVAILABLE, capital_part.pk)], capital_part, Kind.CAPITAL, -amount),
        ],
    )


@transaction.atomic
def capital_transfer(
    *,
    from_part: CapitalPart,
    to_part: CapitalPart,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Move available capital from one part to another of the same fund."""
    _require(permissions.can_post(user, from_part.fund))
    amount = _amount(amount)
    if from_part.pk == to_part.pk or from_part.fund_id != to_part.fund_id:
        raise ValidationError({"to_part": _("Välj en annan kapitaldel i samma fond.")})
    if original := _replay(idempotency_key):
        return original
    _lock_parts([from_part, to_part])
    _refuse_if_short(from_part, amount)
    accounts = _accounts(from_part.fund)
    return _post(
        fund=from_part.fund,
        booking_date=booking_date,
        kind=Kind.TRANSFER,
        text=text,
        user=user,
        key=idempotency_key,
        lines=[
            _line(accounts[(Account.Kind.AVAILABLE, from_part.pk)], from_part, Kind.TRANSFER, amount),
            _line(accounts[(Account.Kind.AVAILABLE, to_part.pk)], to_part, Kind.TRANSFER, -amount),
        ],
    )


# --- decisions and commitments --------------------------------------------------------------------


def consensus_position(initiative: Initiative) -> Position | None:
    """The initiative's latest consensus position of Värmlandsrådet, which a decision rests on."""
    return (
        Position.objects.consensus()
        .filter(initiative_id=initiative.pk)
        .select_related("meeting__body")
        .order_by("-taken_at", "-pk")
        .first()
    )


def position_day(position: Position) -> date:
    """The day of the position: that of its meeting (the time it was recorded may be later)."""
    return timezone.localdate(position.meeting.starts_at)


@transaction.atomic
def decision_record(
    *,
    fund: Fund,
    initiative: Initiative,
    maker_kind: str,
    maker_name: str,
    delegation_point: str,
    decided_on: date,
    reference: str,
    amount: Decimal,
    user: User,
    document=None,
    idempotency_key: uuid.UUID | None = None,
) -> Decision:
    """Region Värmland's formal decision: only for an initiative Värmlandsrådet supported by consensus.

    The decision rests on the initiative's latest consensus position: at most its supported amount, and
    not dated before its meeting.

    Moves the initiative from SUPPORTED to DECIDED through `initiative_transition`, the only writer of
    status.
    """
    _require(permissions.can_record_decision(user, initiative))
    amount = _amount(amount)
    if idempotency_key and (original := Decision.objects.filter(idempotency_key=idempotency_key).first()):
        return original
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if locked.status != Status.SUPPORTED:
        raise ValidationError(
            _(
                "Ett beslut kan bara registreras för ett initiativ som Värmlandsrådet "
                "har tillstyrkt i konsensus "
                "(status nu: %(status)s)."
            )
            % {"status": Status(locked.status).label},
            code="not_supported",
        )
    # Read under the initiative's lock: a new position needs a status change, which waits for this one.
    position = consensus_position(locked)
    if position is None:
        raise ValidationError(
            _(
                "Initiativet saknar ett ställningstagande i konsensus från Värmlandsrådet; "
                "beslutet måste vila på ett sådant."
            ),
            code="no_position",
        )
    # Both refusals at once, each next to its field.
    errors = {}
    if amount > position.supported_amount:
        errors["amount"] = _(
            "Beslutet kan inte överstiga det belopp Värmlandsrådet tillstyrkt: %(supported)s (%(meeting)s)."
        ) % {"supported": format_amount(position.supported_amount), "meeting": position.meeting}
    position_date = position_day(position)
    if decided_on < position_date:
        errors["decided_on"] = _(
            "Beslutet kan inte fattas före Värmlandsrådets ställningstagande den %(date)s."
        ) % {"date": position_date.isoformat()}
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        fund=fund,
        initiative=locked,
        position=position,
        maker_kind=maker_kind,
        maker_name=maker_name,
        delegation_point=delegation_point,
        decided_on=decided_on,
        reference=reference,
        amount=amount,
        recorded_by=user,
        idempotency_key=idempotency_key,
    )
    if document:
        decision.document = document
    decision.full_clean(exclude=["recorded_by"])
    decision._history_user = user
    decision._change_reason = "beslut enligt delegation"
    decision.save()
    initiative_transition(
        initiative=locked,
        to=Status.DECIDED,
        user=user,
        reason=f"Beslut {reference} ({decided_on.isoformat()})",
    )
    initiative.status = locked.status
    return decision


@dataclass(frozen=True)
class Share:
    """One part of a commitment: an amount from a capital part, planned for a year."""

    capital_part: CapitalPart
    amount: Decimal
    planned_year: int | None = None


def decision_committed(decision: Decision) -> Decimal:
    """Granted under the decision so far, net of reversed commitments."""
    total = VerificationLine.objects.filter(
        commitment__decision=decision, account__kind=Account.Kind.RESERVED, event=Kind.COMMITMENT
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or Decimal("0.00"))


@transaction.atomic
def commitment_create(
    *,
    decision: Decision | None,
    shares: list[Share],
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Commit a granted amount to the decision's initiative: debit available, credit reserved, per share."""
    if decision is None:
        raise ValidationError(
            {"decision": _("Pengar kan bara beviljas med stöd av Region Värmlands beslut.")},
            code="no_decision",
        )
    _require(permissions.can_post(user, decision.fund))
    if not shares:
        raise ValidationError({"amount": _("Ange minst ett belopp.")})
    shares = [Share(s.capital_part, _amount(s.amount), s.planned_year) for s in shares]
    if original := _replay(idempotency_key):
        return original
    # Lock order everywhere: decision, then capital parts by id.
    Decision.objects.select_for_update(no_key=True).filter(pk=decision.pk).values_list("id").get()
    parts = [s.capital_part for s in shares]
    _lock_parts(parts)
    total = sum((s.amount for s in shares), Decimal("0.00"))
    already = decision_committed(decision)
    if already + total > decision.amount:
        raise ValidationError(
            {
                "amount": _(
                    "Beslutet gäller %(amount)s; %(already)s är redan beviljat, "
                    "så högst %(left)s kan beviljas."
                )
                % {
                    "amount": format_amount(decision.amount),
                    "already": format_amount(already),
                    "left": format_amount(decision.amount - already),
                }
            },
            code="over_decision",
        )
    needed: dict[int, Decimal] = {}
    for share in shares:
        if share.capital_part.fund_id != decision.fund_id:
            raise ValidationError({"capital_part": _("Kapitaldelen hör till en annan fond.")})
        needed[share.capital_part.pk] = needed.get(share.capital_part.pk, Decimal("0.00")) + share.amount
    for part in {p.pk: p for p in parts}.values():
        _refuse_if_short(part, needed[part.pk])
    accounts = _accounts(decision.fund)
    lines = []
    first = None
    for share in shares:
        commitment = Commitment(
            fund=decision.fund,
            decision=decision,
            initiative=decision.initiative,
            capital_part=share.capital_part,
            amount=share.amount,
            planned_year=share.planned_year,
        )
        commitment.full_clean()
        commitment.save()
        first = first or commitment
        extra = {"initiative": decision.initiative, "commitment": commitment}
        part = share.capital_part
        lines += [
            _line(accounts[(Account.Kind.AVAILABLE, part.pk)], part, Kind.COMMITMENT, share.amount, **extra),
            _line(accounts[(Account.Kind.RESERVED, part.pk)], part, Kind.COMMITMENT, -share.amount, **extra),
        ]
    return _post(
        fund=decision.fund,
        booking_date=booking_date,
        kind=Kind.COMMITMENT,
        text=text,
        user=user,
        key=idempotency_key,
        decision=decision,
        commitment=first if len(shares) == 1 else None,
        lines=lines,
    )


def _against_commitment(
    *, commitment: Commitment, kind: str, amount: Decimal, booking_date: date, text: str, user: User, key
) -> Verification:
    _require(permissions.can_post(user, commitment.fund))
    if original := _replay(key):
        return original
    part = commitment.capital_part
    _lock_parts([part])
    figures = commitment_figures(commitment)
    if kind in (Kind.DISBURSEMENT, Kind.RELEASE) and amount > figures["remaining"]:
        message = (
            _("Det återstår bara %(left)s av åtagandet att betala ut.")
            if kind == Kind.DISBURSEMENT
            else _("Det återstår bara %(left)s av åtagandet att frigöra.")
        )
        raise ValidationError(
            {"amount": message % {"left": format_amount(figures["remaining"])}}, code="over_remaining"
        )
    if kind == Kind.REPAYMENT and amount > figures["disbursed"] - figures["repaid"]:
        raise ValidationError(
            {
                "amount": _("Högst %(left)s av det utbetalda kan betalas tillbaka.")
                % {"left": format_amount(figures["disbursed"] - figures["repaid"])}
            },
            code="over_disbursed",
        )
    accounts = _accounts(commitment.fund)
    settlement = accounts[(Account.Kind.SETTLEMENT, None)]
    reserved = accounts[(Account.Kind.RESERVED, part.pk)]
    avail = accounts[(Account.Kind.AVAILABLE, part.pk)]
    extra = {"initiative_id": commitment.initiative_id, "commitment": commitment}
    if kind == Kind.DISBURSEMENT:
        lines = [
            _line(reserved, part, kind, amount, **extra),
            _line(settlement, part, kind, -amount, **extra),
        ]
    elif kind == Kind.RELEASE:
        lines = [_line(reserved, part, kind, amount, **extra), _line(avail, part, kind, -amount, **extra)]
    else:
        lines = [_line(settlement, part, kind, amount, **extra), _line(avail, part, kind, -amount, **extra)]
    return _post(
        fund=commitment.fund,
        booking_date=booking_date,
        kind=kind,
        text=text,
        user=user,
        key=key,
        decision=commitment.decision,
        commitment=commitment,
        lines=lines,
    )


@transaction.atomic
def disbursement_record(
    *,
    commitment: Commitment,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Pay out against a commitment: debit reserved, credit the settlement account with the region."""
    return _against_commitment(
        commitment=commitment,
        kind=Kind.DISBURSEMENT,
        amount=_amount(amount),
        booking_date=booking_date,
        text=text,
        user=user,
        key=idempotency_key,
    )


@transaction.atomic
def commitment_release(
    *,
    commitment: Commitment,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Release an unused commitment back to available capital: debit reserved, credit available."""
    return _against_commitment(
        commitment=commitment,
        kind=Kind.RELEASE,
        amount=_amount(amount),
        booking_date=booking_date,
        text=text,
        user=user,
        key=idempotency_key,
    )


@transaction.atomic
def repayment_record(
    *,
    commitment: Commitment,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Disbursed money paid back: debit settlement, credit the available capital of the part it came from."""
    return _against_commitment(
        commitment=commitment,
        kind=Kind.REPAYMENT,
        amount=_amount(amount),
        booking_date=booking_date,
        text=text,
        user=user,
        key=idempotency_key,
    )


@transaction.atomic
def verification_reverse(
    *,
    verification: Verification,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """A correction: a new verification mirroring every line of the original (perhaps in a closed year)."""
    _require(permissions.can_post(user, verification.fund))
    if original := _replay(idempotency_key):
        return original
    if verification.kind == Kind.REVERSAL:
        raise ValidationError(
            _("En rättelse kan inte rättas i sin tur; bokför en ny verifikation i stället."),
            code="reverse_reversal",
        )
    lines = list(verification.lines.select_related("capital_part", "account").order_by("id"))
    _lock_parts([line.capital_part for line in lines])
    if Verification.objects.filter(reverses=verification).exists():
        raise ValidationError(
            _("Verifikationen %(label)s är redan rättad; en verifikation rättas bara en gång.")
            % {"label": str(verification)},
            code="already_reversed",
        )
    mirrored = [
        _line(
            line.account,
            line.capital_part,
            line.event,
            -line.amount,
            initiative_id=line.initiative_id,
            commitment_id=line.commitment_id,
        )
        for line in lines
    ]
    # Would the mirror take available capital or a commitment's remainder below zero? Say so in words.
    for line in mirrored:
        if line.account.kind == Account.Kind.AVAILABLE and line.amount > 0:
            _refuse_if_short(line.capital_part, line.amount, field=None)
        if line.account.kind == Account.Kind.RESERVED and line.amount > 0:
            remaining = commitment_figures(Commitment.objects.get(pk=line.commitment_id))["remaining"]
            if line.amount > remaining:
                raise ValidationError(
                    _("Åtagandet har redan betalats ut; rätta utbetalningarna först."), code="over_remaining"
                )
    return _post(
        fund=verification.fund,
        booking_date=booking_date,
        kind=Kind.REVERSAL,
        text=text,
        user=user,
        key=idempotency_key,
        decision=verification.decision,
        commitment=verification.commitment,
        reverses=verification,
        lines=mirrored,
    )


# --- the chart of accounts ------------------------------------------------------------------------


@transaction.atomic
def account_map(*, account: Account, region_account: str, region_object: str, user: User) -> Account:
    """Map an internal account to the region's own account number (and object) for the SIE export."""
    _require(permissions.can_map_accounts(user, account.fund))
    locked = Account.objects.select_for_update().get(pk=account.pk)
    locked.region_account = region_account.strip()
    locked.region_object = region_object.strip()
    locked.full_clean()
    locked._history_user = user
    locked._change_reason = "kontomappning"
    locked.save(update_fields=["region_account", "region_object"])
    return locked


# --- year close ------------------------------------------------------------------------------------


def _grouped_lines(year_ids) -> dict[tuple[int, int, str], Decimal]:
    rows = (
        VerificationLine.objects.filter(fiscal_year_id__in=year_ids)
        .values("account_id", "capital_part_id", "event")
        .annotate(total=Sum("amount"))
    )
    return {(r["account_id"], r["capital_part_id"], r["event"]): r["total"] for r in rows}


def fiscal_year_checks(fiscal_year: FiscalYear) -> list[str]:
    """What stands in the way of closing the year (empty: it can be closed). Three or four queries."""
    problems = []
    zero = Decimal("0.00")
    years = list(
        FiscalYear.objects.filter(fund_id=fiscal_year.fund_id, year__lte=fiscal_year.year).order_by("year")
    )
    for year in years:
        if year.year < fiscal_year.year and year.is_open:
            problems.append(
                _("Verksamhetsåret %(year)s är inte stängt; år stängs i tur och ordning.")
                % {"year": year.year}
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.series, v.number FROM accounting_verification v"
            " LEFT JOIN accounting_verificationline l ON l.verification_id = v.id"
            " WHERE v.fiscal_year_id = %s GROUP BY v.id"
            " HAVING count(l.id) < 2 OR coalesce(sum(l.amount), 0) <> 0",
            [fiscal_year.pk],
        )
        for series, number in cursor.fetchall():
            problems.append(_("Verifikation %(label)s balanserar inte.") % {"label": f"{series}{number}"})
    # One pass over the journal up to the year's end gives every figure the checks need.
    rows = (
        VerificationLine.objects.filter(fiscal_year_id__in=[y.pk for y in years])
        .values("fiscal_year_id", "account_id", "account__kind", "capital_part_id", "event", "commitment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    before: dict[tuple[int, int, str], Decimal] = {}
    per_available: dict[int, Decimal] = {}
    per_commitment: dict[int, Decimal] = {}
    for r in rows:
        if r["fiscal_year_id"] != fiscal_year.pk:
            key = (r["account_id"], r["capital_part_id"], r["event"])
            before[key] = before.get(key, zero) + r["total"]
        if r["account__kind"] == Account.Kind.AVAILABLE:
            per_available[r["account_id"]] = per_available.get(r["account_id"], zero) + r["total"]
        if r["account__kind"] == Account.Kind.RESERVED:
            per_commitment[r["commitment_id"]] = per_commitment.get(r["commitment_id"], zero) + r["total"]
    # Opening = previous closing: the snapshot of the year before must equal the journal up to it.
    previous = next((y for y in years if y.year == fiscal_year.year - 1), None)
    if previous and not previous.is_open:
        snapshot = {
            (b.account_id, b.capital_part_id, b.event): b.closing
            for b in YearBalance.objects.filter(fiscal_year=previous)
        }
        if any(snapshot.get(k, zero) != before.get(k, zero) for k in set(snapshot) | set(before)):
            problems.append(_("Ingående balans stämmer inte med föregående års utgående balans."))
    # Nothing negative at the year's end (available capital is a credit balance: negative sums are positive).
    for account_id, total in sorted(per_available.items()):
        if total > 0:
            problems.append(
                _("Tillgängligt kapital på konto %(account)s är negativt.") % {"account": account_id}
            )
    for commitment_id, total in sorted(per_commitment.items()):
        if total > 0:
            problems.append(_("Åtagande %(id)s har negativt återstående belopp.") % {"id": commitment_id})
    return problems


@transaction.atomic
def fiscal_year_close(*, fiscal_year: FiscalYear, user: User) -> FiscalYear:
    """Check the year, write its snapshot, lock it and open the next one. A closed year is never reopened."""
    _require(permissions.can_close_year(user, fiscal_year))
    # FOR UPDATE waits for postings in flight (they hold the year FOR SHARE) and keeps new ones out.
    year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if not year.is_open:
        raise ValidationError(
            _("Verksamhetsåret %(year)s är redan stängt.") % {"year": year.year}, code="closed"
        )
    problems = fiscal_year_checks(year)
    if problems:
        raise ValidationError(problems, code="checks_failed")
    previous = FiscalYear.objects.filter(fund_id=year.fund_id, year=year.year - 1).first()
    opening = (
        {
            (b.account_id, b.capital_part_id, b.event): b.closing
            for b in YearBalance.objects.filter(fiscal_year=previous)
        }
        if previous
        else {}
    )
    movement = _grouped_lines([year.pk])
    zero = Decimal("0.00")
    YearBalance.objects.bulk_create(
        YearBalance(
            fiscal_year=year,
            account_id=account_id,
            capital_part_id=part_id,
            event=event,
            opening=opening.get((account_id, part_id, event), zero),
            movement=movement.get((account_id, part_id, event), zero),
            closing=opening.get((account_id, part_id, event), zero)
            + movement.get((account_id, part_id, event), zero),
        )
        for (account_id, part_id, event) in sorted(set(opening) | set(movement))
    )
    year.status = FiscalYear.Status.CLOSED
    year.closed_at = timezone.now()
    year.closed_by = user
    year._history_user = user
    year._change_reason = "årsbokslut"
    year.save()
    fiscal_year_open(fund=year.fund, year=year.year + 1, user=user)
    fiscal_year.status, fiscal_year.closed_at = year.status, year.closed_at
    return year


@transaction.atomic
def fiscal_year_open(*, fund: Fund, year: int, user: User | None) -> FiscalYear:
    existing = FiscalYear.objects.filter(fund=fund, year=year).first()
    if existing:
        return existing
    fiscal_year = FiscalYear(fund=fund, year=year, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
    fiscal_year.full_clean()
    fiscal_year._history_user = user
    fiscal_year.save()
    return fiscal_year


__all__ = [
    "EVENTS",
    "Share",
    "account_map",
    "capital_add",
    "capital_transfer",
    "commitment_create",
    "commitment_release",
    "decision_record",
    "disbursement_record",
    "fiscal_year_close",
    "fiscal_year_open",
    "fund_create",
    "repayment_record",
    "verification_reverse",
]
