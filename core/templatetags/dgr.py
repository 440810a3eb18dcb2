from decimal import Decimal

from django import template

from core.money import format_amount

register = template.Library()


@register.filter
def kr(value):
    """{{ amount|kr }} -> '1 234 567,89 kr' (no-break spaces)."""
    if value in (None, ""):
        return ""
    return format_amount(Decimal(value))


@register.filter
def amount(value):
    """{{ amount|amount }} -> '1 234 567,89' without the unit, for tables whose header names it."""
    if value in (None, ""):
        return ""
    return format_amount(Decimal(value), with_unit=False)


@register.filter
def msek(value):
    """{{ amount|msek }} -> '55,0 mnkr' for summaries."""
    if value in (None, ""):
        return ""
    millions = (Decimal(value) / Decimal(1_000_000)).quantize(Decimal("0.1"))
    return f"{str(millions).replace('.', ',')}\u00a0mnkr"
