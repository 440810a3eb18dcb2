from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "accounting"
    verbose_name = _("Fonden och huvudboken")

    def ready(self):
        from accounting import permissions, selectors
        from core import panels
        from core.navigation import NavEntry, register

        register(
            NavEntry(
                "accounting:fund-list",
                _("Fonden"),
                _("Fondens kapital, beviljade och utbetalda medel, huvudboken och årsbokslut."),
                permissions.can_view_ledger,
                order=400,
            )
        )
        register(
            NavEntry(
                "accounting:decision-list",
                _("Beslut och åtaganden"),
                _(
                    "Region Värmlands formella beslut för tillstyrkta initiativ "
                    "och pengarna som följer av dem."
                ),
                permissions.can_view_ledger,
                order=410,
            )
        )
        panels.register(
            "initiative-detail",
            panels.Panel("accounting/initiative_panel.html", selectors.initiative_panel_context, order=300),
        )
