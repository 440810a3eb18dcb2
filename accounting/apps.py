from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "accounting"
    verbose_name = _("Fonden och huvudboken")

    def ready(self):
        from accounting import permissions, selectors, services
        from core import integrity, panels
        from core.history import register_history_sources
        from core.navigation import NavEntry, register
        from initiatives.selectors import register_list_amounts, register_timeline_dates

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
        register(
            NavEntry(
                "accounting:recovery-claim-list",
                _("Återkrav"),
                _("Pengar som krävs tillbaka från initiativ, och återbetalningarna mot dem."),
                permissions.can_view_ledger,
                order=420,
            )
        )
        from core import notifications
        from initiatives.permissions import is_initiator

        notifications.register(
            notifications.EventKind(
                "recovery-claim",
                _("Återkrav"),
                _(
                    "När Region Värmland kräver tillbaka pengar från din parts initiativ, "
                    "och påminnelser när ett återkrav har förfallit. Kan inte stängas av."
                ),
                is_initiator,
                False,
                45,
            )
        )
        register_history_sources("initiative", selectors.initiative_history_sources)
        register_list_amounts(selectors.initiative_list_amounts)
        register_timeline_dates(selectors.initiative_timeline_dates)
        panels.register(
            "initiative-detail",
            panels.Panel("accounting/initiative_panel.html", selectors.initiative_panel_context, order=300),
        )
        panels.register(
            "agreement", panels.Panel("accounting/agreement_panel.html", selectors.agreement_panel_context)
        )
        integrity.register("ledger", services.ledger_problems)
        from accounting.todo import register_todos

        register_todos()
