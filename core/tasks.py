"""Background work of the core: delivering queued mail (see core/mail.py).

Procrastinate runs it (`manage.py procrastinate worker`): its queue lives in DGR's own PostgreSQL, so a
job is deferred in the same transaction as the change it belongs to, any number of workers can share
the database (a job is taken by one of them: `SELECT … FOR UPDATE SKIP LOCKED`), and retries with a
growing wait and periodic tasks are built in.
"""

from django.conf import settings
from procrastinate import RetryDecision
from procrastinate.contrib.django import app
from procrastinate.retry import BaseRetryStrategy

from core.mail import mail_deliver


class MailRetry(BaseRetryStrategy):
    """Exponential backoff read from the settings when a try fails (not when the module is imported),
    so that deployment and tests set it: DGR_MAIL_RETRY_SECONDS × 2^(tries so far), at most
    DGR_MAIL_MAX_ATTEMPTS tries in all."""

    def get_retry_decision(self, *, exception, job):
        if job.attempts + 1 >= settings.DGR_MAIL_MAX_ATTEMPTS:
            return None
        return RetryDecision(retry_in={"seconds": settings.DGR_MAIL_RETRY_SECONDS * 2**job.attempts})


@app.task(name="core.mail_send", queue="mail", retry=MailRetry(), pass_context=True)
def mail_send(context, *, mail_id: int) -> None:
    # Raises DeliveryFailed when the SMTP server did not take the mail: MailRetry schedules the next try.
    mail_deliver(mail_id=mail_id, last_attempt=context.job.attempts + 1 >= settings.DGR_MAIL_MAX_ATTEMPTS)


@app.periodic(cron="30 2 * * *", periodic_id="retention")  # 02:30 UTC, when no one works
@app.task(name="core.retention", queue="default")
def retention(timestamp: int) -> int:
    """Apply every retention rule (core/retention.py); returns how many rows they removed."""
    from core.retention import retention_apply

    return sum(removed for _rule, removed in retention_apply())


@app.periodic(cron="30 6 * * *", periodic_id="notification-digest")  # after the outcome reminders (06:00)
@app.task(name="core.digest_send", queue="default")
def digest(timestamp: int) -> int:
    """Send the daily digests of the day of `timestamp` (the scheduled time, Swedish date)."""
    import datetime

    from django.utils import timezone

    from core.services import digest_send

    return digest_send(today=timezone.localdate(datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)))
