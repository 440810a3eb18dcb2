"""Payment request pages: asking, following, finance's queue and steps, downloads; the query budget."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting.models import Kind, Verification
from payments import services
from payments.models import PaymentRequest, Status
from tests.payments.conftest import PDF, pdf, submit

D = Decimal
pytestmark = pytest.mark.django_db


def _key(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', response.content.decode()).group(1)


def _form(commitment, **changes) -> dict:
    data = {
        "commitment": str(commitment.pk),
        "amount": "250 000",
        "period_start": "2026-03-01",
        "period_end": "2026-05-31",
        "costs_incurred": "260 000",
        "description": "Projektering.",
        "payee": "Karlstads kommun",
        "bank_account_kind": "bankgiro",
        "bank_account_number": "991-2346",
        "payment_reference": "Faktura 4711",
    }
    data.update(changes)
    return data


def test_the_initiative_page_offers_its_initiators_to_ask_for_payment(
    client, commitment, initiator, other_initiator
):
    initiative = commitment.initiative
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Begär utbetalning" in page
    assert reverse("payments:request-create", args=[initiative.pk]) in page
    client.force_login(other_initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Begär utbetalning" not in page and "Rekvisitioner (begärda utbetalningar)" not in page


def test_an_initiator_asks_for_payment_with_an_attachment(client, commitment, initiator):
    client.force_login(initiator)
    url = reverse("payments:request-create", args=[commitment.initiative_id])
    form = client.get(url)
    assert "Kan begäras (kr)" in form.content.decode()
    response = client.post(url, {**_form(commitment), "idempotency_key": _key(form), "file": pdf()})
    request = PaymentRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "payments:request-detail", args=[request.pk]
    )
    assert (request.amount, request.status, request.attachments.count()) == (
        D("250000.00"),
        Status.SUBMITTED,
        1,
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Inskickad" in detail and "kostnader.pdf" in detail and "991-2346" in detail
    page = client.get(commitment.initiative.get_absolute_url()).content.decode()
    assert "250\u00a0000,00" in page


def test_a_wrong_account_number_is_shown_next_to_the_field_and_nothing_is_saved(
    client, commitment, initiator
):
    client.force_login(initiator)
    url = reverse("payments:request-create", args=[commitment.initiative_id])
    response = client.post(
        url,
        {**_form(commitment, bank_account_number="12345"), "idempotency_key": _key(client.get(url))},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bank_account_number"] == [
        "Ett bankgironummer har 7 eller 8 siffror, inte 5."
    ]
    assert not PaymentRequest.objects.exists()


def test_asking_for_more_than_remains_is_shown_next_to_the_amount(client, commitment, initiator):
    client.force_login(initiator)
    url = reverse("payments:request-create", args=[commitment.initiative_id])
    response = client.post(
        url, {**_form(commitment, amount="2 000 000,01"), "idempotency_key": _key(client.get(url))}
    )
    assert response.context["form"].errors["amount"] == [
        "Det går att begära högst 2\u00a0000\u00a0000,00\u00a0kr: "
        "så mycket återstår av åtagandet att betala ut."
    ]


def test_finance_approves_from_the_queue_and_the_ledger_shows_payee_and_reference(
    client, commitment, initiator, finance
):
    request = submit(commitment, initiator)
    client.force_login(finance)
    queue = client.get(reverse("payments:request-list")).content.decode()
    assert reverse("payments:request-detail", args=[request.pk]) in queue
    url = reverse("payments:request-approve", args=[request.pk])
    form = client.get(url)
    assert 'value="991-2346"' in form.content.decode()  # the initiator's proposal, as people write it
    response = client.post(
        url,
        {
            "booking_date": "2026-06-15",
            "text": "Utbetalning enligt rekvisition",
            "payee": "Karlstads kommun",
            "bank_account_kind": "bankgiro",
            "bank_account_number": "991-2346",
            "payment_reference": "OCR 1234567897",
            "idempotency_key": _key(form),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    paid = Verification.objects.get(kind=Kind.DISBURSEMENT)
    ledger = client.get(reverse("accounting:verification-detail", args=[commitment.fund.slug, paid.pk]))
    assert "Karlstads kommun" in ledger.content.decode() and "OCR 1234567897" in ledger.content.decode()
    client.force_login(initiator)
    money = client.get(
        reverse("accounting:initiative-money", args=[commitment.initiative_id])
    ).content.decode()
    assert "Karlstads kommun, Bankgiro 991-2346, OCR 1234567897" in money


def test_finance_asks_for_more_and_the_initiator_completes(client, commitment, initiator, finance):
    request = submit(commitment, initiator)
    client.force_login(finance)
    response = client.post(
        reverse("payments:request-ask-for-more", args=[request.pk]), {"message": "Fakturor?"}
    )
    assert response.status_code == 302
    client.force_login(initiator)
    url = reverse("payments:request-complete", args=[request.pk])
    form = client.get(url).content.decode()
    assert "Fakturor?" in form and 'value="991-2346"' in form
    response = client.post(url, {**_form(commitment), "complement_reply": "Bifogade."})
    assert response.status_code == 302, response.context["form"].errors
    request.refresh_from_db()
    assert request.status == Status.RESUBMITTED and request.amount == D("250000.00")


def test_a_step_that_the_status_does_not_allow_says_so(client, commitment, initiator, finance):
    request = submit(commitment, initiator)
    services.payment_request_reject(payment_request=request, reason="Nej.", user=finance)
    client.force_login(finance)
    response = client.get(reverse("payments:request-approve", args=[request.pk]), follow=True)
    assert "det steget går inte att ta nu" in response.content.decode()


def test_attachments_are_downloaded_by_those_who_may_read_the_request(
    client, commitment, initiator, other_initiator, finance, auditor, secretariat
):
    request = submit(commitment, initiator)
    attachment = request.attachments.get()
    url = reverse("payments:attachment-download", args=[request.pk, attachment.pk])
    for user, status in (
        (initiator, 200),
        (finance, 200),
        (auditor, 200),
        (other_initiator, 404),
        (secretariat, 403),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["X-Content-Type-Options"] == "nosniff"


def test_finances_todo_lists_waiting_requests_and_the_initiators_those_to_complete(
    client, commitment, initiator, finance
):
    request = submit(commitment, initiator)
    client.force_login(finance)
    assert "Rekvisitioner att behandla" in client.get("/").content.decode()
    services.payment_request_ask_for_more(payment_request=request, message="Fakturor?", user=finance)
    assert "Rekvisitioner att behandla" not in client.get("/").content.decode()
    client.force_login(initiator)
    start = client.get("/").content.decode()
    assert "Rekvisitioner att komplettera" in start
    assert reverse("payments:request-complete", args=[request.pk]) in start


@pytest.mark.parametrize("count", [1, 12])
def test_the_queue_and_pages_keep_to_the_query_budget(
    client, commitment, initiator, finance, django_assert_max_num_queries, count
):
    requests = [submit(commitment, initiator, amount=D("1000.00")) for _ in range(count)]
    services.payment_request_approve(
        payment_request=submit(commitment, initiator, amount=D("1000.00")),
        booking_date=date(2026, 6, 15),
        text="Utbetalning",
        payee="Karlstads kommun",
        bank_account_kind="bankgiro",
        bank_account_number="9912346",
        payment_reference="",
        user=finance,
    )
    for user, url in (
        (finance, reverse("payments:request-list")),
        (finance, reverse("payments:request-detail", args=[requests[-1].pk])),
        (finance, reverse("payments:request-approve", args=[requests[-1].pk])),
        (initiator, reverse("payments:request-create", args=[commitment.initiative_id])),
        (initiator, commitment.initiative.get_absolute_url()),
        (initiator, reverse("initiatives:initiative-history", args=[commitment.initiative_id])),
        (finance, reverse("initiatives:initiative-history", args=[commitment.initiative_id])),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
