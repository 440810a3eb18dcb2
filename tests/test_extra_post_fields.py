"""Fields a form does not declare change nothing: a party, status, amount, creator or fund added to a
POST (by hand, or by a tampered form) is ignored, and the result is what the form alone decides."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting.models import Fund, Kind, Verification
from initiatives.models import ActionArea, BudgetYear, Initiative, Status
from tests.accounting.factories import make_fund
from tests.factories import initiative_draft
from tests.test_permission_matrix import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tampering(arvika, other_initiator, finance):
    """Hostile values for the five fields no form here may take from the client."""
    other_fund = make_fund(finance, slug="keolis")
    return {
        "party": arvika.pk,
        "status": Status.COMPLETED,
        "amount": "999999999",
        "created_by": other_initiator.pk,
        "fund": other_fund.pk,
    }


def test_initiative_create_ignores_extra_fields(client, initiator, karlstad, tampering):
    area = ActionArea.objects.get(name="Höja kompetensen")
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:initiative-create"),
        {
            "title": "Yrkesutbildning i hela länet",
            "summary": "Kort.",
            "kind": "operation",
            f"area_{area.pk}": "on",
            f"area_{area.pk}_motivation": "Höjer kompetensen.",
            "start_date": "2027-01-01",
            "end_date": "2028-12-31",
            **tampering,
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get(title="Yrkesutbildning i hela länet")
    assert initiative.party == karlstad
    assert initiative.status == Status.DRAFT
    assert initiative.created_by == initiator
    assert not initiative.budget_years.exists()


def test_initiative_edit_ignores_extra_fields(client, initiator, karlstad, tampering):
    draft = initiative_draft(initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:initiative-edit", args=[draft.pk]),
        {
            "title": "Ändrad titel",
            "summary": draft.summary,
            "kind": draft.kind,
            "start_date": "2027-01-01",
            "end_date": "2028-12-31",
            **tampering,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    draft.refresh_from_db()
    assert draft.title == "Ändrad titel"
    assert (draft.party, draft.status, draft.created_by) == (karlstad, Status.DRAFT, initiator)


def test_budget_year_add_ignores_extra_fields(client, initiator, tampering):
    draft = initiative_draft(
        initiator, complete=False, start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2028, 12, 31)
    )
    client.force_login(initiator)
    prefixed = {f"budget-{key}": value for key, value in tampering.items()}
    response = client.post(
        reverse("initiatives:budget-year-add", args=[draft.pk]),
        {
            "budget-year": "2027",
            "budget-total_cost": "100 000",
            "budget-requested_amount": "40 000",
            **tampering,
            **prefixed,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    row = BudgetYear.objects.get(initiative=draft)
    assert (row.total_cost, row.requested_amount) == (Decimal("100000.00"), Decimal("40000.00"))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_disbursement_ignores_extra_fields(client, world, finance, tampering):  # noqa: F811
    from accounting.models import Commitment

    commitment = Commitment.objects.get(pk=world["commitment"])
    client.force_login(finance)
    url = reverse("accounting:disbursement-create", args=[commitment.pk])
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', client.get(url).content.decode()).group(1)
    extras = {k: v for k, v in tampering.items() if k != "amount"}  # the amount is this form's own field
    response = client.post(
        url,
        {
            "amount": "1 000",
            "booking_date": "2027-03-01",
            "text": "Utbetalning",
            "idempotency_key": key,
            "payee": "Karlstads kommun",
            "bank_account_kind": "bankgiro",
            "bank_account_number": "991-2346",
            **extras,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    payment = Verification.objects.get(idempotency_key=key)
    assert payment.kind == Kind.DISBURSEMENT
    assert payment.fund == commitment.fund and payment.fund != Fund.objects.get(slug="keolis")
    assert payment.author == finance and payment.commitment == commitment
