from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Årsrapporter")

    def ready(self):
        from core.navigation import NavEntry, register
        from reports import permissions

        register(
            NavEntry(
                "reports:dashboard",
                _("Årsrapporter"),
                _("Balansrapporten och utfallsrapporten till Värmlandsrådet: PDF, Excel och CSV."),
                permissions.can_view_reports,
                order=500,
            )
        )
        register(
            NavEntry(
                "reports:archive-list",
                _("Arkiverade årsrapporter"),
                _("Slutliga årsrapporter till Värmlandsrådet, exakt som de utfärdades."),
                lambda user: permissions.can_view_archive(user) and not permissions.can_view_reports(user),
                order=510,
            )
        )
