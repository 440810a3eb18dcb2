"""What waits in payment requests (core/todo.py): for finance, the requests to handle; for an initiator,
their party's requests finance asked them to complete."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_amount
from core.todo import TodoEntry, TodoKind, register
from payments import selectors
from payments.models import PaymentRequest


def _waiting_entry(payment_request: PaymentRequest, today: datetime.date) -> TodoEntry:
    initiative = payment_request.initiative
    days = (today - timezone.localdate(payment_request.submitted_at)).days
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title} ({initiative.party.name})",
        reverse("payments:request-detail", args=[payment_request.pk]),
        _("%(amount)s, %(status)s, väntat %(days)s dagar")
        % {
            "amount": format_amount(payment_request.amount),
            "status": payment_request.get_status_display().lower(),
            "days": days,
        },
    )


def _complete_entry(payment_request: PaymentRequest, today: datetime.date) -> TodoEntry:
    initiative = payment_request.initiative
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title}",
        reverse("payments:request-complete", args=[payment_request.pk]),
        _("rekvisition om %(amount)s: ekonomi behöver mer underlag")
        % {"amount": format_amount(payment_request.amount)},
    )


def register_todos() -> None:
    register(
        TodoKind(
            "payments.requests-waiting",
            gettext_lazy("Rekvisitioner att behandla"),
            "payments:request-list",
            lambda user, today: selectors.payment_requests_waiting(user),
            _waiting_entry,
            order=95,
        )
    )
    register(
        TodoKind(
            "payments.requests-to-complete",
            gettext_lazy("Rekvisitioner att komplettera"),
            "initiatives:initiative-list",
            lambda user, today: selectors.payment_requests_to_complete(user),
            _complete_entry,
            order=35,
        )
    )
