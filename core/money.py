"""Money: one definition of precision, Swedish input and output.

Amounts are Swedish kronor with öre: `numeric(15, 2)`, always `Decimal`, built from strings. More than
two decimals is refused rather than rounded, because PostgreSQL would round a third decimal silently.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 15
DECIMAL_PLACES = 2
ORE = Decimal("0.01")

# What a person types: ASCII digits, thousands in groups of three separated by a space (or the no-break
# spaces the app itself prints), a decimal comma with at most two decimals, an optional sign and "kr".
_SEPARATORS = " \u00a0\u202f"
_SWEDISH = re.compile(
    r"(?P<sign>[-\u2212]?)(?P<whole>[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})*|[0-9]+)(?:,(?P<ore>[0-9]+))?"
)
_TYPE_EXAMPLE = _("Skriv beloppet med siffror, till exempel 1 250 000,50.")


def parse_amount(text: str | Decimal | int) -> Decimal:
    """'1 250 000,50' -> Decimal('1250000.50'); refuses anything it cannot read exactly, with a message that
    says why.

    Only the Swedish way is read: a point is refused rather than guessed at (`1.000` is a thousand to
    some and one krona to others), and so are digits of other scripts (`１２３`, `١٢٣`), which Python's
    Decimal would otherwise read as numbers. Decimal and int values come from code and are trusted.
    """
    if isinstance(text, Decimal):
        value = text
        if value.as_tuple().exponent < -DECIMAL_PLACES and value != value.quantize(ORE):
            raise ValidationError(
                _("Ett belopp kan ha högst två decimaler (öre)."), code="max_decimal_places"
            )
    elif isinstance(text, int):
        value = Decimal(text)
    else:
        cleaned = str(text).strip(_SEPARATORS + "\t\r\n")
        for unit in ("kr", "SEK"):
            cleaned = cleaned.removesuffix(unit).rstrip(_SEPARATORS)
        if any(ch.isdigit() and ch not in "0123456789" for ch in cleaned):
            raise ValidationError(
                _("Skriv beloppet med siffrorna 0–9, till exempel 1 250 000,50."), code="digits"
            )
        if "." in cleaned:
            raise ValidationError(
                _(
                    "Skriv öre efter ett kommatecken och tusental med mellanslag, till exempel 1 250 000,50 "
                    "(punkt används inte i belopp)."
                ),
                code="decimal_point",
            )
        match = _SWEDISH.fullmatch(cleaned)
        if match is None:
            if re.fullmatch(r"[-\u2212]?[0-9 \u00a0\u202f]+(,[0-9]+)?", cleaned):
                raise ValidationError(
                    _("Skriv tusentalen i grupper om tre siffror, till exempel 1 250 000."), code="grouping"
                )
            raise ValidationError(_TYPE_EXAMPLE, code="invalid")
        ore = match["ore"] or ""
        if len(ore) > DECIMAL_PLACES:
            raise ValidationError(
                _("Ett belopp kan ha högst två decimaler (öre)."), code="max_decimal_places"
            )
        digits = match["whole"].translate({ord(c): None for c in _SEPARATORS})
        sign = "-" if match["sign"] else ""
        value = Decimal(f"{sign}{digits}.{ore or '0'}")
    if abs(value) >= Decimal(10) ** (MAX_DIGITS - DECIMAL_PLACES):
        raise ValidationError(_("Beloppet är för stort."), code="max_digits")
    return value.quantize(ORE)


def round_ore(value: Decimal) -> Decimal:
    """Round half-up to whole öre: used at boundaries such as ratios and splits."""
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


class MoneyField(models.DecimalField):
    """A model field for kronor with öre."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", AmountField)
        return super().formfield(**kwargs)


class AmountField(forms.CharField):
    """A form field that accepts amounts typed the Swedish way and refuses zero and negative amounts."""

    default_error_messages = {"not_positive": _("Beloppet måste vara större än noll.")}

    def __init__(self, *, allow_zero: bool = False, max_digits=None, decimal_places=None, **kwargs):
        # max_digits/decimal_places come from the model field; precision is fixed in parse_amount.
        kwargs.pop("min_value", None)
        kwargs.pop("max_value", None)
        kwargs.pop("step_size", None)
        self.allow_zero = allow_zero
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_amount(value, with_unit=False)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        amount = parse_amount(value)
        if amount < 0 or (amount == 0 and not self.allow_zero):
            raise ValidationError(self.error_messages["not_positive"], code="not_positive")
        return amount


def format_amount(value: Decimal | None, *, with_unit: bool = True) -> str:
    """Decimal('1234567.89') -> '1 234 567,89 kr' with no-break spaces, whatever the active language."""
    if value is None:
        return ""
    quantized = round_ore(Decimal(value))
    sign = "−" if quantized < 0 else ""
    whole, _dot, ore = f"{abs(quantized):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = f"{sign}{chr(0xA0).join(groups)},{ore}"
    return f"{text}\u00a0kr" if with_unit else text
