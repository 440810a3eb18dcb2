"""The pages of early termination and recovery claims: thin views over the services, refusals next to the
field, what each reader sees."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting import services
from accounting.models import RecoveryClaim
from initiatives.models import Status

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def paid(commitment, finance):
    services.disbursement_record(
        commitment=commitment, amount=D("500000.00"), booking_date=date(2026, 3, 1), text="U", user=finance
    )
    return commitment


def test_the_termination_form_terminates_and_says_what_was_released(client, paid, initiative, finance):
    client.force_login(finance)
    url = reverse("accounting:initiative-terminate", args=[initiative.pk])
    page = client.get(url).content.decode()
    assert "data-confirm=" in page  # irreversible: the dialog asks first
    assert "1\u00a0500\u00a0000,00\u00a0kr, frigörs" in page
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED  # a GET changes nothing
    response = client.post(
        url, {"terminated_on": "2026-06-01", "reason": "Lagt ner.", "reference": ""}, follow=True
    )
    page = response.content.decode()
    assert "Initiativet är avbrutet." in page
    assert "Det oanvända beloppet 1\u00a0500\u00a0000,00\u00a0kr har frigjorts" in page
    assert "Region Värmland avbröt initiativet från och med 2026-06-01." in page
    initiative.refresh_from_db()
    assert initiative.status == Status.TERMINATED
    # Terminated, it cannot be terminated again: the page is gone.
    assert client.get(url).status_code == 404


def test_the_termination_form_shows_a_missing_reason_next_to_its_field(client, paid, initiative, finance):
    client.force_login(finance)
    response = client.post(
        reverse("accounting:initiative-terminate", args=[initiative.pk]),
        {"terminated_on": "2026-06-01", "reason": "", "reference": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED


def test_a_claim_above_what_was_paid_is_refused_next_to_the_amount(client, paid, initiative, finance):
    client.force_login(finance)
    url = reverse("accounting:recovery-claim-create", args=[initiative.pk])
    form = client.get(url).context["form"]
    data = {
        "idempotency_key": form.initial["idempotency_key"],
        "amount": "500 000,01",
        "reason": "Skäl",
        "reference": "",
        "decided_on": "2026-06-01",
        "due_on": "2026-07-01",
    }
    response = client.post(url, data)
    assert "Högst 500\u00a0000,00\u00a0kr" in response.context["form"].errors["amount"][0]
    assert not RecoveryClaim.objects.exists()
    data["amount"] = "200 000"
    response = client.post(url, data)
    claim = RecoveryClaim.objects.get()
    assert response.url == claim.get_absolute_url()


def test_the_party_sees_its_claim_and_another_party_does_not(
    client, paid, initiative, finance, initiator, other_initiator
):
    claim = services.recovery_claim_create(
        initiative=initiative,
        amount=D("1000.00"),
        reason="Pengar utanför beslutet.",
        decided_on=date(2026, 6, 1),
        due_on=date(2026, 6, 30),
        user=finance,
    )
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert f"Återkrav {claim.pk}" in page
    assert "förfallet" in page  # due 2026-06-30, not paid
    detail = client.get(claim.get_absolute_url()).content.decode()
    assert "Pengar utanför beslutet." in detail and "Bokför återbetalning" not in detail
    client.force_login(other_initiator)
    assert client.get(claim.get_absolute_url()).status_code == 404
    client.force_login(finance)
    listing = client.get(reverse("accounting:recovery-claim-list")).content.decode()
    assert "1 återkrav har förfallit" in listing
