from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Arkiv")

    def ready(self):
        from archive import permissions
        from core.navigation import NavEntry, register

        register(
            NavEntry(
                "archive:package-list",
                _("Arkivpaket"),
                _("Avslutade initiativärenden och stängda verksamhetsår som E-ARK-paket till e-arkivet."),
                permissions.can_view_archive_packages,
                order=520,
            )
        )
