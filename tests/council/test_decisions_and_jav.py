"""Issue 12, items 6 and 7 at the meeting: VRAU proposes support or rejection; information items are
placed on file; declared interests flag a possible jäv on the item; the secretariat records who declared
jäv and did not take part, and the minutes (page and PDF) say so per person."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from council import notices, services
from council.models import Outcome, Proposal, Recusal
from initiatives.conflicts import Named, conflicts_of_interest
from initiatives.models import CoFinancing, Status
from people import services as people_services
from people.models import Interest, Party
from tests.council.conftest import everyone, hold
from tests.council.factories import InitiativeFactory, MeetingFactory, body
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_vrau_proposes_rejection_without_an_amount(vrau_meeting, secretariat):
    item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=InitiativeFactory())
    services.meeting_publish_agenda(meeting=vrau_meeting, user=secretariat)
    proposal = services.proposal_record(
        item=item,
        recommendation=Proposal.Recommendation.REJECT,
        proposed_amount=None,
        text="VRAU föreslår avslag: satsningen gäller en kommun.",
        user=secretariat,
    )
    item.refresh_from_db()
    item.initiative.refresh_from_db()
    assert proposal.proposed_amount is None
    assert item.outcome == Outcome.PROPOSED
    assert "inte står bakom" in item.outcome_detail
    # Värmlandsrådet takes its position on the proposal, as on a proposal of support.
    assert item.initiative.status == Status.PROPOSED


def test_a_rejection_with_an_amount_and_a_support_without_one_are_refused(vrau_meeting, secretariat):
    item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=InitiativeFactory())
    services.meeting_publish_agenda(meeting=vrau_meeting, user=secretariat)
    with pytest.raises(ValidationError) as rejection:
        services.proposal_record(
            item=item,
            recommendation=Proposal.Recommendation.REJECT,
            proposed_amount=Decimal("1000.00"),
            text="Avslag.",
            user=secretariat,
        )
    assert "inget belopp" in rejection.value.message_dict["proposed_amount"][0]
    with pytest.raises(ValidationError) as support:
        services.proposal_record(item=item, proposed_amount=None, text="Stöd.", user=secretariat)
    assert "större än noll" in support.value.message_dict["proposed_amount"][0]
    item.refresh_from_db()
    assert not item.is_decided and not Proposal.objects.exists()


def test_the_database_refuses_a_rejection_with_an_amount(vrau_meeting, secretariat):
    item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=InitiativeFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            item=item,
            initiative=item.initiative,
            recommendation="reject",
            proposed_amount=Decimal("5.00"),
            text="x",
            recorded_by=secretariat,
        )


def test_an_information_item_is_placed_on_file_without_a_note(vrau_meeting, secretariat):
    item = services.item_add(
        meeting=vrau_meeting, user=secretariat, title="Delegationsbeslut 2026", information=True
    )
    services.meeting_publish_agenda(meeting=vrau_meeting, user=secretariat)
    services.item_note(item=item, statement="", user=secretariat)
    item.refresh_from_db()
    assert item.kind == "information"
    assert item.outcome == Outcome.NOTED
    assert item.outcome_detail == "Anmälan läggs till handlingarna."
    # Another matter still needs its note.
    other = MeetingFactory(body=body("vrau"), created_by=secretariat)
    matter = services.item_add(meeting=other, user=secretariat, title="Övrigt")
    services.meeting_publish_agenda(meeting=other, user=secretariat)
    with pytest.raises(ValidationError):
        services.item_note(item=matter, statement=" ", user=secretariat)


# --- the jäv rule, as a table ---------------------------------------------------------------------------


def _interest(**kwargs) -> Interest:
    values = {"kind": "assignment", "organisation": "", "valid_from": datetime.date(2025, 1, 1)}
    return Interest(person=UserFactory.build(username="p"), **{**values, **kwargs})


@pytest.mark.parametrize(
    ("interest", "reason"),
    [
        ({"party_id": 1}, "som lämnat initiativet"),
        ({"party_id": 2}, "medverkande part"),
        ({"organisation": "Värmlands  Cykelförening"}, "nämner som finansiär"),
        ({"organisation": "Nordic Bus AB"}, "nämner som finansiär"),
        ({"party_id": 3}, None),
        ({"organisation": "Cykelföreningen i Dalarna"}, None),
        ({"party_id": 1, "valid_to": datetime.date(2025, 12, 31)}, None),  # ended before the day
        ({"party_id": 1, "valid_from": datetime.date(2026, 6, 1)}, None),  # not yet begun
    ],
)
def test_conflicts_of_interest_match_party_co_sponsors_and_named_organisations(interest, reason):
    named = Named(
        party_ids=frozenset({1}),
        co_party_ids=frozenset({2}),
        organisations=frozenset({"värmlands cykelförening", "nordic bus"}),
    )
    found = conflicts_of_interest(
        named=named, interests=[_interest(**interest)], on=datetime.date(2026, 3, 12)
    )
    if reason is None:
        assert found == []
    else:
        [conflict] = found
        assert reason in conflict.reason


# --- the flag on the item and the record in the minutes ---------------------------------------------


@pytest.fixture
def declared(db):
    """A council member of Arvika who sits on the board of a funder named by the initiative."""
    person = UserFactory(first_name="Anna", last_name="Andersson", party=Party.objects.get(slug="arvika"))
    people_services.interest_declare(
        person=person,
        kind="assignment",
        organisation="Klarälvens Cykelförening",
        party=None,
        role="Styrelseledamot",
        valid_from=datetime.date(2024, 1, 1),
        user=person,
    )
    return person


def test_a_declared_interest_is_flagged_on_the_item_and_warned_on_the_initiative(
    client, published_meeting, secretariat, declared
):
    item = published_meeting.items.order_by("order").first()
    CoFinancing.objects.create(
        initiative=item.initiative, year=2026, source="other", funder="Klarälvens cykelförening", amount=1
    )
    client.force_login(secretariat)
    page = client.get(reverse("council:meeting-detail", args=[published_meeting.pk])).content.decode()
    assert "Möjligt jäv:" in page and "Anna Andersson" in page
    recusal_page = client.get(
        reverse("council:item-recusal", args=[published_meeting.pk, item.pk])
    ).content.decode()
    assert "Anna Andersson" in recusal_page and "finansiär" in recusal_page
    # The person sees the warning on the initiative's page; someone without interests does not.
    client.force_login(declared)
    own = client.get(reverse("initiatives:initiative-detail", args=[item.initiative.pk])).content.decode()
    assert "Du kan vara jävig" in own
    client.force_login(UserFactory(party=declared.party))
    other = client.get(reverse("initiatives:initiative-detail", args=[item.initiative.pk])).content.decode()
    assert "Du kan vara jävig" not in other


def test_a_recusal_is_recorded_once_and_the_minutes_name_the_person(
    client, published_meeting, secretariat, parties, adjusters, declared
):
    item = published_meeting.items.order_by("order").first()
    client.force_login(secretariat)
    url = reverse("council:item-recusal", args=[published_meeting.pk, item.pk])
    response = client.post(url, {"person": declared.pk, "ground": "Styrelseledamot i medfinansiären"})
    assert response.status_code == 302
    again = client.post(url, {"person": declared.pk, "ground": ""})
    assert "har redan anmält jäv" in again.content.decode()
    assert Recusal.objects.filter(item=item).count() == 1
    for each in published_meeting.items.order_by("order"):
        services.item_decide(
            item=each, user=secretariat, stances=everyone(parties), supported_amount=Decimal("1000.00")
        )
    hold(published_meeting, secretariat, adjusters)
    page = client.get(reverse("council:meeting-detail", args=[published_meeting.pk])).content.decode()
    assert "Anna Andersson anmälde jäv och deltog inte i handläggningen." in page
    pdf = client.get(reverse("council:meeting-minutes-pdf", args=[published_meeting.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Anna Andersson anmälde jäv och deltog inte i" in " ".join(text.split())


def test_signed_minutes_refuse_a_new_recusal_in_the_database(
    published_meeting, secretariat, parties, adjusters, declared
):
    for each in published_meeting.items.order_by("order"):
        services.item_decide(
            item=each, user=secretariat, stances=everyone(parties), supported_amount=Decimal("1000.00")
        )
    hold(published_meeting, secretariat, adjusters)
    for adjuster in adjusters:
        services.minutes_sign(meeting=published_meeting, user=adjuster)
    item = published_meeting.items.order_by("order").first()
    with pytest.raises(ValidationError, match="justerat"):
        services.recusal_record(item=item, person=declared, ground="", user=secretariat)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recusal.objects.create(item=item, person=declared, recorded_by=secretariat)


def test_varmlandsradet_is_told_a_proposal_to_reject_as_rejection(
    vrau_meeting, vr_meeting, secretariat, client
):
    supported, rejected = InitiativeFactory(title="Laddplatser"), InitiativeFactory(title="Arena")
    support_item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=supported)
    reject_item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=rejected)
    services.meeting_publish_agenda(meeting=vrau_meeting, user=secretariat)
    services.proposal_record(
        item=support_item, proposed_amount=Decimal("900000.00"), text="Stöd.", user=secretariat
    )
    services.proposal_record(
        item=reject_item,
        recommendation=Proposal.Recommendation.REJECT,
        proposed_amount=None,
        text="Gynnar en kommun.",
        user=secretariat,
    )
    for initiative in (supported, rejected):
        services.item_add(meeting=vr_meeting, user=secretariat, initiative=initiative)

    # The meeting page (and the notice PDF) read the proposals with the items; a member's stance form
    # looks up its one item. Both say rejection, never "står bakom … med" no amount.
    page_items = {
        view.item.initiative_id: view.item for view in notices.notice_page(meeting=vr_meeting).items
    }
    single = {
        item.initiative_id: notices.proposed_decisions(meeting=vr_meeting, items=[item]).get(item.pk)
        for item in vr_meeting.items.all()
    }
    for texts in ({k: v.proposed_decision for k, v in page_items.items()}, single):
        assert texts[rejected.pk] == (
            "VRAU föreslår att Värmlandsrådet inte står bakom initiativet (avslag). Gynnar en kommun."
        )
        assert texts[supported.pk] == (
            "VRAU föreslår att Värmlandsrådet står bakom initiativet med 900\xa0000,00\xa0kr. Stöd."
        )
    # The item page's basis: no empty amount, but the rejection.
    client.force_login(secretariat)
    item = vr_meeting.items.get(initiative=rejected)
    page = client.get(reverse("council:item-record", args=[vr_meeting.pk, item.pk])).content.decode()
    assert "Inget: VRAU föreslår avslag" in page and "Gynnar en kommun." in page
