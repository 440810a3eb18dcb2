"""Every change to a payment request: one function per step, each in one transaction, with history.

submit (initiator) → [ask for more (finance) → complete (initiator)]* → approve (finance: books the
disbursement) | reject (finance, with a reason). The allowed steps are `models.TRANSITIONS`.

What a request may ask for: no more than remains of its commitment (granted, less disbursed and released)
after the other requests still pending on it. Pending requests count because each of them is money the
initiative has already asked for: were they left out, two requests could each fit while together they ask
for more than is left, and finance would find out only when approving the second. The check runs with the
initiative's row locked (FOR NO KEY UPDATE), so two requests sent at once are checked one after the other.

Approving pays through `accounting.services.disbursement_record` in the same transaction: accounting
locks the capital part and refuses more than the commitment's remaining amount, so concurrent approvals
(or an approval racing a disbursement finance books directly) never pay out more than was granted. The
request's row is locked first, so one request is approved once; the same approval sent again (its form's
one-time key) returns the request as it was approved.

Mail goes through core.mail in the same transaction: finance hears of a new or completed request, the
initiative's party of finance's question, approval or rejection.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting.bank import payment_details
from accounting.models import Commitment
from accounting.services import checked_amount, commitment_figures, disbursement_record
from core.language import in_swedish
from core.mail import absolute_url, mail_queue
from core.money import format_amount
from core.services import idempotency_key_claim
from core.uploads import DOCUMENTS, check_upload, stored_name
from initiatives.models import Initiative
from payments import permissions, selectors
from payments.models import TRANSITIONS, PaymentRequest, PaymentRequestAttachment, Status
from people.models import User
from people.roles import Role

MAX_TEXT = 4000


@dataclass(frozen=True)
class RequestContent:
    """What the initiator asks for (the request form's fields)."""

    commitment: Commitment
    amount: Decimal
    period_start: date
    period_end: date
    costs_incurred: Decimal
    description: str
    payee: str
    bank_account_kind: str
    bank_account_number: str
    payment_reference: str = ""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Du har inte behörighet att göra det med rekvisitionen."))


def _track(obj, user: User, reason: str):
    obj._history_user = user
    obj._change_reason = reason[:100]
    return obj


def _lock(payment_request: PaymentRequest) -> PaymentRequest:
    # Only the request's row (`of`): the initiative is locked where its own rules say (see the module).
    return (
        PaymentRequest.objects.select_for_update(of=("self",))
        .select_related("initiative")
        .get(pk=payment_request.pk)
    )


def _require_step(payment_request: PaymentRequest, to: str) -> None:
    if to not in TRANSITIONS[payment_request.status]:
        raise ValidationError(
            _("Rekvisitionen har status ”%(status)s” och kan inte få status ”%(to)s”.")
            % {"status": Status(payment_request.status).label, "to": Status(to).label},
            code="wrong_state",
        )


def _text(value: str, field: str, required_message: str, errors: dict) -> str:
    value = str(value or "").strip()
    if not value:
        errors.setdefault(field, []).append(ValidationError(required_message, code="required"))
    elif len(value) > MAX_TEXT:
        errors.setdefault(field, []).append(
            ValidationError(_("Texten får vara högst %(max)s tecken.") % {"max": MAX_TEXT}, code="max_length")
        )
    return value


def _written(value: str, field: str, required_message: str) -> str:
    """A text finance must write (a question, a reason), or the refusal next to its field."""
    errors: dict = {}
    value = _text(value, field, required_message, errors)
    if errors:
        raise ValidationError(errors)
    return value


def _checked(content: RequestContent) -> dict:
    """The request's fields ready to store, or one ValidationError naming every field that is wrong."""
    errors: dict[str, list] = {}
    values: dict = {}
    for field in ("amount", "costs_incurred"):
        try:
            values[field] = checked_amount(getattr(content, field), field)
        except ValidationError as error:
            if field == "costs_incurred" and getattr(content, field) == 0:
                values[field] = Decimal("0.00")  # no costs yet is an answer (an advance), not an error
                continue
            errors.setdefault(field, []).extend(error.error_dict[field])
    if content.period_start and content.period_end and content.period_end < content.period_start:
        errors.setdefault("period_end", []).append(
            ValidationError(_("Perioden kan inte sluta före den börjar."), code="period")
        )
    values["description"] = _text(
        content.description, "description", _("Beskriv vad pengarna har använts till."), errors
    )
    try:
        payment = payment_details(
            payee=content.payee,
            account_kind=content.bank_account_kind,
            account_number=content.bank_account_number,
            reference=content.payment_reference,
        )
    except ValidationError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    else:
        values.update(
            payee=payment.payee,
            bank_account_kind=payment.account_kind,
            bank_account_number=payment.account_number,
            payment_reference=payment.reference,
        )
    if errors:
        raise ValidationError(errors)
    values.update(
        commitment=content.commitment, period_start=content.period_start, period_end=content.period_end
    )
    return values


def _checked_uploads(uploads) -> list:
    """Every file through the one upload checker, before any lock (reading a large file takes time)."""
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, check_upload(upload, allowed=DOCUMENTS)))
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
    return checked


def _within_commitment(commitment: Commitment, amount: Decimal, *, excluding: PaymentRequest | None) -> None:
    """Refuse asking for more than remains of the commitment after the other pending requests. The caller
    holds the initiative's row lock, so concurrent requests on it are checked one at a time."""
    remaining = commitment_figures(commitment)["remaining"]
    pending = selectors.pending_on_commitment(commitment, excluding=excluding)
    if amount > remaining - pending:
        if pending:
            message = _(
                "Det går att begära högst %(left)s: av åtagandet återstår %(remaining)s att betala ut, och "
                "%(pending)s av det är redan begärt i andra rekvisitioner som väntar."
            ) % {
                "left": format_amount(max(remaining - pending, Decimal("0.00"))),
                "remaining": format_amount(remaining),
                "pending": format_amount(pending),
            }
        else:
            message = _(
                "Det går att begära högst %(left)s: så mycket återstår av åtagandet att betala ut."
            ) % {"left": format_amount(remaining)}
        raise ValidationError({"amount": message}, code="over_remaining")


def _lock_initiative(initiative_id: int) -> Initiative:
    # NO KEY UPDATE: it queues requests on the initiative, yet lets ledger rows that refer to it be inserted.
    return Initiative.objects.select_for_update(no_key=True).get(pk=initiative_id)


def _attach(payment_request: PaymentRequest, checked_uploads, user: User) -> None:
    for upload, checked in checked_uploads:
        attachment = PaymentRequestAttachment(
            payment_request=payment_request,
            original_name=checked.display_name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=user,
        )
        attachment.file.save(stored_name(checked.extension), upload, save=False)
        # If the transaction fails after this, the stored file is orphaned: harmless, never served.
        _track(attachment, user, "attachment added").save()


@transaction.atomic
def payment_request_submit(
    *, content: RequestContent, user: User, uploads=(), idempotency_key: uuid.UUID | None = None
) -> PaymentRequest:
    """An initiator asks for a payment against one of their initiative's commitments."""
    initiative = content.commitment.initiative
    _require(permissions.can_request_payment(user, initiative))
    values = _checked(content)
    checked_uploads = _checked_uploads(uploads)
    claim = {"content": content, "uploads": list(uploads)}
    if not idempotency_key_claim(key=idempotency_key, action="payments.submit", content=claim, user=user):
        return PaymentRequest.objects.get(idempotency_key=idempotency_key)
    initiative = _lock_initiative(initiative.pk)
    _require(permissions.can_request_payment(user, initiative))
    _within_commitment(content.commitment, values["amount"], excluding=None)
    payment_request = PaymentRequest(
        initiative=initiative,
        submitted_by=user,
        submitted_at=timezone.now(),
        status=Status.SUBMITTED,
        idempotency_key=idempotency_key,
        **values,
    )
    payment_request.full_clean(exclude=["idempotency_key"])
    _track(payment_request, user, "submitted").save()
    _attach(payment_request, checked_uploads, user)
    _notify_finance(payment_request, completed=False)
    return payment_request


@transaction.atomic
def payment_request_complete(
    *, payment_request: PaymentRequest, content: RequestContent, reply: str, user: User, uploads=()
) -> PaymentRequest:
    """The initiator answers finance's question: the request, changed as needed, goes back to finance."""
    _require(permissions.is_initiator_of(user, payment_request.initiative))  # the status: once locked
    errors: dict = {}
    reply = _text(reply, "complement_reply", _("Skriv vad du har kompletterat."), errors)
    try:
        values = _checked(content)
    except ValidationError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if content.commitment.initiative_id != payment_request.initiative_id:
        raise ValidationError({"commitment": _("Åtagandet hör till ett annat initiativ.")})
    checked_uploads = _checked_uploads(uploads)
    locked = _lock(payment_request)
    _require(permissions.can_complete_payment_request(user, locked))
    _require_step(locked, Status.RESUBMITTED)
    _lock_initiative(locked.initiative_id)
    _within_commitment(content.commitment, values["amount"], excluding=locked)
    for field, value in values.items():
        setattr(locked, field, value)
    locked.complement_reply = reply
    locked.status = Status.RESUBMITTED
    locked.full_clean(exclude=["idempotency_key"])
    _track(locked, user, "completed").save()
    _attach(locked, checked_uploads, user)
    _notify_finance(locked, completed=True)
    return locked


@transaction.atomic
def payment_request_ask_for_more(
    *, payment_request: PaymentRequest, message: str, user: User
) -> PaymentRequest:
    """Finance asks the initiator to complete the request; the message is mailed to them."""
    _require(permissions.can_handle_payment_requests(user))
    message = _written(message, "message", _("Skriv vad som behöver kompletteras."))
    locked = _lock(payment_request)
    _require_step(locked, Status.COMPLEMENT_REQUESTED)
    locked.status = Status.COMPLEMENT_REQUESTED
    locked.finance_message = message
    _track(locked, user, "complement requested").save()
    _notify_initiator(locked)
    return locked


@transaction.atomic
def payment_request_approve(
    *,
    payment_request: PaymentRequest,
    booking_date: date,
    text: str,
    payee: str,
    bank_account_kind: str,
    bank_account_number: str,
    payment_reference: str,
    user: User,
    idempotency_key: uuid.UUID | None = None,
) -> PaymentRequest:
    """Finance approves: the disbursement is booked (with where it is paid) and linked, in one transaction.

    Finance confirms or corrects the payment details the initiator proposed; the verification records what
    was paid, the request keeps what was asked for."""
    _require(permissions.can_handle_payment_requests(user))
    payment = payment_details(
        payee=payee,
        account_kind=bank_account_kind,
        account_number=bank_account_number,
        reference=payment_reference,
    )
    locked = _lock(payment_request)
    if (
        idempotency_key is not None
        and locked.status == Status.APPROVED
        and locked.verification.idempotency_key == idempotency_key
    ):
        return locked  # this very approval, sent again: it is done
    _require_step(locked, Status.APPROVED)
    verification = disbursement_record(
        commitment=locked.commitment,
        amount=locked.amount,
        booking_date=booking_date,
        text=text,
        user=user,
        payment=payment,
        idempotency_key=idempotency_key,
    )
    locked.status = Status.APPROVED
    locked.verification = verification
    locked.decided_by = user
    locked.decided_at = timezone.now()
    _track(locked, user, "approved").save()
    _notify_initiator(locked)
    return locked


@transaction.atomic
def payment_request_reject(*, payment_request: PaymentRequest, reason: str, user: User) -> PaymentRequest:
    """Finance rejects the request, saying why; nothing is paid."""
    _require(permissions.can_handle_payment_requests(user))
    reason = _written(reason, "reason", _("Skriv skälet till avslaget."))
    locked = _lock(payment_request)
    _require_step(locked, Status.REJECTED)
    locked.status = Status.REJECTED
    locked.rejection_reason = reason
    locked.decided_by = user
    locked.decided_at = timezone.now()
    _track(locked, user, "rejected").save()
    _notify_initiator(locked)
    return locked


# --- mail ----------------------------------------------------------------------------------------------


def _url(payment_request: PaymentRequest) -> str:
    return absolute_url(reverse("payments:request-detail", args=[payment_request.pk]))


@in_swedish()
def _notify_finance(payment_request: PaymentRequest, *, completed: bool) -> None:
    initiative = payment_request.initiative
    subject = (
        _("Kompletterad rekvisition: %(amount)s till %(number)s")
        if completed
        else _("Ny rekvisition: %(amount)s till %(number)s")
    ) % {"amount": format_amount(payment_request.amount), "number": initiative.registration_number}
    body = _(
        "%(party)s begär utbetalning av %(amount)s för ”%(title)s” (%(number)s), "
        "perioden %(start)s – %(end)s.\n\n"
        "Granska och godkänn rekvisitionen i DGR:\n\n%(url)s\n"
    ) % {
        "party": initiative.party.name,
        "amount": format_amount(payment_request.amount),
        "title": initiative.title,
        "number": initiative.registration_number,
        "start": payment_request.period_start.isoformat(),
        "end": payment_request.period_end.isoformat(),
        "url": _url(payment_request),
    }
    recipients = (
        User.objects.filter(is_active=True, groups__name=Role.FINANCE)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    mail_queue(subject=subject, body=body, recipients=recipients, event="payment-request-waiting")


@in_swedish()
def _notify_initiator(payment_request: PaymentRequest) -> None:
    """The party's initiators and the one who sent the request hear what finance did."""
    initiative = payment_request.initiative
    values = {
        "amount": format_amount(payment_request.amount),
        "title": initiative.title,
        "number": initiative.registration_number,
        "url": _url(payment_request),
    }
    if payment_request.status == Status.COMPLEMENT_REQUESTED:
        subject = _("Rekvisitionen för %(number)s behöver kompletteras") % values
        body = _(
            "Region Värmlands ekonomi behöver mer underlag för rekvisitionen om %(amount)s "
            "för ”%(title)s”:\n\n"
            "%(message)s\n\nKomplettera rekvisitionen i DGR:\n\n%(url)s\n"
        ) % {**values, "message": payment_request.finance_message}
    elif payment_request.status == Status.APPROVED:
        subject = _("Rekvisitionen för %(number)s är godkänd") % values
        body = _(
            "Rekvisitionen om %(amount)s för ”%(title)s” är godkänd och utbetalningen är bokförd "
            "(verifikation %(verification)s, bokföringsdag %(date)s).\n\n%(url)s\n"
        ) % {
            **values,
            "verification": payment_request.verification.number_label,
            "date": payment_request.verification.booking_date.isoformat(),
        }
    else:
        subject = _("Rekvisitionen för %(number)s är avslagen") % values
        body = _(
            "Rekvisitionen om %(amount)s för ”%(title)s” är avslagen. Skäl:\n\n%(reason)s\n\n%(url)s\n"
        ) % {
            **values,
            "reason": payment_request.rejection_reason,
        }
    people = User.objects.filter(is_active=True).exclude(email="")
    recipients = set(
        people.filter(party_id=initiative.party_id, groups__name=Role.INITIATOR).values_list(
            "email", flat=True
        )
    )
    submitter = payment_request.submitted_by
    if submitter.is_active and submitter.email:
        recipients.add(submitter.email)
    mail_queue(subject=subject, body=body, recipients=recipients, event="payment-request-answered")
