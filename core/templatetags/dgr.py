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


@register.simple_tag(takes_context=True)
def panels(context, slot, obj):
    """{% panels "initiative-detail" initiative %}: the panels later apps registered for this slot."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from core.panels import panels_for

    request = context.get("request")
    user = getattr(request, "user", None)
    html = [
        render_to_string(template, {**panel_context, "user": user}, request=request)
        for template, panel_context in panels_for(slot, obj, user)
    ]
    return mark_safe("\n".join(html))  # noqa: S308 - each part is a rendered, auto-escaped template
