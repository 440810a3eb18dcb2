"""Background work of the ledger: the daily reminders of overdue recovery claims (no cron).

Procrastinate's periodic deferrer defers `recovery_claim_reminders` once a day (the job for a day is
unique), and `recovery_claim_reminders_send` is idempotent besides: a claim reminded within the last
REMIND_EVERY_DAYS days is skipped.
"""

import datetime
import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from accounting.services import recovery_claim_reminders_send
from core.history import acting_as

logger = logging.getLogger(__name__)


def reminder_sender():
    """Who the reminders are sent as (in the claims' history): the first active finance user, who follows
    the claims up, or else the first active administrator."""
    from people.models import User
    from people.roles import Role

    active = User.objects.filter(is_active=True).order_by("id")
    return (
        active.filter(groups__name=Role.FINANCE).first()
        or active.filter(groups__name=Role.ADMINISTRATOR).first()
    )


@app.periodic(cron="10 6 * * *", periodic_id="recovery-claim-reminders")  # after the outcome reminders
@app.task(name="accounting.recovery_claim_reminders", queue="default")
def recovery_claim_reminders(timestamp: int) -> int:
    """Remind the parties of the claims overdue on the day of `timestamp` (Swedish date)."""
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    sender = reminder_sender()
    if sender is None:
        logger.error("No active finance user or administrator to send the recovery claim reminders as.")
        return 0
    with acting_as(sender, "påminnelse om återkrav"):
        return recovery_claim_reminders_send(today=today, user=sender)
