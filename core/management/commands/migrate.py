"""`migrate` runs as the owner role and then gives the app role its grants (core/dbroles.py).

Whoever runs it — `make run`, a deployment, the test suite's set-up — the schema is changed by the role
that owns it, and every table, new ones included, ends up with exactly the privileges the app needs."""

from django.conf import settings
from django.core.management.commands import migrate
from django.db import transaction

from core.dbroles import grants_apply, owner_session


class Command(migrate.Command):
    def handle(self, *args, **options):
        with owner_session(options["database"]) as connection:
            super().handle(*args, **options)
            if connection.settings_dict["USER"] != settings.DATABASE_APP_ROLE:
                with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                    grants_apply(cursor, settings.DATABASE_APP_ROLE)
