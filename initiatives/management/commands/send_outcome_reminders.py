"""Daily (cron): e-mail initiators whose outcome report is due within two weeks or overdue.

    manage.py send_outcome_reminders [--user USERNAME] [--date YYYY-MM-DD]

Idempotent per report and day: running it twice the same day sends nothing the second time. The acting
user (default: the first active administrator) is recorded on every reminder and in the audit trail.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.history import acting_as
from initiatives.services import outcome_reminders_send
from people.models import User
from people.roles import Role


class Command(BaseCommand):
    help = "Påminner initiativtagare om utfallsrapporter som snart ska lämnas eller är försenade."

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", help="användaren som skickar påminnelserna (standard: en administratör)"
        )
        parser.add_argument("--date", help="dagens datum, ÅÅÅÅ-MM-DD (för test)")

    def handle(self, *args, user=None, date=None, **options):
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
        else:
            actor = (
                User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR).order_by("id").first()
                or User.objects.filter(is_active=True, is_superuser=True).order_by("id").first()
            )
        if actor is None:
            raise CommandError("Ingen aktiv användare att skicka påminnelserna som (ange --user).")
        today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        with acting_as(actor, "påminnelse om utfallsrapport"):
            sent = outcome_reminders_send(today=today, user=actor)
        self.stdout.write(f"{sent} påminnelser skickade.")
