"""Demo payment requests: Karlstad asks for money for the charging infrastructure along E18 (accounting demo):
one request approved and paid, one waiting for finance, one finance asked Karlstad to complete.

Idempotent: made only when the initiative has no requests yet.
"""

from datetime import date
from decimal import Decimal

from accounting.demo import LADDNING, demo_payment
from accounting.models import Commitment
from payments import services
from payments.models import PaymentRequest
from people.models import User


def _content(commitment, amount, start, end, costs, description):
    payment = demo_payment(commitment.initiative)
    return services.RequestContent(
        commitment=commitment,
        amount=Decimal(amount),
        period_start=start,
        period_end=end,
        costs_incurred=Decimal(costs),
        description=description,
        payee=payment.payee,
        bank_account_kind=payment.account_kind,
        bank_account_number=payment.account_number,
        payment_reference=payment.reference,
    )


def load(*, password: str, stdout) -> None:
    commitment = (
        Commitment.objects.filter(initiative__title=LADDNING)
        .select_related("initiative")
        .order_by("id")
        .first()
    )
    if commitment is None:
        stdout.write("  inga rekvisitioner: demons åtagande för laddinfrastrukturen saknas")
        return
    if PaymentRequest.objects.filter(initiative=commitment.initiative).exists():
        stdout.write("  rekvisitionerna fanns redan")
        return
    karlstad, finance = User.objects.get(username="karlstad"), User.objects.get(username="ekonomi")
    paid = services.payment_request_submit(
        content=_content(
            commitment,
            "1000000",
            date(2026, 3, 1),
            date(2026, 5, 31),
            "1150000",
            "Markarbeten och elanslutning för sex laddplatser i Kil och Arvika.",
        ),
        user=karlstad,
    )
    services.payment_request_approve(
        payment_request=paid,
        booking_date=date(2026, 6, 15),
        text=f"Utbetalning enligt rekvisition: {LADDNING}",
        payee=paid.payee,
        bank_account_kind=paid.bank_account_kind,
        bank_account_number=paid.bank_account_number,
        payment_reference=paid.payment_reference,
        user=finance,
    )
    services.payment_request_submit(
        content=_content(
            commitment,
            "500000",
            date(2026, 6, 1),
            date(2026, 8, 31),
            "540000",
            "Laddstolpar och driftsättning i Eda.",
        ),
        user=karlstad,
    )
    asked = services.payment_request_submit(
        content=_content(
            commitment,
            "400000",
            date(2026, 9, 1),
            date(2026, 10, 31),
            "0",
            "Förskott för upphandlingen av etapp 3.",
        ),
        user=karlstad,
    )
    services.payment_request_ask_for_more(
        payment_request=asked,
        message="Bifoga upphandlingens tidplan och förklara varför förskott behövs.",
        user=finance,
    )
    stdout.write("  tre rekvisitioner för laddinfrastrukturen (en utbetald, en väntar, en att komplettera)")
