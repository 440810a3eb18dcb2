import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.history import acting_as
from core.mail import mail_held

DEMO_PASSWORD = "demo-dgr-2026"  # noqa: S105  (printed by `make run`; refused outside DEBUG)


class Command(BaseCommand):
    help = "Läser in demodata (idempotent). Vägrar när DJANGO_DEBUG är avstängt."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demodata läses bara in med DJANGO_DEBUG=1: demoanvändarna har ett känt lösenord."
            )
        # Each app that has demo data offers <app>.demo.load(); they run in INSTALLED_APPS order,
        # which is the order of the layers, so an app finds what it builds on.
        from people.demo import demo_admin

        # The services mail as they would in use; the demo's mail is not queued (no worker would send
        # the story's years of notifications to its invented addresses).
        with mail_held(), transaction.atomic():
            admin = demo_admin(password=DEMO_PASSWORD)
            with acting_as(admin, "demo data"):
                for config in apps.get_app_configs():
                    try:
                        module = importlib.import_module(f"{config.name}.demo")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{config.name}.demo":
                            raise
                        continue
                    module.load(password=DEMO_PASSWORD, stdout=self.stdout)
        from people.demo import demo_logins

        self.stdout.write(
            self.style.SUCCESS("Demodata inläst. Logga in med lösenordet " + DEMO_PASSWORD + ":")
        )
        for username, what in demo_logins():
            self.stdout.write(f"  {username:<12} {what}")
