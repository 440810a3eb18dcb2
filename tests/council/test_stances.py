"""Stances entered in advance (per capsulam) by a party's own member: allowed only where the rules and
the meeting allow it, only for the member's own party, once, before the meeting; counted at the meeting
as the party's written participation."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from council import services
from council.membership import membership_add
from council.models import MembershipRole, Outcome, RulesOfProcedure, Stance, StanceKind
from council.stances import can_enter_stance, meeting_advance_stances_set, stance_enter
from people.roles import Role
from tests.council.conftest import everyone
from tests.council.factories import MeetingFactory, body, proposed_initiative
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed():
    """Värmlandsrådet's rules of procedure allow positions per capsulam (version 2)."""
    return RulesOfProcedure.objects.create(
        body=body("varmlandsradet"),
        version=2,
        valid_from=datetime.date(2026, 1, 1),
        per_capsulam_allowed=True,
    )


@pytest.fixture
def coming(secretariat):
    """A Värmlandsrådet meeting in ten days with one proposed initiative, its notice published."""
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=10), created_by=secretariat)
    services.item_add(
        meeting=meeting,
        user=secretariat,
        initiative=proposed_initiative(user=secretariat, title="Cykelstråk"),
    )
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def member(secretariat, karlstad):
    person = UserFactory(
        party=karlstad, roles=[Role.COUNCIL_REPRESENTATIVE], first_name="Karl", last_name="Stad"
    )
    membership_add(
        body=body("varmlandsradet"),
        party=karlstad,
        person=person,
        role=MembershipRole.SUBSTITUTE,
        starts_on=datetime.date(2026, 1, 1),
        user=secretariat,
    )
    return person


def test_a_member_enters_their_own_party_s_stance_once_before_the_meeting(
    allowed, coming, member, secretariat, karlstad
):
    meeting_advance_stances_set(meeting=coming, enabled=True, user=secretariat)
    coming.refresh_from_db()
    item = coming.items.get()
    assert can_enter_stance(member, item)
    stance = stance_enter(item=item, party=karlstad, kind=StanceKind.SUPPORTS, reason="", user=member)
    assert (stance.recorded_by, stance.in_advance, stance.party) == (member, True, karlstad)
    assert stance.history.get().history_user == member  # who entered it, and when, is history
    with pytest.raises(ValidationError, match="har redan ett registrerat ställningstagande"):
        stance_enter(item=item, party=karlstad, kind=StanceKind.OBJECTS, reason="Nej.", user=member)
    assert not can_enter_stance(member, item)


def test_a_member_can_never_enter_another_party_s_stance(allowed, coming, member, secretariat, arvika):
    meeting_advance_stances_set(meeting=coming, enabled=True, user=secretariat)
    with pytest.raises(PermissionDenied, match="egen parts"):
        stance_enter(
            item=coming.items.get(), party=arvika, kind=StanceKind.OBJECTS, reason="Nej.", user=member
        )
    assert not Stance.objects.exists()


def test_refused_without_the_setting_without_membership_and_after_the_meeting_has_begun(
    allowed, coming, member, secretariat, karlstad, representative
):
    item = coming.items.get()
    with pytest.raises(PermissionDenied):  # the meeting is not open for stances in advance
        stance_enter(item=item, party=karlstad, kind=StanceKind.SUPPORTS, reason="", user=member)
    meeting_advance_stances_set(meeting=coming, enabled=True, user=secretariat)
    with pytest.raises(PermissionDenied):  # a council representative, but not a member of the body
        stance_enter(item=item, party=karlstad, kind=StanceKind.SUPPORTS, reason="", user=representative)
    with pytest.raises(PermissionDenied):  # the secretariat records at the meeting, not in advance
        stance_enter(
            item=item, party=secretariat.party, kind=StanceKind.SUPPORTS, reason="", user=secretariat
        )
    with pytest.raises(ValidationError) as refused:
        stance_enter(item=item, party=karlstad, kind=StanceKind.OBJECTS, reason=" ", user=member)
    assert refused.value.message_dict == {"reason": ["En part som motsätter sig måste ange skälet."]}
    coming.refresh_from_db()
    coming.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    coming.save()
    with pytest.raises(ValidationError, match="sammanträdet har börjat"):
        stance_enter(item=item, party=karlstad, kind=StanceKind.SUPPORTS, reason="", user=member)
    assert not Stance.objects.exists()


def test_the_setting_needs_rules_that_allow_per_capsulam(coming, secretariat, member):
    with pytest.raises(ValidationError) as refused:
        meeting_advance_stances_set(meeting=coming, enabled=True, user=secretariat)
    assert refused.value.message_dict == {
        "advance_stances": ["Arbetsordningen tillåter inte ställningstaganden per capsulam."]
    }
    with pytest.raises(PermissionDenied):
        meeting_advance_stances_set(meeting=coming, enabled=True, user=member)
    coming.refresh_from_db()
    assert not coming.advance_stances


def test_at_the_meeting_the_advance_stance_counts_as_the_party_s_participation(
    allowed, coming, member, secretariat, karlstad, parties
):
    meeting_advance_stances_set(meeting=coming, enabled=True, user=secretariat)
    item = coming.items.get()
    stance_enter(item=item, party=karlstad, kind=StanceKind.STANDS_ASIDE, reason="", user=member)
    coming.refresh_from_db()
    coming.starts_at = timezone.now() - datetime.timedelta(hours=1)  # the meeting day has come
    coming.save()
    # Karlstad is not there in person: its written stance is its participation.
    services.attendance_record(
        meeting=coming,
        rows=[(p, p != karlstad, "" if p == karlstad else f"Ledamot {p.name}") for p in parties],
        user=secretariat,
    )
    others = {p: v for p, v in everyone(parties).items() if p != karlstad}
    services.item_decide(item=item, user=secretariat, stances=others, supported_amount=Decimal("1000.00"))
    item.refresh_from_db()
    assert item.outcome == Outcome.CONSENSUS
    assert item.outcome_detail == "Konsensus (16 står bakom, 1 avstår, 0 motsätter sig, 0 jäv)."
    recorded = dict(item.stances.values_list("party__slug", "recorded_by"))
    assert recorded["karlstad"] == member.pk and recorded["arvika"] == secretariat.pk


def test_an_annulled_recording_carries_the_advance_stances_to_the_item_recorded_in_its_place(
    allowed, coming, member, secretariat, karlstad, parties
):
    from council.minutes import item_annul

    meeting_advance_stances_set(meeting=coming, enabled=True, user=secretariat)
    item = coming.items.get()
    stance_enter(item=item, party=karlstad, kind=StanceKind.SUPPORTS, reason="", user=member)
    coming.refresh_from_db()
    coming.starts_at = timezone.now() - datetime.timedelta(hours=1)
    coming.save()
    services.attendance_record(
        meeting=coming,
        rows=[(p, p != karlstad, "" if p == karlstad else f"Ledamot {p.name}") for p in parties],
        user=secretariat,
    )
    others = {p: v for p, v in everyone(parties).items() if p != karlstad}
    wrong = {**others, parties[1]: (StanceKind.OBJECTS, "Fel part registrerad.")}
    services.item_decide(item=item, user=secretariat, stances=wrong, resolution="back_to_preparation")

    replacement = item_annul(item=item, reason="Fel ställningstagande registrerat.", user=secretariat)

    # Karlstad took part in writing only: its stance is there for the new recording, as entered.
    carried = replacement.stances.get()
    assert (carried.party, carried.kind, carried.in_advance, carried.recorded_by) == (
        karlstad,
        StanceKind.SUPPORTS,
        True,
        member,
    )
    created = carried.history.get()
    assert created.history_user == secretariat
    assert created.history_change_reason == "ställningstagande i förväg överfört från annullerad registrering"
    assert item.stances.filter(party=karlstad, in_advance=True).exists()  # the annulled one keeps its own
    services.item_decide(
        item=replacement, user=secretariat, stances=others, supported_amount=Decimal("1000.00")
    )
    replacement.refresh_from_db()
    assert replacement.outcome == Outcome.CONSENSUS
    assert replacement.outcome_detail == "Konsensus (17 står bakom, 0 avstår, 0 motsätter sig, 0 jäv)."
