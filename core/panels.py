"""Panels that later apps add to an earlier app's page.

An initiative's page shows its council meetings and stances and its money, but `initiatives` cannot
import `council` or `accounting` (apps depend one way). So a page names a slot, and the later apps
register panels for it in their AppConfig.ready():

    panels.register("initiative-detail", Panel("council/initiative_panel.html", council_panel_context))

and the page renders them with `{% panels "initiative-detail" initiative %}`. A context function
returns None to show nothing (for example to a user who may not see it).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[..., dict | None]  # (obj, user) -> context or None
    order: int = 100


_slots: dict[str, list[Panel]] = defaultdict(list)


def register(slot: str, panel: Panel) -> None:
    if panel.template in {p.template for p in _slots[slot]}:
        return
    _slots[slot].append(panel)
    _slots[slot].sort(key=lambda p: p.order)


def panels_for(slot: str, obj, user) -> list[tuple[str, dict]]:
    rendered = []
    for panel in _slots.get(slot, []):
        context = panel.context(obj, user)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered
