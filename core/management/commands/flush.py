"""`flush` empties the database as the owner role: the app role has no TRUNCATE.

pytest-django flushes after every test with real commits. The ledger's tables also refuse TRUNCATE by
trigger unless the session sets `dgr.allow_truncate`; only the test settings (`DGR_TEST_FLUSH_ALLOWED`)
let this command set it, so a production `flush` leaves the ledger, the archive and the minutes alone."""

from django.conf import settings
from django.core.management.commands import flush

from core.dbroles import owner_session


class Command(flush.Command):
    def handle(self, **options):
        with owner_session(options["database"]) as connection:
            allowed = getattr(settings, "DGR_TEST_FLUSH_ALLOWED", False)
            if allowed:
                with connection.cursor() as cursor:
                    cursor.execute("SET dgr.allow_truncate = 'on'")
            try:
                super().handle(**options)
            finally:
                if allowed:
                    with connection.cursor() as cursor:
                        cursor.execute("RESET dgr.allow_truncate")
