"""The item page gives the basis for a decision and warns before a recording that cannot decide (issue 12,
item 3)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from council import services
from council.models import Proposal
from initiatives.models import BudgetYear, CoFinancing, Preparation
from tests.council.conftest import all_present, everyone, hold
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


def test_the_meeting_page_and_the_notice_never_state_a_proposal_whose_recording_was_annulled(
    client, secretariat, parties
):
    """One rule for VRAU's current proposal: the item's basis, the meeting page and the notice (read with
    the page's items, or for a single item) all leave out a proposal whose VRAU recording was annulled,
    even when it is the latest one recorded."""
    from django.utils import timezone

    from council import minutes, notices, selectors
    from council.models import AgendaItem

    vrau = MeetingFactory(body=body("vrau"), created_by=secretariat)
    initiative = InitiativeFactory(title="Laddinfrastruktur", created_by=secretariat)
    wrong = services.item_add(meeting=vrau, user=secretariat, initiative=initiative)
    services.meeting_publish_agenda(meeting=vrau, user=secretariat)
    all_present(vrau, secretariat, parties)
    services.proposal_record(
        item=wrong, proposed_amount=Decimal("3000000.00"), text="Felregistrerat förslag.", user=secretariat
    )
    again = minutes.item_annul(item=wrong, reason="Fel belopp.", user=secretariat)
    standing = services.proposal_record(
        item=again, proposed_amount=Decimal("2000000.00"), text="Det gällande förslaget.", user=secretariat
    )
    # The annulled recording as the latest one (as when a later cycle's recording is annulled).
    Proposal.objects.filter(item=wrong).update(recorded_at=standing.recorded_at + timezone.timedelta(hours=1))

    council = MeetingFactory(created_by=secretariat)
    item = services.item_add(meeting=council, user=secretariat, initiative=initiative)
    page = notices.notice_page(meeting=council)
    (view,) = page.items
    assert "Det gällande förslaget." in view.item.proposed_decision
    assert "Felregistrerat" not in view.item.proposed_decision
    single = notices.proposed_decisions(meeting=council, items=[AgendaItem.objects.get(pk=item.pk)])
    assert "Det gällande förslaget." in single[item.pk] and "2 000 000,00" in single[item.pk].replace(
        "\xa0", " "
    )
    assert selectors.meeting_page(meeting=council).items[0].item.latest_proposal_amount == Decimal(
        "2000000.00"
    )
    client.force_login(secretariat)
    html = client.get(reverse("council:item-record", args=[council.pk, item.pk])).content.decode()
    assert "Det gällande förslaget." in html and "Felregistrerat" not in html


def test_at_vrau_the_quorum_counts_the_parties_seated_in_it_not_all_seventeen(client, secretariat, parties):
    """VRAU is a committee: with three parties seated, three present reach its quorum (the page says so
    and a recording decides), where Värmlandsrådet still counts all 17 parties."""
    from council.models import Outcome, StanceKind
    from tests.council.factories import seat
    from tests.factories import UserFactory

    seated = parties[:3]
    for party in seated:
        seat(UserFactory(party=party), "vrau")
    meeting = MeetingFactory(body=body("vrau"), created_by=secretariat)
    item = services.item_add(meeting=meeting, user=secretariat, title="Verksamhetsplan", description="Plan.")
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    all_present(meeting, secretariat, seated)
    client.force_login(secretariat)
    page = client.get(reverse("council:item-record", args=[meeting.pk, item.pk])).content.decode()
    assert "3 parter närvarande, 3 krävs – beslut kan fattas." in page
    assert "av 17" not in page

    supports = dict.fromkeys(seated, (StanceKind.SUPPORTS, ""))
    services.item_decide(item=item, user=secretariat, stances=supports)
    item.refresh_from_db()
    assert item.outcome == Outcome.CONSENSUS

    council = MeetingFactory(starts_at=meeting.starts_at.replace(day=20), created_by=secretariat)
    council_item = services.item_add(meeting=council, user=secretariat, title="Information", description="-")
    services.meeting_publish_agenda(meeting=council, user=secretariat)
    all_present(council, secretariat, seated)
    page = client.get(reverse("council:item-record", args=[council.pk, council_item.pk])).content.decode()
    assert "3 av 17 parter närvarande – beslut kan inte fattas." in page


def test_the_meeting_page_states_vraus_proposal_until_the_item_is_decided(
    client, secretariat, parties, adjusters, django_assert_max_num_queries
):
    """The page shows an item's proposed decision until it is decided; once the meeting is held (every
    item decided) it reads no proposals at all, and still keeps to its query budget."""
    vrau = MeetingFactory(body=body("vrau"), created_by=secretariat)
    initiative = InitiativeFactory(title="Laddinfrastruktur", created_by=secretariat)
    vrau_item = services.item_add(meeting=vrau, user=secretariat, initiative=initiative)
    services.meeting_publish_agenda(meeting=vrau, user=secretariat)
    all_present(vrau, secretariat, parties)
    services.proposal_record(
        item=vrau_item, proposed_amount=Decimal("2000000.00"), text="Rådet bör stå bakom.", user=secretariat
    )
    council = MeetingFactory(created_by=secretariat)
    item = services.item_add(meeting=council, user=secretariat, initiative=initiative)
    services.meeting_publish_agenda(meeting=council, user=secretariat)
    all_present(council, secretariat, parties)
    client.force_login(secretariat)
    url = reverse("council:meeting-detail", args=[council.pk])
    page = client.get(url).content.decode().replace("\xa0", " ")
    assert "Förslag till beslut" in page and "med 2 000 000,00 kr. Rådet bör stå bakom." in page
    services.item_decide(
        item=item, user=secretariat, stances=everyone(parties), supported_amount=Decimal("2000000.00")
    )
    hold(council, secretariat, adjusters)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Förslag till beslut" not in page
