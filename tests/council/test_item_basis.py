"""The item page gives the basis for a decision and warns before a recording that cannot decide (issue 12,
item 3)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from council import services
from council.models import Proposal
from initiatives.models import BudgetYear, CoFinancing, Preparation
from tests.council.conftest import all_present
from tests.council.factories import InitiativeFactory, MeetingFactory, body

pytestmark = pytest.mark.django_db


def _with_basis(initiative, user):
    BudgetYear.objects.create(
        initiative=initiative,
        year=2026,
        total_cost=Decimal("4000000.00"),
        requested_amount=Decimal("3000000.00"),
    )
    CoFinancing.objects.create(
        initiative=initiative, year=2026, source="eu", funder="Interreg", amount=Decimal("1000000.00")
    )
    Preparation.objects.create(
        initiative=initiative,
        assessment="Stärker hela länets laddnät; medfinansiering från EU.",
        proposed_position="support",
        proposed_amount=Decimal("2500000.00"),
        prepared_by=user,
    )
    return initiative


def test_at_vrau_the_item_page_shows_vrags_preparation_and_starts_from_its_amount(
    client, secretariat, parties
):
    meeting = MeetingFactory(body=body("vrau"), created_by=secretariat)
    initiative = _with_basis(
        InitiativeFactory(
            title="Laddinfrastruktur", summary="Laddplatser längs stråken.", created_by=secretariat
        ),
        secretariat,
    )
    item = services.item_add(meeting=meeting, user=secretariat, initiative=initiative)
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    all_present(meeting, secretariat, parties)
    client.force_login(secretariat)
    page = client.get(reverse("council:item-record", args=[meeting.pk, item.pk])).content.decode()
    page = page.replace("\xa0", " ")
    assert "Laddplatser längs stråken." in page
    assert "3 000 000,00 kr" in page  # requested
    assert "4 000 000,00 kr" in page and "1 000 000,00 kr" in page  # budget, co-financing
    assert "Stärker hela länets laddnät" in page and "Tillstyrk" in page
    assert 'name="prop-proposed_amount" value="2 500 000,00"' in page
    assert "17 parter närvarande, 17 krävs – beslut kan fattas." in page


def test_at_varmlandsradet_the_page_shows_vraus_proposal_and_warns_when_a_party_is_absent(
    client, secretariat, parties
):
    vrau = MeetingFactory(body=body("vrau"), created_by=secretariat)
    initiative = _with_basis(InitiativeFactory(created_by=secretariat), secretariat)
    vrau_item = services.item_add(meeting=vrau, user=secretariat, initiative=initiative)
    services.meeting_publish_agenda(meeting=vrau, user=secretariat)
    all_present(vrau, secretariat, parties)
    services.proposal_record(
        item=vrau_item, proposed_amount=Decimal("2200000.00"), text="VRAU föreslår stöd.", user=secretariat
    )
    meeting = MeetingFactory(starts_at=vrau.starts_at.replace(day=20), created_by=secretariat)
    item = services.item_add(meeting=meeting, user=secretariat, initiative=initiative)
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    all_present(meeting, secretariat, parties, absent={"eda"})
    client.force_login(secretariat)
    page = client.get(reverse("council:item-record", args=[meeting.pk, item.pk])).content.decode()
    page = page.replace("\xa0", " ")
    assert "VRAU föreslår stöd." in page and "2 200 000,00 kr" in page
    assert 'name="dec-supported_amount" value="2 200 000,00"' in page
    assert "16 av 17 parter närvarande – beslut kan inte fattas." in page
    assert "Registrera ändå som ej beslutbart" in page
    assert Proposal.objects.count() == 1  # the GET changed nothing
