"""Models shared by every part of DGR.

- AccessibilityReport: a problem with the service's accessibility reported by anyone, logged in or
  not (the Swedish DOS law requires a way to report one). Kept, never deleted; the secretariat
  marks it handled.
- IdempotencyKey: a form's one-time key, claimed by the first request that carries it, with the action
  and a fingerprint (SHA-256) of the request's content. A repeat of the same request (double click,
  resent form, concurrent or not) gets the first one's outcome; the same key with other content is
  refused. The row commits or rolls back with the outcome it guards, so a refused request leaves no
  claim and its corrected form can be sent again. Technical bookkeeping: the outcome itself carries the
  history; rows are never changed, and removed after DGR_RETENTION_KEY_DAYS (core/retention.py).
- OutgoingMail: one e-mail to one recipient, queued by core.mail in the transaction of the change it
  tells about (rolled back: never sent) and delivered by a worker. Its status moves waiting → sent, or
  waiting → failed after the last attempt; an administrator may put a failed mail back to waiting. The
  row is the record of what DGR told whom, and when; the database refuses a sent mail without its time
  and a change of a sent mail's content. A delivered mail is removed after DGR_RETENTION_MAIL_DAYS, only
  through the database's own function (its history, without the text, stays).
- RetentionRun: the trace of each application of a retention rule (core/retention.py).
- NotificationSetting: how one person wants to hear of one kind of event (core/notifications.py): an
  e-mail at once, in the daily digest, or not at all. No row means "at once". One row per person and
  event (unique); each change is kept in its history, and only the person changes their own.
- DigestEntry: an event kept for a person's daily digest instead of being mailed at once; the digest
  task sends each person's waiting entries as one mail and points each entry at it (`mail`, `sent_at`).
- OutgoingMailAttachment: a file sent with one mail (a meeting's notice PDF, its calendar invitation),
  stored with the mail in the same transaction and never changed; removed with its mail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dbroles import append_only


class AccessibilityReport(models.Model):
    page_url = models.CharField(_("sida"), max_length=500, blank=True)
    description = models.TextField(_("beskrivning av problemet"), max_length=5000)
    contact = models.CharField(_("e-post eller telefon (frivilligt)"), max_length=200, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("inrapporterad"), auto_now_add=True)
    handled_at = models.DateTimeField(_("hanterad"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tillgänglighetsrapport")
        verbose_name_plural = _("tillgänglighetsrapporter")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.reported_at:%Y-%m-%d} {self.description[:40]}"


class IdempotencyKey(models.Model):
    key = models.UUIDField(primary_key=True)
    action = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("engångsnyckel")
        verbose_name_plural = _("engångsnycklar")

    def __str__(self):
        return f"{self.action} {self.key}"


class OutgoingMail(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Väntar")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Misslyckades")

    recipient = models.EmailField(_("mottagare"), max_length=254)
    subject = models.CharField(_("ämne"), max_length=500)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.WAITING)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    last_error = models.TextField(_("senaste fel"), blank=True)
    queued_at = models.DateTimeField(_("köat"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    # A mail that carries a one-time link (an invitation, a password reset): its text is emptied when it
    # has been delivered, so the link lives in the database only until then (the invitation itself keeps
    # only its token's hash). The history never keeps any mail's text.
    one_time_link = models.BooleanField(_("innehåller en engångslänk"), default=False)

    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-queued_at", "-id"]
        indexes = [
            # The administrators' page and /healthz/ ask for what is not sent, which stays a small part.
            models.Index(fields=["queued_at"], name="core_mail_unsent_idx", condition=~Q(status="sent"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["waiting", "sent", "failed"]), name="core_mail_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False)
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="core_mail_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


@append_only
class RetentionRun(models.Model):
    """One application of one retention rule (core/retention.py): when, up to which age, how many rows it
    removed. The app role may only add rows: the trace of a removal cannot be removed."""

    rule = models.CharField(_("regel"), max_length=60)
    cutoff = models.DateTimeField(_("äldre än"))
    removed = models.PositiveIntegerField(_("borttagna"))
    ran_at = models.DateTimeField(_("körd"), auto_now_add=True)

    class Meta:
        verbose_name = _("gallring")
        verbose_name_plural = _("gallringar")
        ordering = ["-ran_at", "rule"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d} {self.rule}: {self.removed}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("E-post direkt")
    DIGEST = "digest", _("Daglig sammanfattning")
    NONE = "none", _("Ingen")


class NotificationSetting(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notification_settings",
        verbose_name=_("person"),
    )
    event = models.CharField(_("händelse"), max_length=50)
    delivery = models.CharField(_("e-post"), max_length=10, choices=Delivery, default=Delivery.IMMEDIATE)
    changed_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-postinställning")
        verbose_name_plural = _("e-postinställningar")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="core_notification_once_per_event"),
            models.CheckConstraint(
                condition=Q(delivery__in=["immediate", "digest", "none"]), name="core_notification_known"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} {self.event}: {self.delivery}"


class DigestEntry(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(_("händelse"), max_length=50)
    subject = models.CharField(_("ämne"), max_length=500)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("inträffade"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad i sammanfattning"), null=True, blank=True)
    mail = models.ForeignKey(
        OutgoingMail, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    # As for the mail itself, the history keeps who was told of what and when, not the text.
    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        verbose_name = _("händelse till daglig sammanfattning")
        verbose_name_plural = _("händelser till daglig sammanfattning")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"], name="core_digest_waiting_idx", condition=Q(sent_at=None)
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.subject}"


@append_only
class OutgoingMailAttachment(models.Model):
    mail = models.ForeignKey(
        OutgoingMail, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("e-post")
    )
    filename = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    content = models.BinaryField(_("innehåll"))

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("bilaga till e-post")
        verbose_name_plural = _("bilagor till e-post")
        ordering = ["mail", "pk"]

    def __str__(self):
        return self.filename
