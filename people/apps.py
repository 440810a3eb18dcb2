from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Parter och personer")

    def ready(self):
        from core.navigation import NavEntry, register
        from people import accounts, permissions, signals  # noqa: F401  (connect the login log)

        register(
            NavEntry(
                "people:party-list",
                _("Parter"),
                _("De 17 parterna med initiativrätt och deras kontaktpersoner."),
                permissions.can_view_parties,
                order=900,
            )
        )
        register(
            NavEntry(
                "people:account-list",
                _("Konton"),
                _("Bjud in personer, godkänn konton från single sign-on och se inbjudningar som väntar."),
                permissions.can_manage_accounts,
                order=910,
            )
        )
        from people.todo import register_todos

        register_todos()
