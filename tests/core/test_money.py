from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.money import AmountField, format_amount, parse_amount


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 250 000,50", Decimal("1250000.50")),
        ("1\u00a0250\u00a0000,50", Decimal("1250000.50")),
        ("1250000.5", Decimal("1250000.50")),
        ("1250000", Decimal("1250000.00")),
        ("  42,00 kr ", Decimal("42.00")),
        ("0,10", Decimal("0.10")),
    ],
)
def test_parse_amount_accepts_swedish_and_plain_typing(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize("typed", ["1,005", "12.345", "1,2,3", "1.250,50", "tio kronor", "", "1e6"])
def test_parse_amount_refuses_what_it_cannot_read_exactly(typed):
    with pytest.raises(ValidationError):
        parse_amount(typed)


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
