from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiativ")

    def ready(self):
        from core import panels
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
