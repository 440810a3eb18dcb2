from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Import av befintliga uppgifter")

    def ready(self):
        from core.navigation import NavEntry, register
        from imports import permissions

        register(
            NavEntry(
                "imports:import-list",
                _("Import"),
                _(
                    "För in fondens historia ur Excel: initiativ, Värmlandsrådets ställningstaganden, "
                    "Region Värmlands beslut och bokföringar."
                ),
                permissions.can_import,
                order=450,
            )
        )
