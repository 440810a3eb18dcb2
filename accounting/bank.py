"""Where a disbursement goes: the payee's bank account (bankgiro, plusgiro or IBAN), checked and written
one way. The one place DGR reads, validates and formats account numbers.

- Bankgiro: 7 or 8 digits, the last a Luhn (mod 10) check digit over the others; written NNN-NNNN or
  NNNN-NNNN (Bankgirot's own notation).
- Plusgiro: 2 to 8 digits, the last a Luhn (mod 10) check digit; written with a dash before the check
  digit (41 23 46 is written 41234-6).
- IBAN (ISO 13616): country code, two check digits (mod 97 over the whole number) and the national
  account number in the country's length; written in groups of four.

People type numbers with spaces and dashes, and an IBAN in lower case: the input is normalised first, and
stored normalised (digits only, or the compact upper-case IBAN), so one account is always one string. The
database holds the same shapes in CHECK constraints (`account_number_shape`).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum import iban, luhn
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError


class AccountKind(models.TextChoices):
    BANKGIRO = "bankgiro", gettext_lazy("Bankgiro")
    PLUSGIRO = "plusgiro", gettext_lazy("Plusgiro")
    IBAN = "iban", gettext_lazy("IBAN")


# The stored shapes, for the database's CHECK constraints (the checksums are this module's).
SHAPES = {
    AccountKind.BANKGIRO: r"^[0-9]{7,8}$",
    AccountKind.PLUSGIRO: r"^[0-9]{2,8}$",
    AccountKind.IBAN: r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$",
}

MAX_PAYEE = 200
MAX_REFERENCE = 100


def account_number_shape(kind_field: str, number_field: str) -> Q:
    """The CHECK that a stored (kind, number) pair has its kind's shape."""
    shape = Q()
    for kind, pattern in SHAPES.items():
        shape |= Q(**{kind_field: kind.value, f"{number_field}__regex": pattern})
    return shape


def _compact(number: str) -> str:
    return re.sub(r"[\s\-.]", "", str(number or ""))


def _giro(number: str, *, shortest: int, longest: int, lengths: str, name: str) -> str:
    digits = _compact(number)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("Ett %(name)s består bara av siffror (mellanslag och bindestreck går bra).") % {"name": name},
            code="not_digits",
        )
    if not shortest <= len(digits) <= longest:
        raise ValidationError(
            _("Ett %(name)s har %(lengths)s siffror, inte %(count)s.")
            % {"name": name, "lengths": lengths, "count": len(digits)},
            code="length",
        )
    if not luhn.is_valid(digits):
        raise ValidationError(
            _("Kontrollsiffran stämmer inte: %(number)s är inget giltigt %(name)s. Kontrollera numret.")
            % {"number": number.strip(), "name": name},
            code="checksum",
        )
    return digits


def _iban(number: str) -> str:
    compact = _compact(number).upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", compact):
        raise ValidationError(
            _(
                "Ett IBAN börjar med landskod och två kontrollsiffror och följs av kontonumret, "
                "till exempel SE45 5000 0000 0583 9825 7466."
            ),
            code="iban_format",
        )
    try:
        iban.validate(compact)
    except InvalidChecksum as error:
        raise ValidationError(
            _("Kontrollsiffrorna stämmer inte: %(number)s är inget giltigt IBAN. Kontrollera numret.")
            % {"number": number.strip()},
            code="checksum",
        ) from error
    except StdnumError as error:
        raise ValidationError(
            _("Numret har inte den längd eller form som ett IBAN från %(country)s ska ha.")
            % {"country": compact[:2]},
            code="iban_country_format",
        ) from error
    return compact


def account_number_clean(kind: str, number: str) -> str:
    """The number in its stored form, or a ValidationError with a Swedish message that says what is wrong."""
    if not _compact(number):
        raise ValidationError(_("Ange kontonumret."), code="required")
    if kind == AccountKind.BANKGIRO:
        return _giro(number, shortest=7, longest=8, lengths=_("7 eller 8"), name=_("bankgironummer"))
    if kind == AccountKind.PLUSGIRO:
        return _giro(number, shortest=2, longest=8, lengths=_("2 till 8"), name=_("plusgironummer"))
    if kind == AccountKind.IBAN:
        return _iban(number)
    raise ValidationError(_("Välj bankgiro, plusgiro eller IBAN."), code="kind")


def account_number_display(kind: str, number: str) -> str:
    """The stored number as people write it: 123-4567, 1234-5678, 41234-5, SE45 5000 0000 …"""
    if not number:
        return ""
    if kind == AccountKind.BANKGIRO:
        return f"{number[:-4]}-{number[-4:]}"
    if kind == AccountKind.PLUSGIRO:
        return f"{number[:-1]}-{number[-1]}"
    if kind == AccountKind.IBAN:
        return iban.format(number)
    return number


@dataclass(frozen=True)
class Payment:
    """Where a disbursement is paid: to whom, to which account, with which reference (OCR or message)."""

    payee: str
    account_kind: str
    account_number: str  # stored form
    reference: str = ""

    @property
    def account_display(self) -> str:
        return account_number_display(self.account_kind, self.account_number)

    def __str__(self):
        return f"{self.payee}, {AccountKind(self.account_kind).label} {self.account_display}"


def payment_details(*, payee: str, account_kind: str, account_number: str, reference: str = "") -> Payment:
    """Checked payment details, or a ValidationError naming each field that is wrong (the forms' names:
    payee, bank_account_kind, bank_account_number, payment_reference)."""
    errors: dict[str, list] = {}
    payee = " ".join(str(payee or "").split())
    reference = " ".join(str(reference or "").split())
    if not payee:
        errors["payee"] = [ValidationError(_("Ange betalningsmottagare."), code="required")]
    elif len(payee) > MAX_PAYEE:
        errors["payee"] = [
            ValidationError(_("Betalningsmottagaren får vara högst %(max)s tecken.") % {"max": MAX_PAYEE})
        ]
    if len(reference) > MAX_REFERENCE:
        errors["payment_reference"] = [
            ValidationError(
                _("OCR-numret eller meddelandet får vara högst %(max)s tecken.") % {"max": MAX_REFERENCE}
            )
        ]
    number = ""
    if account_kind not in AccountKind.values:
        errors["bank_account_kind"] = [ValidationError(_("Välj bankgiro, plusgiro eller IBAN."), code="kind")]
    else:
        try:
            number = account_number_clean(account_kind, account_number)
        except ValidationError as error:
            errors["bank_account_number"] = [error]
    if errors:
        raise ValidationError(errors)
    return Payment(payee=payee, account_kind=account_kind, account_number=number, reference=reference)
