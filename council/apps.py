from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Värmlandsrådet")

    def ready(self):
        from core import panels
        from core.history import register_history_sources
        from core.navigation import NavEntry, register
        from council import permissions, selectors
        from initiatives.selectors import register_timeline_dates

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
        register(
            NavEntry(
                "council:membership-index",
                _("Ledamöter"),
                _("VRAU:s och Värmlandsrådets ledamöter och ersättare per part, med mandatperioder."),
                permissions.can_view_meetings,
                order=305,
            )
        )
        register_history_sources("initiative", selectors.initiative_history_sources)
        register_timeline_dates(selectors.initiative_timeline_dates)
        panels.register(
            "initiative-detail",
            panels.Panel("council/initiative_panel.html", selectors.initiative_panel_context, order=50),
        )
        from core import notifications
        from council.todo import register_todos

        register_todos()
        # The mails of the council (services.py passes these keys to core.mail.mail_queue). A meeting's
        # notice is no choice: every member is called, with the PDF and the calendar invitation.
        notifications.register(
            notifications.EventKind(
                "minutes-to-sign",
                _("Du är vald justerare"),
                _("När du valts att justera ett protokoll."),
                lambda user: user.is_authenticated and user.is_active,
                order=60,
            )
        )
