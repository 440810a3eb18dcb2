"""Background work of outcome reporting: the daily outcome reminders (no cron).

Procrastinate's periodic deferrer, inside every running worker, defers `outcome_reminders` once a day;
the job for a given day is unique (periodic id + timestamp), so several workers defer it once, and
`outcome_reminders_send` is idempotent per report and day besides.
"""

import datetime
import logging

from django.utils import timezone
from procrastinate.contrib.django import app

from core.history import acting_as
from outcomes.selectors import outcome_reminder_sender
from outcomes.services import outcome_reminders_send

logger = logging.getLogger(__name__)


@app.periodic(cron="0 6 * * *", periodic_id="outcome-reminders")  # 06:00 UTC, before the working day
# The task keeps the name it had in `initiatives`: jobs already queued, and the periodic deferrer's record of
# the days it has deferred, know it by that name.
@app.task(name="initiatives.outcome_reminders", queue="default")
def outcome_reminders(timestamp: int) -> int:
    """Send the reminders due on the day of `timestamp` (the scheduled time, Swedish date)."""
    today = timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC))
    sender = outcome_reminder_sender()
    if sender is None:
        logger.error("No active administrator to send the outcome reminders as; none sent.")
        return 0
    with acting_as(sender, "påminnelse om utfallsrapport"):
        return outcome_reminders_send(today=today, user=sender)
