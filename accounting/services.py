"""Every write to the fund ledger: one function per money event, each posting one balanced verification.

Each posting service, in one transaction:
1. checks who acts (permissions) and the amount (more than two decimals is refused: numeric would round);
2. claims the form's one-time key (`core.services.idempotency_key_claim`): a repeat of the same request,
   concurrent or not, returns the original verification and posts nothing; the key with other content is
   refused;
3. locks the affected capital parts `FOR NO KEY UPDATE` in id order (so concurrent postings on a part
   queue up and never deadlock with the deferred check), then checks availability / remaining;
4. takes the next number of the year's series from its counter row (same transaction: gapless);
5. inserts the verification and its lines, and runs the database's deferred checks at once
   (`SET CONSTRAINTS … IMMEDIATE`), so a broken invariant surfaces here rather than at a later COMMIT.
Nothing is ever edited: a correction is a reversal (`verification_reverse`) and, if needed, a new entry.

Every single amount is at most the fund's `amount_limit` (a sanity limit against typing slips). A
posting that cannot get its locks before the database's `lock_timeout` (or is cancelled by
`statement_timeout`) fails closed: it writes nothing and says "try again" (`_fails_closed`).
"""

import functools
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting import permissions
from accounting.bank import Payment
from accounting.models import (
    EVENTS,
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
from core import uploads
from core.language import in_swedish
from core.money import ORE, format_amount
from core.services import idempotency_key_claim
from council.models import Position
from council.selectors import agreement_status
from initiatives.changes import change_request_apply_period, change_request_transition
from initiatives.models import ChangeKind, ChangeRequest, ChangeStatus, Initiative, Status
from initiatives.services import initiative_transition
from people.models import User

SERIES = "A"


# --- helpers ---------------------------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Du har inte behörighet att bokföra i fonden."))


def checked_amount(value, field: str = "amount") -> Decimal:
    """A positive amount of kronor with at most two decimals, refused rather than rounded."""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if value <= 0:
        raise ValidationError({field: _("Beloppet måste vara större än noll.")}, code="not_positive")
    if value != value.quantize(ORE):
        raise ValidationError(
            {field: _("Ett belopp kan ha högst två decimaler (öre).")}, code="max_decimal_places"
        )
    return value.quantize(ORE)


_amount = checked_amount


def _within_limit(fund: Fund, amount: Decimal, field: str | None = "amount") -> None:
    """Refuse a single amount above the fund's sanity limit (a slip such as three zeros too many)."""
    if amount > fund.amount_limit:
        message = _(
            "Beloppet %(amount)s är större än fondens beloppsgräns %(limit)s och är troligen felskrivet. "
            "Är beloppet rätt kan ekonomi eller en administratör höja gränsen på fondens sida."
        ) % {"amount": format_amount(amount), "limit": format_amount(fund.amount_limit)}
        error = ValidationError(message, code="over_amount_limit")
        raise ValidationError({field: error}) if field else error


def _replay(
    key: uuid.UUID | None, *, action: str, content: dict, user: User, model=Verification
) -> Verification | Decision | None:
    """The outcome already recorded for this very request (a double click or a resent form), if any.

    Claims the key first: a concurrent repeat waits for the first request and then gets its outcome; the
    key with other content is refused (see `core.services.idempotency_key_claim`)."""
    if idempotency_key_claim(key=key, action=f"accounting.{action}", content=content, user=user):
        return None
    return model.objects.get(idempotency_key=key)


# A lock wait cut short by the database (lock_timeout) or a statement cancelled (statement_timeout).
_BUSY_SQLSTATES = {"55P03", "57014"}


def _fails_closed(service):
    """A posting that could not get its locks in time rolls back and says "try again", instead of an
    error page: nothing of it is written (the transaction is rolled back before the message)."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) not in _BUSY_SQLSTATES:
                raise
            raise ValidationError(
                _(
                    "Fonden är upptagen av en annan bokföring just nu, så ingenting har bokförts. "
                    "Försök igen om en stund."
                ),
                code="busy",
            ) from error

    return wrapper


def _money_may_go_to(initiative_id: int) -> None:
    """New money (a commitment, a disbursement) only to an initiative Region Värmland has decided on and
    that is still running: not to one completed, withdrawn or refused. Releases and repayments stay
    possible. The row is read FOR SHARE, so the initiative cannot change status until this commits."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT status FROM initiatives_initiative WHERE id = %s FOR SHARE", [initiative_id])
        status = cursor.fetchone()[0]
    if status != Status.DECIDED:
        raise ValidationError(
            _("Initiativet har status ”%(status)s”: inga nya pengar kan beviljas eller betalas ut till det.")
            % {"status": Status(status).label},
            code="initiative_not_running",
        )


def _agreement_in_force(on: date, field: str | None = None) -> None:
    """New decisions and commitments only while the agreement is in force (its clause on validity): all
    17 parties have adopted it, use has started, and it has not ended — neither on the day the entry is
    dated nor today (an entry dated back cannot slip in after the end)."""
    today = timezone.localdate()
    for day in sorted({on, today}):
        status = agreement_status(today=day)
        if status.in_force:
            continue
        if status.ended:
            message = _(
                "Avtalet om de gemensamma resurserna upphörde %(date)s (%(reason)s): inga nya beslut eller "
                "åtaganden kan registreras."
            ) % {
                "date": status.agreement.ended_on.isoformat(),
                "reason": status.agreement.get_end_reason_display(),
            }
        elif status.in_force_from:
            message = _(
                "Avtalet om de gemensamma resurserna gäller först från %(date)s: inga beslut eller åtaganden "
                "kan registreras dessförinnan."
            ) % {"date": status.in_force_from.isoformat()}
        else:
            message = _(
                "Avtalet om de gemensamma resurserna är inte i kraft: %(adopted)s av 17 parter har antagit "
                "det i fullmäktige. Inga beslut eller åtaganden kan registreras förrän alla har gjort det."
            ) % {"adopted": status.adopted_count}
        raise ValidationError({field: message} if field else message, code="agreement_not_in_force")


def _not_before_decision(decision: Decision, booking_date: date, kind: str) -> None:
    """Money follows the decision: nothing is committed, paid, released or repaid before it was taken."""
    if booking_date < decision.decided_on:
        raise ValidationError(
            {
                "booking_date": _("%(kind)s kan inte bokföras före beslutet %(reference)s den %(date)s.")
                % {
                    "kind": Kind(kind).label,
                    "reference": decision.reference,
                    "date": decision.decided_on.isoformat(),
                }
            },
            code="before_decision",
        )


def planned_years(decision: Decision) -> range:
    """The years a commitment may plan its payment for: from the decision's year to the initiative's end.
    An initiative without an end date (only records brought in from before DGR; a submitted one has its
    period) gets the decision's year and the five after it, as the form offered before."""
    first = decision.decided_on.year
    end = decision.initiative.end_date
    last = max(end.year, first) if end else first + 5
    return range(first, last + 1)


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
    recovery_claim: RecoveryClaim | None = None,
    payment: Payment | None = None,
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
        recovery_claim=recovery_claim,
        idempotency_key=key,
    )
    if payment is not None:
        verification.payee = payment.payee
        verification.bank_account_kind = payment.account_kind
        verification.bank_account_number = payment.account_number
        verification.payment_reference = payment.reference
    verification.full_clean(
        exclude=["number", "fund", "fiscal_year", "author", "reverses", "recovery_claim", "idempotency_key"]
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
    organisation: str = "Region Värmland",
) -> Fund:
    """A fund with its capital parts, chart of accounts and first (open) fiscal year."""
    fund = Fund(slug=slug, name=name, opened_on=opened_on, description=description, organisation=organisation)
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


# Words a fund's short name cannot be: they are pages under /ekonomi/fond/ (the fund's URLs use the short
# name), so a fund called "ny" would be unreachable.
RESERVED_SLUGS = frozenset({"ny"})


@dataclass(frozen=True)
class FoundingPart:
    """A capital part as the fund opens: its name, origin, place in the order and the capital it brings."""

    name: str
    origin: str
    order: int
    capital: Decimal


def _founding_part_errors(parts: list[FoundingPart]) -> dict[str, list[str]]:
    """Every problem with the parts at once, keyed `parts` or `parts.<index>.<field>` (index as given)."""
    errors: dict[str, list[str]] = {}
    if not parts:
        errors["parts"] = [_("Ange minst en kapitaldel och det kapital den för in.")]
    seen_orders: dict[int, int] = {}
    seen_names: dict[str, int] = {}
    for index, part in enumerate(parts):
        where = f"parts.{index}"
        if not part.name.strip():
            errors[f"{where}.name"] = [_("Ange kapitaldelens namn.")]
        elif part.name.strip().casefold() in seen_names:
            errors[f"{where}.name"] = [_("Två kapitaldelar kan inte ha samma namn.")]
        else:
            seen_names[part.name.strip().casefold()] = index
        if len(part.name.strip()) > 200:
            errors[f"{where}.name"] = [_("Namnet kan vara högst 200 tecken.")]
        if part.order < 1:
            errors[f"{where}.order"] = [_("Ordningen är ett heltal från 1.")]
        elif part.order in seen_orders:
            errors[f"{where}.order"] = [_("Två kapitaldelar kan inte ha samma ordning.")]
        else:
            seen_orders[part.order] = index
        try:
            _amount(part.capital, "capital")
        except ValidationError as error:
            errors[f"{where}.capital"] = error.message_dict["capital"]
    return errors


@transaction.atomic
def fund_open(
    *,
    name: str,
    slug: str,
    organisation: str,
    opened_on: date,
    description: str,
    parts: list[FoundingPart],
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> Fund:
    """Open a fund: the fund, its capital parts (numbered in the given order), chart of accounts and first
    fiscal year (`fund_create`), and the founding capital each part brings, one verification per part
    booked on the opening date. That capital is the fund's *ingående kapital*: the reports show it as the
    first year's opening, not as a change (`accounting.selectors.founding_capital`).

    All or nothing: every problem is reported at once (keyed by field, the parts as `parts.<i>.<field>`)
    and nothing is created. With an idempotency key already used it returns the fund opened then.
    """
    _require(permissions.can_open_fund(user))
    content = {
        "name": name,
        "slug": slug,
        "organisation": organisation,
        "opened_on": opened_on,
        "description": description,
        "parts": [(p.name, p.origin, p.order, str(p.capital)) for p in parts],
    }
    if original := _replay(idempotency_key, action="fund_open", content=content, user=user):
        return original.fund
    slug, name = slug.strip().lower(), name.strip()
    errors = _founding_part_errors(parts)
    candidate = Fund(
        slug=slug,
        name=name,
        opened_on=opened_on,
        description=description.strip(),
        organisation=organisation.strip(),
    )
    # The founding capital too stays under the new fund's sanity limit (a slip of three zeros).
    for index, part in enumerate(parts):
        if f"parts.{index}.capital" not in errors:
            try:
                _within_limit(candidate, _amount(part.capital), field=None)
            except ValidationError as error:
                errors[f"parts.{index}.capital"] = error.messages
    try:
        candidate.full_clean(validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(_("Kortnamnet ”%(slug)s” är reserverat.") % {"slug": slug})
    if slug and Fund.objects.filter(slug=slug).exists():
        errors.setdefault("slug", []).append(_("Kortnamnet används redan av en annan fond."))
    if name and Fund.objects.filter(name__iexact=name).exists():
        errors.setdefault("name", []).append(_("Det finns redan en fond med det namnet."))
    if errors:
        raise ValidationError(errors)
    ordered = sorted(parts, key=lambda p: p.order)
    try:
        # A savepoint: two finance officers opening the same short name at once meet the unique index;
        # the second gets the message, not a broken transaction.
        with transaction.atomic():
            fund = fund_create(
                slug=slug,
                name=name,
                opened_on=opened_on,
                parts=[(p.name.strip(), p.origin.strip()) for p in ordered],
                user=user,
                description=candidate.description,
                organisation=candidate.organisation,
            )
    except IntegrityError:
        raise ValidationError({"slug": [_("Kortnamnet används redan av en annan fond.")]}) from None
    accounts = _accounts(fund)
    capital_parts = list(CapitalPart.objects.filter(fund=fund).order_by("number"))
    _lock_parts(capital_parts)
    for index, (capital_part, founding) in enumerate(zip(capital_parts, ordered, strict=True)):
        amount = _amount(founding.capital)
        with in_swedish():  # the journal is a record of the cooperation, in Swedish
            text = _("Ingående kapital, %(part)s") % {"part": capital_part.name}
        _post(
            fund=fund,
            booking_date=opened_on,
            kind=Kind.CAPITAL,
            text=text,
            user=user,
            # The first verification carries the form's key: a resent form finds it and its fund.
            key=idempotency_key if index == 0 else None,
            lines=[
                _line(accounts[(Account.Kind.SETTLEMENT, None)], capital_part, Kind.CAPITAL, amount),
                _line(
                    accounts[(Account.Kind.AVAILABLE, capital_part.pk)], capital_part, Kind.CAPITAL, -amount
                ),
            ],
        )
    return fund


@transaction.atomic
def fund_update(*, fund: Fund, name: str, organisation: str, description: str, user: User) -> Fund:
    """Change a fund's descriptive fields (with history). The short name stays: it is the fund's address
    in links, reports and archived PDFs; the opening date stays: the founding capital is booked on it."""
    _require(permissions.can_edit_fund(user, fund))
    locked = Fund.objects.select_for_update().get(pk=fund.pk)
    before = (locked.name, locked.organisation, locked.description)
    locked.name = name.strip()
    locked.organisation = organisation.strip()
    locked.description = description.strip()
    if (locked.name, locked.organisation, locked.description) == before:
        return locked  # nothing changed: no history row that says nothing
    errors: dict[str, list[str]] = {}
    try:
        locked.full_clean(validate_unique=False)
    except ValidationError as error:
        errors = dict(error.message_dict)
    if locked.name and Fund.objects.filter(name__iexact=locked.name).exclude(pk=locked.pk).exists():
        errors.setdefault("name", []).append(_("Det finns redan en fond med det namnet."))
    if errors:
        raise ValidationError(errors)
    locked._history_user = user
    locked._change_reason = "ändrade uppgifter om fonden"
    locked.save(update_fields=["name", "organisation", "description"])
    return locked


@transaction.atomic
def capital_part_update(*, capital_part: CapitalPart, name: str, origin: str, user: User) -> CapitalPart:
    """Change a capital part's name and origin (with history). Its number stays: the reports and the
    chart of accounts (209n, 219n) follow it."""
    _require(permissions.can_edit_fund(user, capital_part.fund))
    locked = CapitalPart.objects.select_for_update().get(pk=capital_part.pk)
    before = (locked.name, locked.origin)
    locked.name, locked.origin = name.strip(), origin.strip()
    if (locked.name, locked.origin) == before:
        return locked
    errors: dict[str, list[str]] = {}
    try:
        locked.full_clean(validate_unique=False)
    except ValidationError as error:
        errors = dict(error.message_dict)
    taken = CapitalPart.objects.filter(fund_id=locked.fund_id, name__iexact=locked.name).exclude(pk=locked.pk)
    if locked.name and taken.exists():
        errors.setdefault("name", []).append(_("Två kapitaldelar kan inte ha samma namn."))
    if errors:
        raise ValidationError(errors)
    locked._history_user = user
    locked._change_reason = "ändrade uppgifter om kapitaldelen"
    locked.save(update_fields=["name", "origin"])
    return locked


@transaction.atomic
def fund_amount_limit_set(*, fund: Fund, amount_limit: Decimal, user: User) -> Fund:
    """Change the fund's sanity limit on single amounts: finance or an administrator, with history."""
    if not permissions.can_set_amount_limit(user, fund):
        raise PermissionDenied(_("Du har inte behörighet att ändra fondens beloppsgräns."))
    amount_limit = _amount(amount_limit, field="amount_limit")
    locked = Fund.objects.select_for_update(no_key=True).get(pk=fund.pk)
    locked.amount_limit = amount_limit
    locked.full_clean()
    locked._history_user = user
    locked._change_reason = "beloppsgräns"
    locked.save(update_fields=["amount_limit"])
    fund.amount_limit = locked.amount_limit
    return locked


@_fails_closed
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
    _within_limit(capital_part.fund, amount)
    content = {"capital_part": capital_part, "amount": amount, "booking_date": booking_date, "text": text}
    if original := _replay(idempotency_key, action="capital_add", content=content, user=user):
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


@_fails_closed
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
    _within_limit(from_part.fund, amount)
    content = {
        "from_part": from_part,
        "to_part": to_part,
        "amount": amount,
        "booking_date": booking_date,
        "text": text,
    }
    if original := _replay(idempotency_key, action="capital_transfer", content=content, user=user):
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


def consensus_position(
    initiative: Initiative, change_request: ChangeRequest | None = None
) -> Position | None:
    """The initiative's latest consensus position of Värmlandsrådet, which a decision rests on; with a
    change request, the position on that request (a position on more money is never the initiative's)."""
    return (
        Position.objects.consensus()
        .filter(initiative_id=initiative.pk, change_request=change_request)
        .select_related("meeting__body")
        .order_by("-taken_at", "-pk")
        .first()
    )


def position_day(position: Position) -> date:
    """The day of the position: that of its meeting (the time it was recorded may be later)."""
    return timezone.localdate(position.meeting.starts_at)


def _delegation_errors(
    *, point: DelegationPoint | None, maker_kind: str, decided_on: date, amount: Decimal
) -> dict[str, str]:
    """Why the decision cannot be taken under this point of the delegation order, per field.

    The regional board decides itself (no point needed); a committee or a delegate decides only under a
    point valid on the day, of the same kind of decision-maker, and within its amount limit (the database
    refuses the last two as well)."""
    if point is None:
        if maker_kind == MakerKind.BOARD:
            return {}
        return {
            "delegation_point": _(
                "Välj den punkt i delegationsordningen som beslutet fattas enligt; "
                "bara regionstyrelsen beslutar utan delegation."
            )
        }
    errors = {}
    if not point.is_valid_on(decided_on):
        errors["delegation_point"] = _("Punkt %(code)s i delegationsordningen gäller inte den %(date)s.") % {
            "code": point.code,
            "date": decided_on.isoformat(),
        }
    elif point.maker_kind != maker_kind:
        errors["maker_kind"] = _("Punkt %(code)s delegerar beslutet till %(maker)s.") % {
            "code": point.code,
            "maker": MakerKind(point.maker_kind).label,
        }
    if point.amount_limit is not None and amount > point.amount_limit:
        errors["amount"] = _(
            "Beloppet överstiger beloppsgränsen %(limit)s i punkt %(code)s i delegationsordningen. "
            "Ett större belopp beslutas enligt en annan punkt eller av regionstyrelsen."
        ) % {"limit": format_amount(point.amount_limit), "code": point.code}
    return errors


def _decision_save(decision: Decision, *, checked, document, user: User, reason: str) -> None:
    """Store a new formal decision with its document (already checked by `uploads`), validated and with
    its history row: the one way both kinds of decision (on an initiative, on a change request) are saved."""
    if checked is not None:
        decision.document_name = checked.display_name
        decision.document_type = checked.content_type
        decision.document.save(uploads.stored_name(checked.extension), document, save=False)
    decision.full_clean(exclude=["recorded_by"])
    decision._history_user = user
    decision._change_reason = reason
    decision.save()


@_fails_closed
@transaction.atomic
def decision_record(
    *,
    fund: Fund,
    initiative: Initiative,
    maker_kind: str,
    maker_name: str,
    delegation_point: DelegationPoint | None,
    decided_on: date,
    reference: str,
    amount: Decimal | None,
    user: User,
    outcome: str = DecisionOutcome.GRANTED,
    document=None,
    idempotency_key: uuid.UUID | None = None,
    change_request: ChangeRequest | None = None,
) -> Decision:
    """Region Värmland's formal decision: only for an initiative Värmlandsrådet supported by consensus.

    With `change_request` (more money asked for after the first decision): the decision on that request,
    resting on Värmlandsrådet's consensus position on it, amending the initiative's first decision; the
    initiative stays decided, the request is approved or rejected, and finance commits the additional
    amount under this decision as under any other.

    The decision rests on the initiative's latest consensus position: a positive one grants at most its
    supported amount, and neither is dated before its meeting. It is taken under a point of the delegation
    order (unless the regional board takes it itself), within the point's dates and amount limit.

    Positive: the initiative moves SUPPORTED → DECIDED and money can be committed. Negative (avslag): the
    amount is zero, nothing is booked and the initiative moves to NOT_SUPPORTED. Both through
    `initiative_transition`, the only writer of status.
    """
    _require(permissions.can_record_decision(user, initiative))
    if outcome not in DecisionOutcome.values:
        raise ValidationError({"outcome": _("Välj om initiativet beviljas eller avslås.")}, code="invalid")
    rejected = outcome == DecisionOutcome.REJECTED
    if rejected:
        amount = Decimal("0.00")
    else:
        if amount is None:
            raise ValidationError({"amount": _("Ange det beviljade beloppet.")}, code="required")
        amount = _amount(amount)
        _within_limit(fund, amount)
    content = {
        "fund": fund,
        "initiative": initiative,
        "outcome": outcome,
        "maker_kind": maker_kind,
        "maker_name": maker_name,
        "delegation_point": delegation_point,
        "decided_on": decided_on,
        "reference": reference,
        "amount": amount,
        "document": document,
    }
    if change_request is not None:
        content["change_request"] = change_request
    replayed = _replay(idempotency_key, action="decision_record", content=content, user=user, model=Decision)
    if replayed:
        return replayed
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    amends = None
    if change_request is not None:
        change_request, amends = _change_to_decide(change_request, locked, funding=True)
    elif locked.status != Status.SUPPORTED:
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
    position = consensus_position(locked, change_request)
    if position is None:
        raise ValidationError(
            _(
                "Initiativet saknar ett ställningstagande i konsensus från Värmlandsrådet; "
                "beslutet måste vila på ett sådant."
            ),
            code="no_position",
        )
    _agreement_in_force(decided_on)
    if delegation_point is not None:
        # The version as stored (never changed, a trigger sees to it), read in this transaction.
        delegation_point = DelegationPoint.objects.get(pk=delegation_point.pk)
    # All refusals at once, each next to its field.
    errors = _delegation_errors(
        point=delegation_point, maker_kind=maker_kind, decided_on=decided_on, amount=amount
    )
    if amount > position.supported_amount:
        errors["amount"] = _(
            "Beslutet kan inte överstiga det belopp Värmlandsrådet tillstyrkt: %(supported)s (%(meeting)s)."
        ) % {"supported": format_amount(position.supported_amount), "meeting": position.meeting}
    position_date = position_day(position)
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("Ett beslut kan inte dateras i framtiden (i dag är det %(today)s).") % {
            "today": timezone.localdate().isoformat()
        }
    elif decided_on < position_date:
        errors["decided_on"] = _(
            "Beslutet kan inte fattas före Värmlandsrådets ställningstagande den %(date)s."
        ) % {"date": position_date.isoformat()}
    checked = None
    if document:
        try:
            checked = uploads.check_upload(document, allowed=uploads.DECISION_DOCUMENTS)
        except ValidationError as error:
            errors["document"] = error.messages
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        fund=fund,
        initiative=locked,
        position=position,
        change_request=change_request,
        amends=amends,
        outcome=outcome,
        maker_kind=maker_kind,
        maker_name=maker_name,
        delegation_point=delegation_point,
        decided_on=decided_on,
        reference=reference,
        amount=amount,
        recorded_by=user,
        idempotency_key=idempotency_key,
    )
    _decision_save(
        decision,
        checked=checked,
        document=document,
        user=user,
        reason="avslag enligt delegation" if rejected else "beslut enligt delegation",
    )
    if change_request is not None:
        change_request_transition(
            change_request=change_request,
            to=ChangeStatus.REJECTED if rejected else ChangeStatus.APPROVED,
            user=user,
            reason=f"{'Avslag' if rejected else 'Beslut'} {reference} ({decided_on.isoformat()})",
        )
        return decision
    initiative_transition(
        initiative=locked,
        to=Status.NOT_SUPPORTED if rejected else Status.DECIDED,
        user=user,
        reason=f"{'Avslag' if rejected else 'Beslut'} {reference} ({decided_on.isoformat()})",
    )
    initiative.status = locked.status
    return decision


# --- change requests after the decision (ändringsbegäran) ------------------------------------------


def first_decision(initiative: Initiative) -> Decision | None:
    """The initiative's first granted decision: the one every change decision amends."""
    return (
        Decision.objects.filter(
            initiative_id=initiative.pk, outcome=DecisionOutcome.GRANTED, change_request__isnull=True
        )
        .order_by("decided_on", "pk")
        .first()
    )


def _change_to_decide(
    change_request: ChangeRequest, initiative: Initiative, *, funding: bool
) -> tuple[ChangeRequest, Decision]:
    """The change request, locked after its initiative, if Region Värmland may decide on it now, and the
    decision it amends. More money needs Värmlandsrådet's support first; the other changes are decided on
    as handed in."""
    change = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if change.initiative_id != initiative.pk:
        raise ValidationError(_("Ändringsbegäran gäller ett annat initiativ."), code="other_initiative")
    if change.needs_council != funding:
        raise ValidationError(
            _("En begäran om utökad finansiering beslutas först efter Värmlandsrådets ställningstagande.")
            if change.needs_council
            else _("Den här ändringen beslutar Region Värmland utan nytt ställningstagande."),
            code="wrong_path",
        )
    expected = ChangeStatus.SUPPORTED if funding else ChangeStatus.SUBMITTED
    if change.status != expected:
        raise ValidationError(
            _(
                "Ändringsbegäran har status ”%(status)s”: Region Värmland beslutar när den har "
                "status ”%(expected)s”."
            )
            % {"status": ChangeStatus(change.status).label, "expected": ChangeStatus(expected).label},
            code="wrong_change_status",
        )
    if initiative.status != Status.DECIDED:
        raise ValidationError(
            _("Initiativet har status ”%(status)s”: det kan inte ändras längre.")
            % {"status": Status(initiative.status).label},
            code="initiative_not_running",
        )
    first = first_decision(initiative)
    if first is None:
        raise ValidationError(_("Initiativet saknar ett beviljande beslut att ändra."), code="no_decision")
    return change, first


def change_commitments(change: ChangeRequest) -> list[tuple[Commitment, Decimal]]:
    """The initiative's commitments with money left to pay out, and how much each has left (one query for
    the figures): what a move between years or a reduced scope draws on."""
    commitments = list(
        Commitment.objects.filter(initiative_id=change.initiative_id)
        .select_related("capital_part", "decision")
        .order_by("id")
    )
    remaining = {
        row["commitment_id"]: -row["total"]
        for row in VerificationLine.objects.filter(
            commitment__in=commitments, account__kind=Account.Kind.RESERVED
        )
        .values("commitment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    return [(c, remaining.get(c.pk, Decimal("0.00"))) for c in commitments if remaining.get(c.pk)]


def _draw(rows: list[tuple[Commitment, Decimal]], amount: Decimal) -> list[tuple[Commitment, Decimal]]:
    """Take `amount` from the rows in their order; the caller has checked that they hold enough."""
    taken = []
    for commitment, left in rows:
        if amount <= 0:
            break
        part = min(left, amount)
        taken.append((commitment, part))
        amount -= part
    return taken


def _planned_year_allowed(year: int, decision: Decision, *, field: str) -> None:
    """The one rule for a planned disbursement year: from the decision's year to the initiative's end."""
    years = planned_years(decision)
    if year not in years:
        raise ValidationError(
            {
                field: _(
                    "Planerat utbetalningsår måste ligga mellan beslutets år %(first)s och "
                    "initiativets slut %(last)s."
                )
                % {"first": years[0], "last": years[-1]}
            },
            code="planned_year_outside",
        )


def _replan(*, change: ChangeRequest, decision: Decision, booking_date: date, user: User) -> Verification:
    """Money moved between years: the remaining reservation planned for one year is planned for another.
    Commitments are never edited, so the amount leaves the old commitments and a new commitment per
    capital part takes it, under the same decision, planned for the new year — one verification on the
    reserved accounts that nets to zero (nothing becomes available, nothing is granted anew)."""
    _planned_year_allowed(change.to_year, decision.amends, field="to_year")
    rows = [(c, left) for c, left in change_commitments(change) if c.planned_year == change.from_year]
    _lock_parts([c.capital_part for c, _left in rows])
    rows = [(c, left) for c, left in change_commitments(change) if c.planned_year == change.from_year]
    planned = sum((left for _c, left in rows), Decimal("0.00"))
    if change.amount > planned:
        raise ValidationError(
            {
                "amount": _("Bara %(left)s återstår att betala ut av det som är planerat för %(year)s.")
                % {"left": format_amount(planned), "year": change.from_year}
            },
            code="over_planned",
        )
    accounts = _accounts(decision.fund)
    lines = []
    by_target: dict[tuple[int, int], Decimal] = {}
    for commitment, part_amount in _draw(rows, change.amount):
        part = commitment.capital_part
        extra = {"initiative_id": change.initiative_id, "commitment": commitment}
        lines.append(
            _line(accounts[(Account.Kind.RESERVED, part.pk)], part, Kind.COMMITMENT, part_amount, **extra)
        )
        key = (commitment.decision_id, part.pk)
        by_target[key] = by_target.get(key, Decimal("0.00")) + part_amount
    parts = {c.capital_part.pk: c.capital_part for c, _left in rows}
    for (decision_id, part_id), part_amount in by_target.items():
        part = parts[part_id]
        target = Commitment(
            fund=decision.fund,
            decision_id=decision_id,
            initiative_id=change.initiative_id,
            capital_part=part,
            amount=part_amount,
            planned_year=change.to_year,
        )
        target.full_clean()
        target.save()
        extra = {"initiative_id": change.initiative_id, "commitment": target}
        lines.append(
            _line(accounts[(Account.Kind.RESERVED, part.pk)], part, Kind.COMMITMENT, -part_amount, **extra)
        )
    with in_swedish():
        text = _("Omplanering %(from)s → %(to)s enligt beslut %(reference)s") % {
            "from": change.from_year,
            "to": change.to_year,
            "reference": decision.reference,
        }
    return _post(
        fund=decision.fund,
        booking_date=booking_date,
        kind=Kind.COMMITMENT,
        text=text,
        user=user,
        key=None,
        decision=decision,
        lines=lines,
    )


def _reduce(*, change: ChangeRequest, decision: Decision, booking_date: date, user: User) -> Verification:
    """A reduced scope: the reduced amount is released from the reservation back to available capital,
    latest planned year first. What is already paid out cannot be reduced away (that is a recovery)."""
    rows = change_commitments(change)
    _lock_parts([c.capital_part for c, _left in rows])
    rows = sorted(change_commitments(change), key=lambda r: (-(r[0].planned_year or 0), -r[0].pk))
    left = sum((amount for _c, amount in rows), Decimal("0.00"))
    if change.amount > left:
        raise ValidationError(
            {
                "amount": _(
                    "Bara %(left)s av det beviljade återstår att betala ut; "
                    "det som redan är utbetalt kan inte minskas bort."
                )
                % {"left": format_amount(left)}
            },
            code="below_disbursed",
        )
    accounts = _accounts(decision.fund)
    lines = []
    for commitment, part_amount in _draw(rows, change.amount):
        part = commitment.capital_part
        extra = {"initiative_id": change.initiative_id, "commitment": commitment}
        lines += [
            _line(accounts[(Account.Kind.RESERVED, part.pk)], part, Kind.RELEASE, part_amount, **extra),
            _line(accounts[(Account.Kind.AVAILABLE, part.pk)], part, Kind.RELEASE, -part_amount, **extra),
        ]
    with in_swedish():
        text = _("Minskad omfattning enligt beslut %(reference)s") % {"reference": decision.reference}
    return _post(
        fund=decision.fund,
        booking_date=booking_date,
        kind=Kind.RELEASE,
        text=text,
        user=user,
        key=None,
        decision=decision,
        commitment=lines[0].commitment if len(lines) == 2 else None,
        lines=lines,
    )


@_fails_closed
@transaction.atomic
def change_decision_record(
    *,
    change_request: ChangeRequest,
    maker_kind: str,
    maker_name: str,
    delegation_point: DelegationPoint | None,
    decided_on: date,
    reference: str,
    approved: bool,
    user: User,
    booking_date: date | None = None,
    document=None,
    idempotency_key: uuid.UUID | None = None,
) -> Decision:
    """Region Värmland's decision on a change within the frame already granted — a longer period, money
    moved between years, a reduced scope — as a decision of its own that amends the first one, and, when
    approved, the change applied in the same transaction: the initiative's end date moves; the reservation
    is planned for the other year; the reduced amount is released (booked on `booking_date`, by default the
    day of the decision). A refusal (avslag) changes nothing but the request's status.

    More money goes through Värmlandsrådet first and is decided with `decision_record(change_request=…)`.
    """
    initiative = change_request.initiative
    _require(permissions.can_record_decision(user, initiative))
    booking_date = booking_date or decided_on
    content = {
        "change_request": change_request,
        "maker_kind": maker_kind,
        "maker_name": maker_name,
        "delegation_point": delegation_point,
        "decided_on": decided_on,
        "reference": reference,
        "approved": approved,
        "booking_date": booking_date,
        "document": document,
    }
    replayed = _replay(
        idempotency_key, action="change_decision_record", content=content, user=user, model=Decision
    )
    if replayed:
        return replayed
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    change, amends = _change_to_decide(change_request, locked, funding=False)
    _agreement_in_force(decided_on)
    if delegation_point is not None:
        delegation_point = DelegationPoint.objects.get(pk=delegation_point.pk)
    errors = _delegation_errors(
        point=delegation_point, maker_kind=maker_kind, decided_on=decided_on, amount=Decimal("0.00")
    )
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("Ett beslut kan inte dateras i framtiden (i dag är det %(today)s).") % {
            "today": timezone.localdate().isoformat()
        }
    elif decided_on < amends.decided_on:
        errors["decided_on"] = _("Ändringen kan inte beslutas före beslutet den %(date)s som den ändrar.") % {
            "date": amends.decided_on.isoformat()
        }
    if approved and change.kind != ChangeKind.EXTENDED_PERIOD and booking_date < decided_on:
        errors["booking_date"] = _("Ändringen kan inte bokföras före beslutet den %(date)s.") % {
            "date": decided_on.isoformat()
        }
    checked = None
    if document:
        try:
            checked = uploads.check_upload(document, allowed=uploads.DECISION_DOCUMENTS)
        except ValidationError as error:
            errors["document"] = error.messages
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        fund=amends.fund,
        initiative=locked,
        # A change within the frame rests on the position the first decision rests on.
        position=amends.position,
        change_request=change,
        amends=amends,
        outcome=DecisionOutcome.CHANGED if approved else DecisionOutcome.REJECTED,
        maker_kind=maker_kind,
        maker_name=maker_name,
        delegation_point=delegation_point,
        decided_on=decided_on,
        reference=reference,
        amount=Decimal("0.00"),
        recorded_by=user,
        idempotency_key=idempotency_key,
    )
    _decision_save(
        decision,
        checked=checked,
        document=document,
        user=user,
        reason="ändring enligt delegation" if approved else "ändring avslås enligt delegation",
    )
    change = change_request_transition(
        change_request=change,
        to=ChangeStatus.APPROVED if approved else ChangeStatus.REJECTED,
        user=user,
        reason=f"{'Beslut' if approved else 'Avslag'} {reference} ({decided_on.isoformat()})",
    )
    change_request.status = change.status
    if approved:
        if change.kind == ChangeKind.EXTENDED_PERIOD:
            change_request_apply_period(change_request=change, user=user)
        elif change.kind == ChangeKind.MOVE_BETWEEN_YEARS:
            _replan(change=change, decision=decision, booking_date=booking_date, user=user)
        else:
            _reduce(change=change, decision=decision, booking_date=booking_date, user=user)
    return decision


# --- the delegation register ----------------------------------------------------------------------


@transaction.atomic
def delegation_point_add(
    *,
    code: str,
    description: str,
    maker_kind: str,
    maker_name: str,
    amount_limit: Decimal | None,
    valid_from: date,
    user: User,
) -> DelegationPoint:
    """A point of the delegation order, or a new version of one: the version in force for the same code
    ends the day before (a point is never edited, so every decision keeps the terms it was taken under)."""
    if not permissions.can_manage_delegation(user):
        raise PermissionDenied(_("Bara ekonomi och administratörer för delegationsordningen."))
    code = code.strip()
    if amount_limit is not None:
        amount_limit = _amount(amount_limit, field="amount_limit")
    current = (
        DelegationPoint.objects.select_for_update()
        .filter(code=code, valid_to__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    ended = (
        DelegationPoint.objects.filter(code=code, valid_to__isnull=False).order_by("-valid_to").first()
        if current is None
        else None
    )
    if ended is not None and valid_from <= ended.valid_to:
        raise ValidationError(
            {
                "valid_from": _(
                    "Punkt %(code)s gällde till och med %(date)s: den nya versionen måste gälla från "
                    "en senare dag."
                )
                % {"code": code, "date": ended.valid_to.isoformat()}
            },
            code="version_overlaps",
        )
    if current is not None and valid_from <= current.valid_from:
        raise ValidationError(
            {
                "valid_from": _(
                    "Punkt %(code)s gäller redan från %(date)s: en ny version måste gälla från en senare dag."
                )
                % {"code": code, "date": current.valid_from.isoformat()}
            },
            code="version_not_later",
        )
    if current is not None:
        last_day = valid_from - timedelta(days=1)
        if current.decisions.filter(decided_on__gt=last_day).exists():
            raise ValidationError(
                {
                    "valid_from": _(
                        "Beslut har redan fattats enligt punkt %(code)s efter %(date)s; "
                        "den nya versionen kan gälla tidigast dagen efter det senaste beslutet."
                    )
                    % {"code": code, "date": last_day.isoformat()}
                },
                code="decisions_after",
            )
        current.valid_to = last_day
        current._history_user = user
        current._change_reason = "ersatt av en ny version"
        current.save(update_fields=["valid_to"])
    point = DelegationPoint(
        code=code,
        description=description.strip(),
        maker_kind=maker_kind,
        maker_name=maker_name.strip(),
        amount_limit=amount_limit,
        valid_from=valid_from,
        replaces=current,
        created_by=user,
    )
    point.full_clean()
    point._history_user = user
    point._change_reason = "ny version" if current else "ny punkt"
    point.save()
    return point


def delegation_point_for_record(
    *, code: str, decided_on: date, maker_kind: str, maker_name: str, user: User
) -> DelegationPoint | None:
    """The register's point for a decision taken before DGR, named by its code in the old records: the
    version valid that day, or, for a code the register does not know, a point made from it (no amount
    limit: none was recorded), as the migration did for the free-text points. A code whose versions in the
    register are valid on other days only is refused: that is a wrong code or a wrong date."""
    code = code.strip()
    if not code:
        return None
    versions = DelegationPoint.objects.filter(code=code)
    point = versions.valid_on(decided_on).order_by("-valid_from").first()
    if point is not None:
        return point
    if versions.exists():
        raise ValidationError(
            {
                "delegation_point": _("Punkt %(code)s i delegationsordningen gäller inte den %(date)s.")
                % {"code": code, "date": decided_on.isoformat()}
            },
            code="point_not_valid",
        )
    with in_swedish():
        description = _("Punkten kommer från tidigare beslut; beskrivning och beloppsgräns saknas.")
    point = DelegationPoint(
        code=code,
        description=description,
        maker_kind=maker_kind,
        maker_name=maker_name.strip(),
        valid_from=decided_on,
        created_by=user,
    )
    point.full_clean()
    point._history_user = user
    point._change_reason = "punkt ur tidigare beslut"
    point.save()
    return point


@transaction.atomic
def delegation_point_end(*, point: DelegationPoint, valid_to: date, user: User) -> DelegationPoint:
    """A point leaves the delegation order: it ends on `valid_to` (once; no decision after that day)."""
    if not permissions.can_manage_delegation(user):
        raise PermissionDenied(_("Bara ekonomi och administratörer för delegationsordningen."))
    point = DelegationPoint.objects.select_for_update().get(pk=point.pk)
    if point.valid_to is not None:
        raise ValidationError(_("Punkten har redan upphört."), code="ended")
    if valid_to < point.valid_from:
        raise ValidationError(
            {"valid_to": _("Punkten kan inte upphöra före den dag den började gälla.")}, code="before_start"
        )
    if point.decisions.filter(decided_on__gt=valid_to).exists():
        raise ValidationError(
            {"valid_to": _("Beslut har fattats enligt punkten efter den dagen.")}, code="decisions_after"
        )
    point.valid_to = valid_to
    point._history_user = user
    point._change_reason = "upphör"
    point.save(update_fields=["valid_to"])
    return point


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


@_fails_closed
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
    if decision.outcome == DecisionOutcome.REJECTED:
        raise ValidationError(
            {"decision": _("Beslutet är ett avslag: inga medel kan beviljas med stöd av det.")},
            code="rejected_decision",
        )
    if not shares:
        raise ValidationError({"amount": _("Ange minst ett belopp.")})
    shares = [Share(s.capital_part, _amount(s.amount), s.planned_year) for s in shares]
    for share in shares:
        _within_limit(decision.fund, share.amount)
    content = {"decision": decision, "shares": shares, "booking_date": booking_date, "text": text}
    if original := _replay(idempotency_key, action="commitment_create", content=content, user=user):
        return original
    _agreement_in_force(booking_date)
    _not_before_decision(decision, booking_date, Kind.COMMITMENT)
    for share in shares:
        if share.planned_year is not None:
            _planned_year_allowed(share.planned_year, decision, field="planned_year")
    # Lock order everywhere: initiative, decision, then capital parts by id.
    _money_may_go_to(decision.initiative_id)
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
    *,
    commitment: Commitment,
    kind: str,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    key,
    claim: RecoveryClaim | None = None,
    payment: Payment | None = None,
) -> Verification:
    _require(permissions.can_post(user, commitment.fund))
    _within_limit(commitment.fund, amount)
    content = {"commitment": commitment, "amount": amount, "booking_date": booking_date, "text": text}
    if claim is not None:
        content["claim"] = claim
    if payment is not None:
        content["payment"] = payment
    if original := _replay(key, action=str(kind), content=content, user=user):
        return original
    _not_before_decision(commitment.decision, booking_date, kind)
    if kind == Kind.DISBURSEMENT:
        _money_may_go_to(commitment.initiative_id)
    if kind == Kind.REPAYMENT:
        _hold_claims_still([commitment.initiative_id])
    locked_claim = _claim_for_repayment(claim, commitment, amount, booking_date) if claim else None
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
    verification = _post(
        fund=commitment.fund,
        booking_date=booking_date,
        kind=kind,
        text=text,
        user=user,
        key=key,
        decision=commitment.decision,
        commitment=commitment,
        recovery_claim=locked_claim,
        lines=lines,
        payment=payment,
    )
    if locked_claim is not None:
        _claim_repaid_add(locked_claim, amount, user, reason=f"återbetalning {verification.number_label}")
        claim.repaid, claim.status = locked_claim.repaid, locked_claim.status
    elif kind == Kind.REPAYMENT:
        _claims_stay_covered(
            [commitment.initiative_id],
            _(
                "Initiativet har öppna återkrav, och den här återbetalningen skulle lämna mindre utbetalt "
                "netto än återkraven kräver. Bokför den mot återkravet, på återkravets sida."
            ),
            field="amount",
        )
    return verification


@_fails_closed
@transaction.atomic
def disbursement_record(
    *,
    commitment: Commitment,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    payment: Payment | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> Verification:
    """Pay out against a commitment: debit reserved, credit the settlement account with the region.

    `payment` (payee, account, reference; `bank.payment_details` checks it) is where the money went: the
    forms of DGR always ask for it. It is left out only for disbursements brought in from the books kept
    before DGR (imports), which did not record it."""
    return _against_commitment(
        commitment=commitment,
        kind=Kind.DISBURSEMENT,
        amount=_amount(amount),
        booking_date=booking_date,
        text=text,
        user=user,
        key=idempotency_key,
        payment=payment,
    )


@_fails_closed
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


@_fails_closed
@transaction.atomic
def repayment_record(
    *,
    commitment: Commitment,
    amount: Decimal,
    booking_date: date,
    text: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
    claim: RecoveryClaim | None = None,
) -> Verification:
    """Disbursed money paid back: debit settlement, credit the available capital of the part it came from.

    With `claim`, the repayment books against that recovery claim: the claim is locked FOR UPDATE before
    anything else (so concurrent repayments on it queue up), a repayment above what is outstanding is
    refused, and the claim's repaid amount and status move in the same transaction."""
    return _against_commitment(
        commitment=commitment,
        kind=Kind.REPAYMENT,
        amount=_amount(amount),
        booking_date=booking_date,
        text=text,
        user=user,
        key=idempotency_key,
        claim=claim,
    )


def _claim_for_repayment(claim: RecoveryClaim, commitment: Commitment, amount: Decimal, booking_date: date):
    """Lock the claim a repayment books against (before the capital parts: the lock order everywhere) and
    refuse what it cannot take."""
    locked = RecoveryClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.initiative_id != commitment.initiative_id:
        raise ValidationError(
            _("Åtagandet hör inte till återkravets initiativ."), code="claim_other_initiative"
        )
    if locked.status not in (RecoveryClaim.Status.OPEN, RecoveryClaim.Status.PARTLY_REPAID):
        raise ValidationError(
            _("Återkravet är ”%(status)s”: inget mer kan bokas mot det.")
            % {"status": RecoveryClaim.Status(locked.status).label},
            code="claim_closed",
        )
    if amount > locked.outstanding:
        raise ValidationError(
            {
                "amount": _("Det återstår bara %(left)s av återkravet att betala tillbaka.")
                % {"left": format_amount(locked.outstanding)}
            },
            code="over_outstanding",
        )
    if booking_date < locked.decided_on:
        raise ValidationError(
            {
                "booking_date": _(
                    "En återbetalning mot återkravet kan inte bokföras före återkravets beslut den %(date)s."
                )
                % {"date": locked.decided_on.isoformat()}
            },
            code="before_claim",
        )
    return locked


def _hold_claims_still(initiative_ids) -> None:
    """Read the initiatives FOR SHARE: a recovery claim cannot be made for them (it locks the initiative
    FOR NO KEY UPDATE) until this posting commits, so the claims' check below sees every claim."""
    ids = sorted(set(initiative_ids))
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM initiatives_initiative WHERE id = ANY(%s) ORDER BY id FOR SHARE", [ids]
            )


def _claims_stay_covered(initiative_ids, message: str, field: str | None = None) -> None:
    """Open recovery claims never ask for more than was paid out net: a posting that takes the net below
    them (a repayment not booked against the claim, a disbursement corrected) is refused and rolled back.
    One query when no claim is open."""
    ids = sorted(set(initiative_ids))
    claimed = set(
        RecoveryClaim.objects.outstanding()
        .filter(initiative_id__in=ids)
        .values_list("initiative_id", flat=True)
    )
    for initiative_id in sorted(claimed):
        if recovery_claim_room(Initiative(pk=initiative_id)) < 0:
            raise ValidationError({field: message} if field else message, code="claims_not_covered")


def _claim_repaid_add(claim: RecoveryClaim, amount: Decimal, user: User, *, reason: str) -> None:
    """Move a locked claim's repaid amount (negative: a repayment reversed) and its status with it."""
    claim.repaid += amount
    if claim.status != RecoveryClaim.Status.WRITTEN_OFF:
        claim.status = RecoveryClaim.status_for(claim.amount, claim.repaid)
    claim._history_user = user
    claim._change_reason = reason[:100]
    claim.save(update_fields=["repaid", "status"])


# Statuses in which an initiative's unused reservation goes back to available capital.
ENDED_WITH_MONEY = (Status.COMPLETED, Status.TERMINATED)


@_fails_closed
@transaction.atomic
def initiative_reservation_release(
    *, initiative: Initiative, booking_date: date, user: User, text: str = ""
) -> list[Verification]:
    """Release what is still reserved for a completed or terminated initiative, commitment by commitment
    (each through `commitment_release`, so each is a verification of its own in the journal). A repeat
    finds nothing left and posts nothing. Not for a running one: it may still be paid."""
    _require(permissions.can_post(user))
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if locked.status not in ENDED_WITH_MONEY:
        raise ValidationError(
            _("Bara ett avslutat eller avbrutet initiativs reservation frigörs här (status nu ”%(status)s”).")
            % {"status": Status(locked.status).label},
            code="not_completed",
        )
    if not text:
        text = (
            _("Frigjort vid avbrott: %(initiative)s")
            if locked.status == Status.TERMINATED
            else _("Frigjort vid avslut: %(initiative)s")
        ) % {"initiative": locked}
    posted = []
    for commitment in Commitment.objects.filter(initiative=locked).select_related(
        "fund", "decision", "capital_part"
    ):
        remaining = commitment_figures(commitment)["remaining"]
        if remaining > 0:
            posted.append(
                commitment_release(
                    commitment=commitment, amount=remaining, booking_date=booking_date, text=text, user=user
                )
            )
    return posted


def initiative_reserved(initiative: Initiative) -> Decimal:
    """What is still reserved for the initiative, over all its commitments."""
    return sum(
        (commitment_figures(c)["remaining"] for c in Commitment.objects.filter(initiative=initiative)),
        Decimal("0.00"),
    )


def initiative_completion_release(*, initiative: Initiative, user: User) -> str | None:
    """What the ledger does when an initiative is completed (`outcomes.services.outcome_report_review`)
    or terminated (`initiative_terminate`): its unused reservation goes back to available capital at once
    if the person may post in the ledger and today's year is open; otherwise it is left on finance's list
    (*Att frigöra* under Beslut och åtaganden), finance is mailed, and the person is told so."""
    reserved = initiative_reserved(initiative)
    if reserved <= 0:
        return None
    if permissions.can_post(user):
        try:
            with transaction.atomic():
                posted = initiative_reservation_release(
                    initiative=initiative, booking_date=timezone.localdate(), user=user
                )
        except ValidationError:
            pass  # e.g. no open year today: finance does it, below
        else:
            return _(
                "Det oanvända beloppet %(amount)s har frigjorts till fondens tillgängliga kapital "
                "(%(labels)s)."
            ) % {
                "amount": format_amount(reserved),
                "labels": ", ".join(v.number_label for v in posted),
            }
    _notify_finance_to_release(initiative, reserved)
    return _(
        "Initiativet är %(status)s, men %(amount)s är fortfarande reserverat för det. "
        "Det står nu på ekonomis lista ”Att frigöra” under Beslut och åtaganden, "
        "och ekonomi har fått e-post om det."
    ) % {"status": Status(initiative.status).label.lower(), "amount": format_amount(reserved)}


@in_swedish()
def _notify_finance_to_release(initiative: Initiative, reserved: Decimal) -> None:
    from django.urls import reverse

    from core.mail import absolute_url, mail_queue
    from people.roles import Role

    status = Status(initiative.status).label.lower()
    mail_queue(
        subject=_("%(number)s är %(status)s: %(amount)s att frigöra")
        % {"number": initiative.registration_number, "status": status, "amount": format_amount(reserved)},
        body=_(
            "%(initiative)s är %(status)s och %(amount)s är fortfarande reserverat för det. Frigör det under "
            "Beslut och åtaganden:\n\n%(url)s\n"
        )
        % {
            "initiative": initiative,
            "status": status,
            "amount": format_amount(reserved),
            "url": absolute_url(reverse("accounting:decision-list") + "#att-frigora"),
        },
        recipients=User.objects.filter(is_active=True, groups__name=Role.FINANCE)
        .exclude(email="")
        .values_list("email", flat=True),
    )


# --- early termination and recovery claims (issue 13: 3) -------------------------------------------


@dataclass(frozen=True)
class Termination:
    initiative: Initiative
    released: Decimal  # what went back to available capital at once
    note: str  # what the person terminating is told about the reservation ("" if nothing was reserved)


def _date_not_in_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Datumet ligger i framtiden.")}, code="future_date")


def _not_before_first_decision(initiative: Initiative, day: date, field: str) -> None:
    first = (
        Decision.objects.filter(initiative=initiative, outcome=DecisionOutcome.GRANTED)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    if first and day < first:
        raise ValidationError(
            {
                field: _("Datumet ligger före Region Värmlands beslut om initiativet den %(date)s.")
                % {"date": first.isoformat()}
            },
            code="before_decision",
        )


@_fails_closed
@transaction.atomic
def initiative_terminate(
    *, initiative: Initiative, terminated_on: date, reason: str, user: User, reference: str = ""
) -> Termination:
    """Region Värmland ends a decided initiative early (Avbrutet). The status, day, reason and decision are
    one save (one history row); the unused reservation is released at once, as on completion (or left
    on finance's list *Att frigöra* when today's year is not open); the initiating party is mailed with
    the reason and what was released. What was paid out may then be claimed back (`recovery_claim_create`)."""
    from initiatives.services import notifications_held

    if not permissions.can_terminate_initiative(user, initiative):
        raise PermissionDenied(_("Bara Region Värmlands ekonomi kan avbryta ett initiativ."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv varför initiativet avbryts.")}, code="required")
    _date_not_in_future(terminated_on, "terminated_on")
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if locked.status != Status.DECIDED:
        raise ValidationError(
            _(
                "Bara ett initiativ som Region Värmland har beviljat och som pågår kan avbrytas "
                "(status nu ”%(status)s”)."
            )
            % {"status": Status(locked.status).label},
            code="not_running",
        )
    _not_before_first_decision(locked, terminated_on, "terminated_on")
    reserved = initiative_reserved(locked)
    with notifications_held():  # the party gets the mail below, with the reason and the money
        initiative_transition(
            initiative=locked,
            to=Status.TERMINATED,
            user=user,
            reason=f"avbrutet: {reason}",
            fields={
                "terminated_on": terminated_on,
                "termination_reason": reason,
                "termination_reference": reference.strip(),
            },
        )
    note = initiative_completion_release(initiative=locked, user=user) or ""
    released = reserved - initiative_reserved(locked)
    _notify_termination(locked, released=released, still_reserved=reserved - released)
    for name in ("status", "terminated_on", "termination_reason", "termination_reference"):
        setattr(initiative, name, getattr(locked, name))
    return Termination(initiative=locked, released=released, note=note)


def _party_recipients(initiative: Initiative) -> list[str]:
    """The initiating party's officials (its initiators), the one who created the initiative and its
    contact person."""
    from people.roles import Role

    people = User.objects.filter(is_active=True).exclude(email="")
    recipients = {u.email for u in people.filter(party=initiative.party_id, groups__name=Role.INITIATOR)}
    creator = User.objects.filter(pk=initiative.created_by_id, is_active=True).exclude(email="").first()
    if creator:
        recipients.add(creator.email)
    if initiative.contact_email:
        recipients.add(initiative.contact_email)
    return sorted(recipients)


@in_swedish()
def _notify_termination(initiative: Initiative, *, released: Decimal, still_reserved: Decimal) -> None:
    from core.mail import absolute_url, mail_queue

    money = _("Det som inte betalats ut, %(amount)s, har frigjorts och går tillbaka till fonden.") % {
        "amount": format_amount(released)
    }
    if still_reserved > 0:
        money = _("%(amount)s som inte betalats ut frigörs av Region Värmlands ekonomi.") % {
            "amount": format_amount(still_reserved)
        }
    elif released <= 0:
        money = _("Inget var reserverat för initiativet längre.")
    mail_queue(
        subject=_("%(number)s har avbrutits") % {"number": initiative.registration_number},
        body=_(
            "Region Värmland har avbrutit initiativet ”%(title)s” (%(number)s) från och med %(date)s.\n\n"
            "Skäl: %(reason)s\n\n%(money)s\n\nSe initiativet i DGR: %(url)s\n"
        )
        % {
            "title": initiative.title,
            "number": initiative.registration_number,
            "date": initiative.terminated_on.isoformat(),
            "reason": initiative.termination_reason,
            "money": money,
            "url": absolute_url(initiative.get_absolute_url()),
        },
        recipients=_party_recipients(initiative),
        event="initiative-status",
    )


def initiative_net_disbursed(initiative: Initiative) -> Decimal:
    """Paid out to the initiative minus what came back, over all its commitments (one query)."""
    rows = VerificationLine.objects.filter(
        initiative=initiative,
        account__kind=Account.Kind.SETTLEMENT,
        event__in=[Kind.DISBURSEMENT, Kind.REPAYMENT],
    ).aggregate(total=Sum("amount"))
    # Settlement is credited on a disbursement and debited on a repayment: its sum is minus the net.
    return -(rows["total"] or Decimal("0.00"))


def recovery_claim_room(initiative: Initiative, *, excluding: RecoveryClaim | None = None) -> Decimal:
    """How much more may be claimed back: paid out net, less what open claims already ask back (the money
    a claim asks for has not come back yet, so it still counts in the net)."""
    outstanding = RecoveryClaim.objects.outstanding().filter(initiative=initiative)
    if excluding is not None:
        outstanding = outstanding.exclude(pk=excluding.pk)
    asked = sum((c.outstanding for c in outstanding), Decimal("0.00"))
    return initiative_net_disbursed(initiative) - asked


@transaction.atomic
def recovery_claim_create(
    *,
    initiative: Initiative,
    amount: Decimal,
    reason: str,
    decided_on: date,
    due_on: date,
    user: User,
    reference: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> RecoveryClaim:
    """Region Värmland claims paid-out money back from an initiative (återkrav): one terminated, completed
    or still running (money not used as decided). At most what was paid out net and not already claimed;
    the initiative row is locked, so two claims at once cannot together ask for more. The party is
    mailed."""
    if not permissions.can_manage_recovery(user):
        raise PermissionDenied(_("Bara Region Värmlands ekonomi kan registrera återkrav."))
    amount = _amount(amount)
    content = {
        "initiative": initiative,
        "amount": amount,
        "decided_on": decided_on,
        "due_on": due_on,
        "reason": reason,
    }
    if original := _replay(
        idempotency_key, action="recovery_claim_create", content=content, user=user, model=RecoveryClaim
    ):
        return original
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför pengarna krävs tillbaka.")}, code="required")
    _date_not_in_future(decided_on, "decided_on")
    if due_on < decided_on:
        raise ValidationError(
            {"due_on": _("Förfallodagen kan inte ligga före beslutsdatumet.")}, code="due_before_decision"
        )
    locked = Initiative.objects.select_for_update(no_key=True).get(pk=initiative.pk)
    if locked.status not in (Status.DECIDED, *ENDED_WITH_MONEY):
        raise ValidationError(
            _("Återkrav gäller initiativ som Region Värmland har beviljat pengar (status nu ”%(status)s”).")
            % {"status": Status(locked.status).label},
            code="initiative_not_funded",
        )
    _not_before_first_decision(locked, decided_on, "decided_on")
    fund_id = Commitment.objects.filter(initiative=locked).values_list("fund_id", flat=True).first()
    room = recovery_claim_room(locked)
    if fund_id is None or amount > room:
        raise ValidationError(
            {
                "amount": _(
                    "Högst %(room)s kan krävas tillbaka: det som betalats ut netto till initiativet, "
                    "minus det som andra öppna återkrav redan kräver."
                )
                % {"room": format_amount(max(room, Decimal("0.00")))}
            },
            code="over_net_disbursed",
        )
    claim = RecoveryClaim(
        fund_id=fund_id,
        initiative=locked,
        amount=amount,
        reason=reason.strip(),
        reference=reference.strip(),
        decided_on=decided_on,
        due_on=due_on,
        created_by=user,
        idempotency_key=idempotency_key,
    )
    claim.full_clean(exclude=["fund", "initiative", "created_by", "idempotency_key"])
    claim._history_user = user
    claim._change_reason = "återkrav"
    claim.save()
    _notify_claim(claim)
    return claim


@in_swedish()
def _notify_claim(claim: RecoveryClaim, *, reminder: bool = False) -> None:
    from core.mail import absolute_url, mail_queue

    initiative = claim.initiative
    values = {
        "number": initiative.registration_number,
        "title": initiative.title,
        "amount": format_amount(claim.amount),
        "outstanding": format_amount(claim.outstanding),
        "due": claim.due_on.isoformat(),
        "reason": claim.reason,
        "url": absolute_url(claim.get_absolute_url()),
    }
    if reminder:
        subject = _("Påminnelse: återkrav för %(number)s förföll %(due)s") % values
        body = (
            _(
                "Återkravet för ”%(title)s” (%(number)s) förföll %(due)s och %(outstanding)s är ännu inte "
                "återbetalt.\n\nSkäl: %(reason)s\n\nSe återkravet i DGR: %(url)s\n"
            )
            % values
        )
    else:
        subject = _("Återkrav för %(number)s: %(amount)s senast %(due)s") % values
        body = (
            _(
                "Region Värmland kräver tillbaka %(amount)s av det som betalats ut till ”%(title)s” "
                "(%(number)s). "
                "Beloppet ska vara återbetalt senast %(due)s.\n\nSkäl: %(reason)s\n\n"
                "Se återkravet i DGR: %(url)s\n"
            )
            % values
        )
    mail_queue(subject=subject, body=body, recipients=_party_recipients(initiative), event="recovery-claim")


@transaction.atomic
def recovery_claim_write_off(
    *, claim: RecoveryClaim, written_off_on: date, reason: str, reference: str, user: User
) -> RecoveryClaim:
    """Region Värmland decides not to collect what is still outstanding (avskrivning): with a reason and
    the decision's reference. What was repaid stays repaid; nothing more books against the claim."""
    if not permissions.can_manage_recovery(user):
        raise PermissionDenied(_("Bara Region Värmlands ekonomi kan skriva av ett återkrav."))
    locked = RecoveryClaim.objects.select_for_update().get(pk=claim.pk)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Skriv varför återkravet skrivs av.")
    if not reference.strip():
        errors["reference"] = _("Ange beslutet om avskrivning (beslutsnummer eller paragraf).")
    if errors:
        raise ValidationError(errors, code="required")
    _date_not_in_future(written_off_on, "written_off_on")
    if written_off_on < locked.decided_on:
        raise ValidationError(
            {"written_off_on": _("Avskrivningen kan inte ligga före återkravets beslut.")},
            code="before_claim",
        )
    if locked.status not in (RecoveryClaim.Status.OPEN, RecoveryClaim.Status.PARTLY_REPAID):
        raise ValidationError(
            _("Återkravet är ”%(status)s” och kan inte skrivas av.")
            % {"status": RecoveryClaim.Status(locked.status).label},
            code="claim_closed",
        )
    locked.status = RecoveryClaim.Status.WRITTEN_OFF
    locked.written_off_on = written_off_on
    locked.write_off_reason = reason.strip()
    locked.write_off_reference = reference.strip()
    locked._history_user = user
    locked._change_reason = "avskrivning"
    locked.save(update_fields=["status", "written_off_on", "write_off_reason", "write_off_reference"])
    claim.status = locked.status
    return locked


# A claim overdue is reminded the day after its due date and then every REMIND_EVERY_DAYS days.
REMIND_EVERY_DAYS = 14


@in_swedish()
def recovery_claim_reminders_send(*, today: date, user: User) -> int:
    """Mail the party's officials of each overdue claim (accounting.tasks, daily). Idempotent: the claim's
    `reminded_on` is written in the same transaction as the mail is queued, and a claim reminded within
    REMIND_EVERY_DAYS days is skipped."""
    sent = 0
    due = RecoveryClaim.objects.overdue(today).filter(
        Q(reminded_on__isnull=True) | Q(reminded_on__lte=today - timedelta(days=REMIND_EVERY_DAYS))
    )
    for claim_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            claim = (
                RecoveryClaim.objects.select_for_update(of=("self",))
                .select_related("initiative__party")
                .get(pk=claim_id)
            )
            if not claim.is_overdue(today) or (
                claim.reminded_on and claim.reminded_on > today - timedelta(days=REMIND_EVERY_DAYS)
            ):
                continue
            claim.reminded_on = today
            claim._history_user = user
            claim._change_reason = "påminnelse om återkrav"
            claim.save(update_fields=["reminded_on"])
            _notify_claim(claim, reminder=True)
            sent += 1
    return sent


@_fails_closed
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
    content = {"verification": verification, "booking_date": booking_date, "text": text}
    if original := _replay(idempotency_key, action="verification_reverse", content=content, user=user):
        return original
    if verification.kind == Kind.REVERSAL:
        raise ValidationError(
            _("En rättelse kan inte rättas i sin tur; bokför en ny verifikation i stället."),
            code="reverse_reversal",
        )
    lines = list(verification.lines.select_related("capital_part", "account").order_by("id"))
    initiative_ids = [line.initiative_id for line in lines if line.initiative_id]
    _hold_claims_still(initiative_ids)
    # A repayment booked against a recovery claim: the claim is locked first (the lock order of
    # repayments) and its repaid amount goes down with the reversal.
    claim = (
        RecoveryClaim.objects.select_for_update().get(pk=verification.recovery_claim_id)
        if verification.recovery_claim_id
        else None
    )
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
    reversal = _post(
        fund=verification.fund,
        booking_date=booking_date,
        kind=Kind.REVERSAL,
        text=text,
        user=user,
        key=idempotency_key,
        decision=verification.decision,
        commitment=verification.commitment,
        reverses=verification,
        recovery_claim=claim,
        lines=mirrored,
    )
    if claim is not None:
        back = sum(
            (line.amount for line in lines if line.account.kind == Account.Kind.AVAILABLE), Decimal("0.00")
        )
        _claim_repaid_add(claim, back, user, reason=f"rättelse {reversal.number_label}")
    _claims_stay_covered(
        initiative_ids,
        _(
            "Rättelsen skulle göra att initiativets öppna återkrav kräver mer än vad som betalats ut netto. "
            "Skriv av eller rätta återkravet först."
        ),
    )
    return reversal


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
            problems.append(
                _("Verifikation %(label)s balanserar inte.")
                % {"label": verification_number_label(series, number, fiscal_year.year)}
            )
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


def ledger_problems() -> list[str]:
    """The year-close checks of every fund's closed years and first open year, for `verify_database`
    (a restored backup must pass the same checks the years passed when they were closed)."""
    problems = []
    for fund in Fund.objects.order_by("pk"):
        for year in fund.fiscal_years.order_by("year"):
            problems += [f"{fund.slug} {year.year}: {problem}" for problem in fiscal_year_checks(year)]
            if year.is_open:
                break
            if not year.balances.exists():
                problems.append(f"{fund.slug} {year.year}: the closed year has no snapshot.")
    return problems


@_fails_closed
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
    "FoundingPart",
    "Share",
    "account_map",
    "capital_add",
    "capital_part_update",
    "capital_transfer",
    "commitment_create",
    "commitment_release",
    "decision_record",
    "disbursement_record",
    "fiscal_year_close",
    "fiscal_year_open",
    "fund_amount_limit_set",
    "fund_create",
    "fund_open",
    "fund_update",
    "initiative_terminate",
    "recovery_claim_create",
    "recovery_claim_reminders_send",
    "recovery_claim_write_off",
    "repayment_record",
    "verification_reverse",
]
