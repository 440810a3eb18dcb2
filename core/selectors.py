"""Reads of the core's own records: the mail that waits or failed, and the queue's health."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from core.models import OutgoingMail


def mail_unsent() -> QuerySet[OutgoingMail]:
    """Failed mail first (it needs someone), then what waits, oldest first."""
    return OutgoingMail.objects.exclude(status=OutgoingMail.Status.SENT).order_by(
        "status", "queued_at", "id"
    )  # "failed" < "waiting"


@dataclass(frozen=True)
class QueueHealth:
    waiting_jobs: int
    oldest_waiting_seconds: float | None  # how long the oldest job that is due has been waiting
    failed_jobs: int
    active_workers: int  # workers whose heartbeat is under a minute old
    failed_mail: int


def queue_health() -> QueueHealth:
    """One query for monitoring (/healthz/). A job is waiting once it is due: since it was deferred, or
    since the time its retry was scheduled for."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM procrastinate_jobs j
                WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())),
              (SELECT extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at)))
                 FROM procrastinate_jobs j
                 LEFT JOIN procrastinate_events e ON e.job_id = j.id AND e.type = 'deferred'
                WHERE j.status = 'todo' AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())),
              (SELECT count(*) FROM procrastinate_jobs WHERE status = 'failed'),
              (SELECT count(*) FROM procrastinate_workers
                WHERE last_heartbeat > now() - interval '1 minute'),
              (SELECT count(*) FROM core_outgoingmail WHERE status = 'failed')
            """
        )
        waiting, oldest, failed, workers, failed_mail = cursor.fetchone()
    return QueueHealth(
        waiting_jobs=waiting,
        oldest_waiting_seconds=round(float(oldest), 1) if oldest is not None else None,
        failed_jobs=failed,
        active_workers=workers,
        failed_mail=failed_mail,
    )


def mail_failed_todo(user, today) -> QuerySet[OutgoingMail] | None:
    """The to-do of administrators (core/todo.py): mail that could not be sent, to send again."""
    from core.permissions import can_manage_mail

    if not can_manage_mail(user):
        return None
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).order_by("queued_at", "id")


def notification_settings_of(user) -> dict[str, str]:
    """A person's choices, per event kind (none chosen: "at once")."""
    from core.models import NotificationSetting

    return dict(NotificationSetting.objects.filter(user=user).values_list("event", "delivery"))


def notification_settings_history(user, *, limit: int = 20) -> list:
    """The changes of a person's own choices, newest first: shown only to the person."""
    from core.models import NotificationSetting

    return list(
        NotificationSetting.history.filter(user=user)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
