from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Värmlandsrådet")

    def ready(self):
        from core import panels
        from core.navigation import NavEntry, register
        from council import permissions, selectors

        register(
            NavEntry(
                "council:meeting-list",
                _("Sammanträden"),
                _("VRAU:s och Värmlandsrådets sammanträden, föredragningslistor och justerade protokoll."),
                permissions.can_view_meetings,
                order=300,
            )
        )
        register(
            NavEntry(
                "council:agreement",
                _("Avtalet"),
                _("Parternas antaganden av avtalet om de gemensamma resurserna och om avtalet gäller."),
                permissions.can_view_meetings,
                order=310,
            )
        )
        panels.register(
            "initiative-detail",
            panels.Panel("council/initiative_panel.html", selectors.initiative_panel_context, order=50),
        )
