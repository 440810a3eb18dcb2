"""The one way DGR sends e-mail: queued in the caller's transaction, delivered by a worker.

`mail_queue(subject=…, body=…, recipients=[…])` writes one OutgoingMail per recipient (nobody sees who
else was told) and defers one job per mail in the same transaction: a change that rolls back sends
nothing, and a change that commits has its mail waiting even if the web server dies the next moment.
A worker (`manage.py procrastinate worker`, core/tasks.py) delivers it through EMAIL_BACKEND; when the
SMTP server refuses or does not answer, the job is retried with a growing wait (DGR_MAIL_RETRY_SECONDS,
doubled each time, DGR_MAIL_MAX_ATTEMPTS tries), then the mail is marked failed and shown to the
administrators (/e-post/), who can send it again (`mail_retry`).

Delivery holds the mail's row lock while talking to SMTP and checks its status first, so two workers,
or a retry that an administrator started while the first try was still running, send it once. (A crash
between the SMTP server's acceptance and the commit can still send it twice: SMTP offers nothing to
make that atomic, and a second copy is better than none.)

Links in mails are absolute (`absolute_url`), built from DGR_BASE_URL.

A mail may carry files (`attachments=[MailAttachment(…)]`: a meeting's notice PDF and its calendar
invitation), stored with it (OutgoingMailAttachment) and attached when the worker delivers it.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from core.models import DigestEntry, OutgoingMail, OutgoingMailAttachment

_held: ContextVar[bool] = ContextVar("dgr_mail_held", default=False)


def absolute_url(path: str) -> str:
    """`/initiativ/15/` → `https://dgr.regionvarmland.se/initiativ/15/`: a mail is read outside DGR."""
    return settings.DGR_BASE_URL.rstrip("/") + path


# What a delivered mail with a one-time link keeps of its text.
DELIVERED_LINK_TEXT = "[Meddelandet innehöll en engångslänk och tömdes när det hade skickats.]"


@dataclass(frozen=True)
class MailAttachment:
    filename: str
    content: bytes
    content_type: str  # e.g. "application/pdf", "text/calendar; method=REQUEST"


@transaction.atomic
def mail_queue(
    *,
    subject: str,
    body: str,
    recipients: Iterable[str],
    one_time_link: bool = False,
    event: str | None = None,
    attachments: Sequence[MailAttachment] = (),
) -> list[OutgoingMail]:
    """Queue one message per distinct recipient (empty addresses skipped), in the caller's transaction.
    Subject and body are ready to send (the caller writes them in Swedish, links absolute); each message
    carries the `attachments`.

    `event`: the kind of event the mail tells of (core/notifications.py). Each person's choice for it is
    honoured: mailed now, kept for their daily digest, or not sent. Without it the mail always goes (a
    mail with attachments, such as a meeting's notice, goes without one: a digest carries no files)."""
    if _held.get():
        return []
    from core.tasks import mail_send

    subject = " ".join(subject.split())  # a header holds no line breaks
    queued = []
    # `DGR <dgr@regionvarmland.se>` and `dgr@regionvarmland.se` are one recipient, written the second way.
    addresses = {parseaddr(r)[1].strip() for r in recipients if r}
    addresses.discard("")
    if event is not None and addresses:
        addresses = _now_or_digest(event=event, subject=subject, body=body, addresses=addresses)
    for recipient in sorted(addresses):
        mail = OutgoingMail(
            recipient=recipient, subject=subject[:500], body=body, one_time_link=one_time_link
        )
        # The fields are checked here; the status constraints, which only this module sets, are left to
        # the database (Django checks each with a query of its own, 20 ms a mail).
        mail.full_clean(validate_constraints=False)
        mail.save()
        for attachment in attachments:
            OutgoingMailAttachment.objects.create(
                mail=mail,
                filename=attachment.filename,
                content_type=attachment.content_type,
                content=attachment.content,
            )
        queued.append(mail)
    if queued:
        mail_send.batch_defer(*({"mail_id": mail.pk} for mail in queued))
    return queued


def _now_or_digest(*, event: str, subject: str, body: str, addresses: set[str]) -> set[str]:
    """The addresses to mail now; the event is kept for the digest of those who chose it."""
    from core.models import Delivery, DigestEntry
    from core.notifications import deliveries

    now = set()
    for address, (delivery, person) in deliveries(event, addresses).items():
        if delivery == Delivery.IMMEDIATE:
            now.add(address)
        elif delivery == Delivery.DIGEST:
            entry = DigestEntry(user=person, event=event, subject=subject[:500], body=body)
            entry.full_clean(validate_constraints=False)
            entry.save()
    return now


@contextmanager
def mail_held() -> Iterator[None]:
    """Nothing is queued inside: the demo data tells its story through the real services, whose mail
    would otherwise wait for the first worker and go to the demo's invented addresses."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def mail_is_held() -> bool:
    """Inside `mail_held()`: for work that would mail later (a job that renders and then queues mail)."""
    return _held.get()


class DeliveryFailed(Exception):
    """The mail was not taken by the SMTP server; the worker tries again later."""


def mail_deliver(*, mail_id: int, last_attempt: bool) -> bool:
    """Send one queued mail (called by the worker). Returns False when it was already sent. Raises
    DeliveryFailed, after recording the error, when the SMTP server did not take it."""
    error = ""
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        if mail.status == OutgoingMail.Status.SENT:
            return False
        message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.recipient])
        for attachment in mail.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
        try:
            message.send(fail_silently=False)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            mail.status = OutgoingMail.Status.SENT
            mail.sent_at = timezone.now()
            mail.attempts += 1
            mail.last_attempt_at = mail.sent_at
            mail.last_error = ""
            fields = ["status", "sent_at", "attempts", "last_attempt_at", "last_error"]
            if mail.one_time_link:
                mail.body = DELIVERED_LINK_TEXT
                fields.append("body")
            mail.save(update_fields=fields)
            return True
    # Recorded in a transaction of its own, so that the error is seen while the job waits to retry.
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=mail_id)
        if mail.status != OutgoingMail.Status.SENT:
            mail.attempts += 1
            mail.last_attempt_at = timezone.now()
            mail.last_error = error
            mail.status = OutgoingMail.Status.FAILED if last_attempt else OutgoingMail.Status.WAITING
            mail.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
    raise DeliveryFailed(error)


def mail_queue_message(
    *, subject: str, body: str, recipient: str, one_time_link: bool = False
) -> OutgoingMail | None:
    """For a sender that writes its own message (e.g. the accounts' adapter, whose templates give a ready
    subject and text body): queued and delivered like every other mail, in the caller's transaction.
    `one_time_link`: the text carries a link that opens an account; it is emptied once delivered."""
    queued = mail_queue(subject=subject, body=body, recipients=[recipient], one_time_link=one_time_link)
    return queued[0] if queued else None


def mail_delivered_before(cutoff):
    """Mail delivered before `cutoff`: what the retention rule removes (core/retention.py)."""
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, sent_at__lt=cutoff)


def mail_delivered_remove(cutoff) -> int:
    """Remove mail delivered before `cutoff`. The app role cannot delete mail: the database's own function
    (core migration 0006, run with the owner's rights) does it, and refuses any mail not delivered or
    delivered less than 30 days ago, whatever the caller asks. The digest entries a removed mail carried
    go first (their text was that mail's; each removal is kept in their history), or the mail's
    foreign key would stop the function."""
    floor = min(cutoff, timezone.now() - datetime.timedelta(days=30))  # the function's own floor
    for entry in DigestEntry.objects.filter(mail__in=mail_delivered_before(floor)):
        entry._change_reason = "gallring: sammanfattningen är levererad och borttagen"
        entry.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_outgoingmail_remove_delivered(%s)", [cutoff])
        return cursor.fetchone()[0]
