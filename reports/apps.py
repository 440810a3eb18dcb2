from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Årsrapporter")

    def ready(self):
        from core import panels
        from core.navigation import NavEntry, register
        from initiatives import outcome_selectors
        from initiatives.permissions import is_initiator, is_secretariat
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
        register(
            NavEntry(
                "initiatives:outcome-overview",
                _("Utfallsrapporter"),
                _("Lägesrapporter och slutrapporter från initiativ som fått pengar ur fonden."),
                lambda user: is_initiator(user) or is_secretariat(user),
                order=450,
            )
        )
        # The outcome panel on the initiative page; registered here (the top layer) so initiatives' own
        # AppConfig stays untouched.
        panels.register(
            "initiative-detail",
            panels.Panel(
                "initiatives/outcome_panel.html", outcome_selectors.outcome_panel_context, order=400
            ),
        )
        # and the outcome reports' step on the same page's timeline
        from initiatives.selectors import register_timeline_dates

        register_timeline_dates(outcome_selectors.outcome_timeline_dates)
