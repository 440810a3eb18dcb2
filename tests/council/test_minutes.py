"""Protocol integrity (issue 12, item 5): fixed attendance and its logged reopening, annulment of a wrong
recording until the meeting is closed, decision texts derived from the outcome, the opening choice of
chair and adjusters and their own signatures."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from council import minutes, services
from council.consensus import Rules, quorum_forecast
from council.models import (
    AgendaItem,
    MeetingStatus,
    MinutesAdjuster,
    Outcome,
    Paragraph,
    Position,
    StanceKind,
)
from initiatives.models import Status
from tests.council.conftest import all_present, everyone, hold
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMOUNT = Decimal("2500000.00")


def first_item(meeting) -> AgendaItem:
    return meeting.items.filter(annulled_at__isnull=True).order_by("order").first()


def test_fewer_present_than_the_quorum_can_never_decide():
    assert quorum_forecast(parties=17, present=16, rules=Rules(quorum=17)).reached is False
    assert quorum_forecast(parties=17, present=17, rules=Rules(quorum=17)).reached is True
    assert quorum_forecast(parties=17, present=12, rules=Rules(quorum=12)).reached is True
    assert quorum_forecast(parties=16, present=16, rules=Rules(quorum=17)).required == 16


def test_attendance_is_fixed_once_an_item_is_recorded_and_reopening_is_logged(
    published_meeting, secretariat, parties
):
    services.item_decide(
        item=first_item(published_meeting),
        user=secretariat,
        stances=everyone(parties),
        supported_amount=AMOUNT,
    )
    with pytest.raises(ValidationError) as error:
        all_present(published_meeting, secretariat, parties, absent={"eda"})
    assert error.value.code == "attendance_fixed"
    assert published_meeting.attendance.get(party__slug="eda").present  # nothing changed

    with pytest.raises(ValidationError) as error:
        minutes.attendance_reopen(meeting=published_meeting, reason="  ", user=secretariat)
    assert "reason" in error.value.message_dict
    eda = next(p for p in parties if p.slug == "eda")
    minutes.attendance_reopen(meeting=published_meeting, reason="Edas ersättare kom.", user=secretariat)
    services.attendance_record(
        meeting=published_meeting, rows=[(eda, True, "Ersättare Ek")], user=secretariat
    )
    assert published_meeting.attendance.get(party=eda).represented_by == "Ersättare Ek"
    reopening = published_meeting.history.filter(history_change_reason="närvaron öppnad igen").get()
    assert reopening.history_user == secretariat
    assert reopening.attendance_reopen_reason == "Edas ersättare kom."

    # The next recording fixes it again; a reopening while it is open is refused as pointless.
    with pytest.raises(ValidationError) as error:
        minutes.attendance_reopen(meeting=published_meeting, reason="Igen.", user=secretariat)
    assert error.value.code == "attendance_not_fixed"
    second = published_meeting.items.order_by("order")[1]
    services.item_decide(item=second, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT)
    with pytest.raises(ValidationError, match="Närvaron är fastställd"):
        all_present(published_meeting, secretariat, parties)


def test_a_recording_that_cannot_decide_needs_an_explicit_choice(vr_meeting, secretariat, parties):
    from tests.council.factories import proposed_initiative

    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties, absent={"eda"})
    item = first_item(vr_meeting)
    stances = {p: (StanceKind.SUPPORTS, "") for p in parties if p.slug != "eda"}
    with pytest.raises(ValidationError) as error:
        services.item_decide(item=item, user=secretariat, stances=stances, supported_amount=AMOUNT)
    assert error.value.message_dict["not_decidable_confirmed"] == [
        "16 av 17 parter som krävs deltar – beslut kan inte fattas. Kryssa i att ärendet registreras som "
        "ej beslutbart, eller ändra närvaron först."
    ]
    item.refresh_from_db()
    assert not item.outcome and not item.stances.exists()  # nothing recorded
    services.item_decide(item=item, user=secretariat, stances=stances, not_decidable_confirmed=True)
    item.refresh_from_db()
    assert item.outcome == Outcome.NOT_DECIDABLE


def test_an_annulled_recording_is_kept_and_the_item_is_recorded_again(
    published_meeting, secretariat, parties, adjusters
):
    item = first_item(published_meeting)
    initiative = item.initiative
    services.item_decide(item=item, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT)
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED and Position.objects.consensus().filter(item=item).exists()

    with pytest.raises(ValidationError) as error:
        minutes.item_annul(item=item, reason="", user=secretariat)
    assert "reason" in error.value.message_dict
    again = minutes.item_annul(item=item, reason="Fel belopp registrerat.", user=secretariat)

    item.refresh_from_db()
    initiative.refresh_from_db()
    assert item.is_annulled and item.annulled_by == secretariat and item.annulment_reason
    assert item.outcome == Outcome.CONSENSUS and item.stances.count() == 17  # kept for the history
    assert initiative.status == Status.PROPOSED  # back where the meeting found it
    assert not Position.objects.consensus().filter(item=item).exists()  # the ledger no longer sees it
    assert (again.order, again.initiative, again.outcome) == (item.order, initiative, "")
    with pytest.raises(ValidationError, match="redan annullerad"):
        minutes.item_annul(item=item, reason="Igen.", user=secretariat)

    services.item_decide(
        item=again, user=secretariat, stances=everyone(parties), supported_amount=Decimal("2000000.00")
    )
    second = published_meeting.items.filter(annulled_at__isnull=True).order_by("order")[1]
    services.item_decide(item=second, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT)
    hold(published_meeting, secretariat, adjusters)

    # The protocol: chair, adjusters, then the two items recorded; no paragraph for the annulled one.
    paragraphs = list(published_meeting.paragraphs.order_by("number"))
    assert [(p.opening, p.item_id) for p in paragraphs] == [
        (Paragraph.Opening.CHAIR, None),
        (Paragraph.Opening.ADJUSTERS, None),
        ("", again.pk),
        ("", second.pk),
    ]
    assert "2 000 000,00 kr" in paragraphs[2].text.replace("\xa0", " ")

    # Once the meeting is closed, nothing is annulled any more.
    with pytest.raises(ValidationError) as error:
        minutes.item_annul(item=again, reason="För sent.", user=secretariat)
    assert error.value.code == "closed"
    again.refresh_from_db()
    assert not again.is_annulled


def test_an_annulment_is_refused_once_region_varmland_has_decided(published_meeting, secretariat, parties):
    from initiatives.services import initiative_transition

    item = first_item(published_meeting)
    services.item_decide(item=item, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT)
    initiative_transition(initiative=item.initiative, to=Status.DECIDED, user=secretariat, reason="test")
    with pytest.raises(ValidationError) as error:
        minutes.item_annul(item=item, reason="Fel.", user=secretariat)
    assert error.value.code == "initiative_gone_on"
    item.refresh_from_db()
    assert not item.is_annulled and published_meeting.items.count() == 2


def test_a_not_decidable_paragraph_never_says_the_council_supports(
    vr_meeting, secretariat, parties, adjusters
):
    from tests.council.factories import proposed_initiative

    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties, absent={"eda"})
    services.item_decide(
        item=first_item(vr_meeting),
        user=secretariat,
        stances={p: (StanceKind.SUPPORTS, "") for p in parties if p.slug != "eda"},
        statement="Eda meddelade förhinder.",
        not_decidable_confirmed=True,
    )
    hold(vr_meeting, secretariat, adjusters)
    paragraph = vr_meeting.paragraphs.get(item__isnull=False)
    assert paragraph.derived
    assert paragraph.text.startswith("Ärendet kunde inte avgöras. Ej beslutbart: 16 av 17")
    assert "står bakom initiativet" not in paragraph.text
    assert paragraph.addition == "Eda meddelade förhinder."
    # Editing touches the addition only; the derived decision stays.
    services.paragraph_edit(paragraph=paragraph, text="Eda var sjuk.", user=secretariat)
    paragraph.refresh_from_db()
    assert paragraph.addition == "Eda var sjuk." and paragraph.text.startswith("Ärendet kunde inte avgöras.")


def test_chair_and_adjusters_are_chosen_among_members_of_parties_present(
    vr_meeting, secretariat, parties, adjusters, representative
):
    from tests.council.factories import proposed_initiative

    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties, absent={"karlstad"})
    with pytest.raises(ValidationError) as error:
        minutes.meeting_open(meeting=vr_meeting, chair=representative, adjusters=adjusters, user=secretariat)
    assert "chair" in error.value.message_dict  # Karlstad is absent (and its representative no member)
    with pytest.raises(ValidationError) as error:
        minutes.meeting_open(
            meeting=vr_meeting, chair=adjusters[0], adjusters=[secretariat], user=secretariat
        )
    assert "adjusters" in error.value.message_dict  # the secretariat represents no party at the meeting
    with pytest.raises(ValidationError) as error:
        minutes.meeting_open(meeting=vr_meeting, chair=adjusters[0], adjusters=adjusters, user=secretariat)
    assert "adjusters" in error.value.message_dict  # the chair signs as chair
    assert not vr_meeting.adjusters.exists()

    services.item_decide(
        item=first_item(vr_meeting),
        user=secretariat,
        stances={p: (StanceKind.SUPPORTS, "") for p in parties if p.slug != "karlstad"},
        not_decidable_confirmed=True,
    )
    with pytest.raises(ValidationError) as error:
        services.meeting_hold(meeting=vr_meeting, user=secretariat)
    assert "Välj ordförande och justerare först" in error.value.message_dict["adjusters"][0]
    minutes.meeting_open(meeting=vr_meeting, chair=adjusters[1], adjusters=[adjusters[0]], user=secretariat)
    minutes.meeting_open(meeting=vr_meeting, chair=adjusters[0], adjusters=[adjusters[1]], user=secretariat)
    assert set(vr_meeting.adjusters.values_list("user_id", "role")) == {
        (adjusters[0].pk, MinutesAdjuster.Role.CHAIR),
        (adjusters[1].pk, MinutesAdjuster.Role.ADJUSTER),
    }


def test_the_chair_and_each_adjuster_sign_for_themselves_only(
    published_meeting, secretariat, parties, adjusters, representative
):
    for item in published_meeting.items.order_by("order"):
        services.item_decide(item=item, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT)
    third = UserFactory(
        username="vr-eda", party=parties[3], roles=["council_representative"]
    )  # present, not chosen
    hold(published_meeting, secretariat, adjusters)
    for outsider in (representative, third, secretariat):
        with pytest.raises(PermissionDenied):
            services.minutes_sign(meeting=published_meeting, user=outsider)
    services.minutes_sign(meeting=published_meeting, user=adjusters[0])  # the chair
    published_meeting.refresh_from_db()
    assert published_meeting.status == MeetingStatus.HELD  # the adjuster has not signed yet
    services.minutes_sign(meeting=published_meeting, user=adjusters[1])
    published_meeting.refresh_from_db()
    assert published_meeting.status == MeetingStatus.MINUTES_SIGNED
    signed = dict(published_meeting.adjusters.values_list("role", "signed_at"))
    assert signed[MinutesAdjuster.Role.CHAIR] and signed[MinutesAdjuster.Role.ADJUSTER]


def test_a_council_representative_who_is_not_a_member_of_the_body_cannot_sign_its_minutes(
    client, vr_meeting, secretariat, parties, adjusters, representative
):
    """Chair and adjusters are the body's members on the meeting's day, ordinary or substitute, of parties
    present, not whoever holds the council representative role."""
    import datetime

    from django.urls import reverse

    from people.models import Party
    from people.roles import Role
    from tests.council.factories import proposed_initiative, seat

    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties)  # Karlstad is present: its representative sits nowhere
    arvika = Party.objects.get(slug="arvika")
    substitute = seat(UserFactory(party=arvika, last_name="Ersättare"), "varmlandsradet", role="substitute")
    vrau_only = seat(UserFactory(party=arvika, last_name="Arbetsutskott"), "vrau")
    former = seat(
        UserFactory(party=Party.objects.get(slug="eda"), last_name="Avgången"),
        "varmlandsradet",
        starts_on=datetime.date(2022, 1, 1),
    )
    former.memberships.update(ends_on=datetime.date(2025, 12, 31))  # term over before the meeting's day
    not_members = (representative, vrau_only, former)
    assert all(
        person.has_role(Role.COUNCIL_REPRESENTATIVE) is False or person == representative
        for person in not_members
    )
    for outsider in not_members:
        with pytest.raises(ValidationError) as error:
            minutes.meeting_open(
                meeting=vr_meeting, chair=outsider, adjusters=[adjusters[1]], user=secretariat
            )
        assert error.value.message_dict["chair"] == [
            "Ordföranden väljs bland organets ledamöter och ersättare för de parter som är närvarande."
        ]
        with pytest.raises(ValidationError) as error:
            minutes.meeting_open(
                meeting=vr_meeting, chair=adjusters[0], adjusters=[outsider], user=secretariat
            )
        assert "adjusters" in error.value.message_dict
    assert not vr_meeting.adjusters.exists()

    # The page offers the members only, and refuses anyone else next to the field.
    client.force_login(secretariat)
    url = reverse("council:meeting-open", args=[vr_meeting.pk])
    page = client.get(url).content.decode()
    assert "Ersättare" in page and adjusters[0].get_full_name() in page
    assert (
        representative.get_full_name() not in page and "Arbetsutskott" not in page and "Avgången" not in page
    )
    response = client.post(url, {"chair": representative.pk, "adjusters": [substitute.pk]})
    assert response.status_code == 200
    assert "Ordföranden väljs bland organets ledamöter och ersättare" in response.content.decode()
    assert not vr_meeting.adjusters.exists()

    # A substitute of a party present may adjust; the secretariat runs the choice.
    response = client.post(url, {"chair": adjusters[0].pk, "adjusters": [substitute.pk]})
    assert response.status_code == 302
    assert set(vr_meeting.adjusters.values_list("user_id", "role")) == {
        (adjusters[0].pk, MinutesAdjuster.Role.CHAIR),
        (substitute.pk, MinutesAdjuster.Role.ADJUSTER),
    }
