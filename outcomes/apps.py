from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = _("Utfallsrapporter")

    def ready(self):
        from accounting.selectors import register_co_financing_received
        from core import notifications, panels
        from core.history import register_history_sources
        from core.navigation import NavEntry, register
        from initiatives.permissions import is_initiator, is_secretariat
        from initiatives.selectors import register_timeline_dates
        from outcomes import selectors
        from outcomes.todo import register_todos

        register(
            NavEntry(
                "outcomes:outcome-overview",
                _("Utfallsrapporter"),
                _("Lägesrapporter och slutrapporter från initiativ som fått pengar ur fonden."),
                lambda user: is_initiator(user) or is_secretariat(user),
                order=450,
            )
        )
        # On the initiative's page: the outcome panel, the reports' step on its timeline, the reports in its
        # history, and the co-financing they state in the money panel's leverage.
        panels.register(
            "initiative-detail",
            panels.Panel("outcomes/outcome_panel.html", selectors.outcome_panel_context, order=400),
        )
        register_timeline_dates(selectors.outcome_timeline_dates)
        register_history_sources("initiative", selectors.initiative_history_sources)
        register_co_financing_received(selectors.co_financing_received)
        register_todos()
        # The mails of outcome reporting (services.py passes these keys to core.mail.mail_queue).
        for key, label, description, concerns, can_turn_off, order in (
            (
                "outcome-review",
                _("En utfallsrapport lämnas in eller granskas"),
                _("Sekretariatet får inlämnade rapporter, parten besked om granskningen."),
                lambda user: is_initiator(user) or is_secretariat(user),
                True,
                30,
            ),
            (
                "outcome-reminder",
                _("Påminnelse om utfallsrapport"),
                _(
                    "Två veckor före sista dag och varje dag därefter. "
                    "Kan inte stängas av: avtalet kräver rapporten."
                ),
                is_initiator,
                False,
                40,
            ),
        ):
            notifications.register(
                notifications.EventKind(key, label, description, concerns, can_turn_off, order)
            )
