"""E-mail initiators whose outcome report is due within two weeks or overdue, now.

    manage.py send_outcome_reminders [--user USERNAME] [--date YYYY-MM-DD]

The worker does this every day by itself (outcomes/tasks.py); the command is for a catch-up by hand
or a test with another date. Idempotent per report and day: run twice the same day, the second sends
nothing. The acting user (default: the first active administrator) is recorded on every reminder and in
the audit trail. The mails are queued: a worker sends them.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.history import acting_as
from outcomes.selectors import outcome_reminder_sender
from outcomes.services import outcome_reminders_send


class Command(BaseCommand):
    help = "Påminner initiativtagare om utfallsrapporter som snart ska lämnas eller är försenade."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", help="användaren som skickar påminnelserna (standard: en administratör)"
        )
        parser.add_argument("--date", help="dagens datum, ÅÅÅÅ-MM-DD (för test)")

    def handle(self, *args, user=None, date=None, **options):
        actor = outcome_reminder_sender(user)
        if actor is None:
            raise CommandError("Ingen aktiv användare att skicka påminnelserna som (ange --user).")
        today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        with acting_as(actor, "påminnelse om utfallsrapport"):
            sent = outcome_reminders_send(today=today, user=actor)
        self.stdout.write(f"{sent} påminnelser köade.")
