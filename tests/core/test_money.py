from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.money import AmountField, format_amount, parse_amount


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 250 000,50", Decimal("1250000.50")),
        ("1\u00a0250\u00a0000,50", Decimal("1250000.50")),
        ("1 000 kr", Decimal("1000.00")),
        ("1\u202f000,5", Decimal("1000.50")),
        ("1250000", Decimal("1250000.00")),
        ("  42,00 kr ", Decimal("42.00")),
        ("0,10", Decimal("0.10")),
    ],
)
def test_parse_amount_accepts_swedish_typing(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize(
    "typed", ["1,005", "12.345", "1,2,3", "1.250,50", "tio kronor", "", "1e6", "+5", "1\t000", "1,000"]
)
def test_parse_amount_refuses_what_it_cannot_read_exactly(typed):
    with pytest.raises(ValidationError):
        parse_amount(typed)


@pytest.mark.parametrize(
    ("typed", "code", "says"),
    [
        ("１２３", "digits", "0–9"),  # full-width digits: Decimal() would read them as 123
        ("١٢٣", "digits", "0–9"),  # Arabic-Indic digits
        ("12\u0663", "digits", "0–9"),
        ("1.000", "decimal_point", "kommatecken"),  # a thousand to some, one krona to others: refused
        ("1250000.5", "decimal_point", "kommatecken"),
        ("1 25 000", "grouping", "grupper om tre"),
        ("12 34,50", "grouping", "grupper om tre"),
    ],
)
def test_parse_amount_refuses_foreign_digits_points_and_odd_groups_with_a_reason(typed, code, says):
    with pytest.raises(ValidationError) as excinfo:
        parse_amount(typed)
    assert excinfo.value.code == code
    assert says in excinfo.value.messages[0]


def test_amount_field_shows_why_a_full_width_amount_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        AmountField().clean("１ ０００")
    assert "siffrorna 0–9" in str(excinfo.value)


def test_parse_amount_refuses_more_than_two_decimals_instead_of_rounding():
    with pytest.raises(ValidationError) as excinfo:
        parse_amount("1,005")
    assert excinfo.value.code == "max_decimal_places"


@pytest.mark.parametrize("typed", ["0", "0,00", "-5", "-1 000,00"])
def test_amount_field_refuses_zero_and_negative(typed):
    with pytest.raises(ValidationError) as excinfo:
        AmountField().clean(typed)
    assert "större än noll" in str(excinfo.value)


def test_format_amount_uses_no_break_spaces_and_comma():
    assert format_amount(Decimal("1234567.89")) == "1\u00a0234\u00a0567,89\u00a0kr"
    assert format_amount(Decimal("0.5"), with_unit=False) == "0,50"
    assert format_amount(Decimal("-1000")) == "−1\u00a0000,00\u00a0kr"
