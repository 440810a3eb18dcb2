from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiativ")

    def ready(self):
        from core import panels, retention
        from initiatives.selectors import drafts_abandoned
        from initiatives.services import drafts_remove

        retention.register(
            retention.Rule(
                "initiatives.drafts",
                _("Utkast till initiativ som aldrig lämnades in, med budget, medfinansiering och bilagor."),
                "DGR_RETENTION_DRAFT_DAYS",
                drafts_abandoned,
                drafts_remove,
            )
        )
        from core.navigation import NavEntry, register
        from initiatives import permissions, selectors

        register(
            NavEntry(
                "initiatives:initiative-list",
                _("Initiativ"),
                _("Sök och följ alla inlämnade initiativ, och exportera listan till Excel eller CSV."),
                permissions.can_view_initiatives,
                order=100,
            )
        )
        register(
            NavEntry(
                "initiatives:initiative-create",
                _("Nytt initiativ"),
                _("Skriv ett initiativ för din part, spara som utkast och lämna in när det är klart."),
                permissions.can_create_initiative,
                order=110,
            )
        )
        register(
            NavEntry(
                "initiatives:initiative-queue",
                _("Beredning"),
                _("Inlämnade initiativ som väntar på beredning eller komplettering."),
                permissions.can_view_preparation_queue,
                order=120,
            )
        )
        panels.register(
            "start", panels.Panel("initiatives/start_panel.html", selectors.start_panel, order=10)
        )
        # Change requests after the decision (ändringsbegäran): on the initiative's page, after the
        # ledger's panel, and in its history.
        panels.register(
            "initiative-detail",
            panels.Panel("initiatives/changerequest_panel.html", selectors.change_request_panel, order=350),
        )
        from core.history import register_history_sources

        register_history_sources("initiative", selectors.change_request_history_sources)
        register(
            NavEntry(
                "initiatives:change-request-list",
                _("Ändringsbegäranden"),
                _(
                    "Ändringar som parterna begärt efter beslutet: förlängd period, flytt mellan år, "
                    "minskad omfattning och utökad finansiering."
                ),
                permissions.can_view_change_queue,
                order=130,
            )
        )
        from core import notifications
        from initiatives.todo import register_todos
        from people.roles import Role

        register_todos()
        # The mails of initiatives (services.py passes these keys to core.mail.mail_queue).
        party_or_secretariat = lambda user: permissions.is_initiator(user) or permissions.is_secretariat(user)  # noqa: E731
        for key, label, description, concerns, can_turn_off, order in (
            (
                "initiative-status",
                _("Ett initiativ byter status"),
                _("Din parts initiativ (och för sekretariatet: ett initiativ lämnas in)."),
                party_or_secretariat,
                True,
                10,
            ),
            (
                "initiative-message",
                _("Nytt meddelande i ett initiativs tråd"),
                _("Frågor och svar mellan din part och sekretariatet."),
                party_or_secretariat,
                True,
                20,
            ),
            (
                "change-request",
                _("En ändringsbegäran lämnas in eller avgörs"),
                _("Ekonomi och sekretariatet får inlämnade ändringsbegäranden, parten besked om utfallet."),
                lambda user: party_or_secretariat(user) or user.has_role(Role.FINANCE),
                True,
                35,
            ),
        ):
            notifications.register(
                notifications.EventKind(key, label, description, concerns, can_turn_off, order)
            )
