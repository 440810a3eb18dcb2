"""Payment requests (rekvisitioner): how an initiative asks for the money it was granted.

Models
- PaymentRequest: an initiator's request for a payment against one of the initiative's commitments: the
  amount, the period it concerns, the costs incurred in it, a description, attachments, and where to pay
  (payee, bankgiro/plusgiro/IBAN, reference). Finance approves it — which books the disbursement through
  `accounting.services.disbursement_record` in the same transaction and links its verification — asks for
  more (a message to the initiator, who completes the request and sends it back), or rejects it with a
  reason. The path is one table (TRANSITIONS); every change is a history row.
- PaymentRequestAttachment: a file with the request (cost statements, invoices), checked by core.uploads
  and downloaded only through a view that checks the reader may see the request.

Invariants in the database
- amount > 0, costs incurred ≥ 0, the period ends on or after its start, the status is a known one;
- approved ⇔ a disbursement verification is linked (and each verification pays at most one request);
- a request waiting for a complement has finance's message; a rejected one its reason;
- the account number has its kind's shape (accounting/bank.py checks the check digits).
Across rows (in the services, under locks): a request asks for no more than what remains of its commitment
after the other requests still pending on it; an approval pays no more than what remains (accounting's
own lock and check, so concurrent approvals cannot over-disburse).

Who: the officials (initiators) of the initiative's party submit, complete and follow; finance approves,
asks for more or rejects; the auditor reads; nobody else sees them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounting import bank
from core.money import MoneyField


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Inskickad")
    COMPLEMENT_REQUESTED = "complement_requested", _("Komplettering begärd")
    RESUBMITTED = "resubmitted", _("Kompletterad")
    APPROVED = "approved", _("Godkänd och utbetald")
    REJECTED = "rejected", _("Avslagen")


# Where each status may go. Finance may reject while it waits for a complement (the initiative may have
# no more costs); an approved or rejected request is final (a new request is a new row).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.COMPLEMENT_REQUESTED, Status.APPROVED, Status.REJECTED}),
    Status.COMPLEMENT_REQUESTED: frozenset({Status.RESUBMITTED, Status.REJECTED}),
    Status.RESUBMITTED: frozenset({Status.COMPLEMENT_REQUESTED, Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset(),
    Status.REJECTED: frozenset(),
}
WAITING_FOR_FINANCE = frozenset({Status.SUBMITTED, Status.RESUBMITTED})
PENDING = frozenset({Status.SUBMITTED, Status.COMPLEMENT_REQUESTED, Status.RESUBMITTED})


class PaymentRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=PENDING)

    def waiting_for_finance(self):
        return self.filter(status__in=WAITING_FOR_FINANCE)


class PaymentRequest(models.Model):
    Status = Status

    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        related_name="payment_requests",
        verbose_name=_("initiativ"),
    )
    commitment = models.ForeignKey(
        "accounting.Commitment",
        on_delete=models.PROTECT,
        related_name="payment_requests",
        verbose_name=_("åtagande"),
    )
    amount = MoneyField(_("begärt belopp"))
    period_start = models.DateField(_("perioden från"))
    period_end = models.DateField(_("perioden till och med"))
    costs_incurred = MoneyField(
        _("upparbetade kostnader"), help_text=_("Kostnaderna under perioden som utbetalningen avser.")
    )
    description = models.TextField(_("vad pengarna har använts till"), max_length=4000)
    payee = models.CharField(_("betalningsmottagare"), max_length=bank.MAX_PAYEE)
    bank_account_kind = models.CharField(_("kontotyp"), max_length=10, choices=bank.AccountKind.choices)
    bank_account_number = models.CharField(_("kontonummer"), max_length=34)
    payment_reference = models.CharField(
        _("OCR-nummer eller meddelande"), max_length=bank.MAX_REFERENCE, blank=True
    )
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.SUBMITTED)
    finance_message = models.TextField(
        _("ekonomis fråga"), max_length=4000, blank=True, help_text=_("Vad som behöver kompletteras.")
    )
    complement_reply = models.TextField(_("svar på kompletteringen"), max_length=4000, blank=True)
    rejection_reason = models.TextField(_("skäl för avslag"), max_length=4000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inskickad av")
    )
    submitted_at = models.DateTimeField(_("inskickad"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    verification = models.OneToOneField(
        "accounting.Verification",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_request",
        verbose_name=_("utbetalning"),
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PaymentRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rekvisition")
        verbose_name_plural = _("rekvisitioner")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_request_amount_positive"),
            models.CheckConstraint(
                condition=Q(costs_incurred__gte=0), name="payment_request_costs_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="payment_request_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="payment_request_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="approved", verification__isnull=False)
                | Q(~Q(status="approved"), verification__isnull=True),
                name="payment_request_approved_has_disbursement",
            ),
            models.CheckConstraint(
                condition=~Q(status="complement_requested") | Q(finance_message__regex=r"\S"),
                name="payment_request_complement_has_message",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | Q(rejection_reason__regex=r"\S"),
                name="payment_request_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(payee__regex=r"\S")
                & bank.account_number_shape("bank_account_kind", "bank_account_number"),
                name="payment_request_account_shape",
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="payment_request_status")]

    def __str__(self):
        return _("Rekvisition %(id)s") % {"id": self.pk}

    @property
    def status_tag(self) -> str:
        """The CSS modifier that colours the status tag."""
        return {
            Status.APPROVED: "tag--ok",
            Status.COMPLEMENT_REQUESTED: "tag--warn",
            Status.REJECTED: "tag--error",
        }.get(self.status, "tag--info")

    @property
    def is_final(self) -> bool:
        return not TRANSITIONS[self.status]

    @property
    def account_display(self) -> str:
        return bank.account_number_display(self.bank_account_kind, self.bank_account_number)


def attachment_path(instance, filename: str) -> str:
    # A generated name: the uploader's file name is kept only as data, never as a path.
    return f"payment_requests/{uuid.uuid4().hex}"


class PaymentRequestAttachment(models.Model):
    payment_request = models.ForeignKey(
        PaymentRequest, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("rekvisition")
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(_("filtyp"), max_length=120)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bilaga till rekvisition")
        verbose_name_plural = _("bilagor till rekvisitioner")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
