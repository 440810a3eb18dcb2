from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from council import services
from council.models import (
    AgendaItem,
    BlockResolution,
    MeetingStatus,
    Outcome,
    Position,
    Stance,
    StanceKind,
)
from initiatives.models import Status
from tests.council.conftest import all_present, everyone
from tests.council.factories import InitiativeFactory, MeetingFactory, body, proposed_initiative

AMOUNT = Decimal("1250000.00")


def first_item(meeting):
    return meeting.items.order_by("order")[0]


def test_consensus_moves_the_initiative_to_supported_with_the_amount_and_the_rules_version(
    published_meeting, secretariat, parties
):
    item = first_item(published_meeting)
    services.item_decide(
        item=item,
        user=secretariat,
        stances=everyone(parties),
        supported_amount=AMOUNT,
        statement="Står bakom.",
    )
    item.refresh_from_db()
    item.initiative.refresh_from_db()
    assert item.outcome == Outcome.CONSENSUS
    assert item.initiative.status == Status.SUPPORTED
    position = Position.objects.consensus().get(initiative=item.initiative)
    assert position.supported_amount == AMOUNT
    assert position.rules.version == 1
    assert position.meeting == published_meeting


def test_a_block_sends_the_initiative_back_to_preparation_with_the_reason_kept(
    published_meeting, secretariat, parties
):
    item = first_item(published_meeting)
    stances = everyone(parties, arvika=(StanceKind.OBJECTS, "Gynnar inte hela länet."))
    services.item_decide(
        item=item, user=secretariat, stances=stances, resolution=BlockResolution.BACK_TO_PREPARATION
    )
    item.refresh_from_db()
    item.initiative.refresh_from_db()
    assert item.outcome == Outcome.NO_CONSENSUS
    assert "Arvika" in item.outcome_detail
    assert item.initiative.status == Status.SUBMITTED
    position = Position.objects.get(item=item)
    assert "Gynnar inte hela länet." in position.reason
    assert not Position.objects.consensus().exists()


def test_a_block_may_close_the_initiative(published_meeting, secretariat, parties):
    item = first_item(published_meeting)
    stances = everyone(parties, arvika=(StanceKind.OBJECTS, "Nej."))
    services.item_decide(item=item, user=secretariat, stances=stances, resolution=BlockResolution.CLOSE)
    item.initiative.refresh_from_db()
    assert item.initiative.status == Status.NOT_SUPPORTED


def test_a_block_needs_the_secretariats_choice(published_meeting, secretariat, parties):
    item = first_item(published_meeting)
    with pytest.raises(ValidationError) as error:
        services.item_decide(
            item=item, user=secretariat, stances=everyone(parties, arvika=(StanceKind.OBJECTS, "Nej."))
        )
    assert "resolution" in error.value.message_dict
    assert not Stance.objects.filter(item=item).exists()  # nothing changed


def test_a_stance_for_an_absent_party_is_refused_and_nothing_is_recorded(vr_meeting, secretariat, parties):
    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties, absent={"eda"})
    with pytest.raises(ValidationError, match="Eda är inte närvarande"):
        services.item_decide(
            item=first_item(vr_meeting), user=secretariat, stances=everyone(parties), supported_amount=AMOUNT
        )
    assert not Stance.objects.exists()


def test_an_objection_without_a_reason_is_refused(published_meeting, secretariat, parties):
    with pytest.raises(ValidationError, match="Arvika motsätter sig: ange skälet"):
        services.stances_record(
            item=first_item(published_meeting),
            user=secretariat,
            stances=everyone(parties, arvika=(StanceKind.OBJECTS, " ")),
        )
    assert not Stance.objects.exists()


def test_the_database_refuses_an_objection_without_a_reason_too(published_meeting, secretariat, parties):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stance.objects.create(
            item=first_item(published_meeting),
            party=parties[0],
            kind=StanceKind.OBJECTS,
            reason="",
            recorded_by=secretariat,
        )


def test_recording_a_stance_twice_is_refused(published_meeting, secretariat, parties):
    item = first_item(published_meeting)
    services.stances_record(item=item, user=secretariat, stances={parties[0]: (StanceKind.SUPPORTS, "")})
    with pytest.raises(ValidationError, match="redan ett registrerat ställningstagande"):
        services.stances_record(
            item=item, user=secretariat, stances={parties[0]: (StanceKind.OBJECTS, "Ändrat mig")}
        )
    assert Stance.objects.get(item=item).kind == StanceKind.SUPPORTS


def test_every_stance_has_history_naming_who_recorded_it(published_meeting, secretariat, parties):
    services.item_decide(
        item=first_item(published_meeting),
        user=secretariat,
        stances=everyone(parties),
        supported_amount=AMOUNT,
    )
    assert Stance.history.count() == 17
    assert set(Stance.history.values_list("history_user", flat=True)) == {secretariat.pk}


def test_only_the_secretariat_runs_meetings(
    published_meeting, initiator, representative, auditor, finance, parties
):
    for user in (initiator, representative, auditor, finance):
        with pytest.raises(PermissionDenied):
            services.stances_record(item=first_item(published_meeting), user=user, stances=everyone(parties))
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                body=body("vrau"), starts_at=published_meeting.starts_at, place="X", user=user
            )


def test_värmlandsrådet_takes_up_only_proposed_initiatives_and_vrau_only_prepared(
    vr_meeting, vrau_meeting, secretariat
):
    prepared = InitiativeFactory()
    with pytest.raises(ValidationError, match="Föreslaget till Värmlandsrådet"):
        services.item_add(meeting=vr_meeting, user=secretariat, initiative=prepared)
    item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=prepared)
    assert item.order == 1


def test_vrau_proposal_moves_the_initiative_to_proposed_with_its_own_amount(
    vrau_meeting, secretariat, parties
):
    item = services.item_add(meeting=vrau_meeting, user=secretariat, initiative=InitiativeFactory())
    services.meeting_publish_agenda(meeting=vrau_meeting, user=secretariat)
    proposal = services.proposal_record(
        item=item, proposed_amount=Decimal("900000.00"), text="VRAU föreslår stöd.", user=secretariat
    )
    item.refresh_from_db()
    item.initiative.refresh_from_db()
    assert item.outcome == Outcome.PROPOSED
    assert item.initiative.status == Status.PROPOSED
    assert proposal.proposed_amount == Decimal("900000.00")


def test_deferral_moves_the_item_to_the_later_meeting(published_meeting, secretariat):
    later = MeetingFactory(starts_at=published_meeting.starts_at.replace(month=6), created_by=secretariat)
    item = first_item(published_meeting)
    services.item_defer(item=item, user=secretariat, to_meeting=later, reason="Underlag saknas.")
    item.refresh_from_db()
    assert item.outcome == Outcome.DEFERRED
    moved = later.items.get()
    assert moved.initiative == item.initiative and moved.deferred_from == item
    item.initiative.refresh_from_db()
    assert item.initiative.status == Status.PROPOSED


def decide_all(meeting, user, parties):
    for item in meeting.items.order_by("order"):
        services.item_decide(item=item, user=user, stances=everyone(parties), supported_amount=AMOUNT)


def test_paragraphs_are_numbered_through_the_year_per_body_without_gaps(
    published_meeting, secretariat, parties, adjusters
):
    decide_all(published_meeting, secretariat, parties)
    services.meeting_hold(meeting=published_meeting, adjusters=adjusters, user=secretariat)
    second = MeetingFactory(starts_at=published_meeting.starts_at.replace(month=5), created_by=secretariat)
    services.item_add(meeting=second, user=secretariat, title="Årsredovisning")
    services.item_add(meeting=second, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=second, user=secretariat)
    all_present(second, secretariat, parties)
    services.item_note(item=second.items.get(order=1), statement="Noterades.", user=secretariat)
    services.item_decide(
        item=second.items.get(order=2), user=secretariat, stances=everyone(parties), supported_amount=AMOUNT
    )
    vrau = MeetingFactory(body=body("vrau"), created_by=secretariat)
    services.item_add(meeting=vrau, user=secretariat, title="Information")
    services.meeting_publish_agenda(meeting=vrau, user=secretariat)
    all_present(vrau, secretariat, parties)
    services.item_note(item=vrau.items.get(), statement="Noterades.", user=secretariat)
    services.meeting_hold(meeting=vrau, adjusters=adjusters, user=secretariat)
    services.meeting_hold(meeting=second, adjusters=adjusters, user=secretariat)
    assert list(published_meeting.paragraphs.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert list(second.paragraphs.order_by("number").values_list("number", flat=True)) == [3, 4]
    assert list(vrau.paragraphs.values_list("number", flat=True)) == [1]


def test_a_meeting_is_held_only_when_every_item_is_decided(published_meeting, secretariat, adjusters):
    with pytest.raises(ValidationError, match="Alla ärenden är inte avgjorda"):
        services.meeting_hold(meeting=published_meeting, adjusters=adjusters, user=secretariat)


@pytest.fixture
def held_meeting(published_meeting, secretariat, parties, adjusters):
    decide_all(published_meeting, secretariat, parties)
    services.meeting_hold(meeting=published_meeting, adjusters=adjusters, user=secretariat)
    published_meeting.refresh_from_db()
    return published_meeting


def test_signing_by_someone_not_an_adjuster_is_refused(held_meeting, representative):
    with pytest.raises(PermissionDenied):
        services.minutes_sign(meeting=held_meeting, user=representative)
    held_meeting.refresh_from_db()
    assert held_meeting.status == MeetingStatus.HELD


def test_minutes_lock_when_every_adjuster_has_signed(held_meeting, adjusters, secretariat):
    services.minutes_sign(meeting=held_meeting, user=adjusters[0])
    held_meeting.refresh_from_db()
    assert held_meeting.status == MeetingStatus.HELD
    services.minutes_sign(meeting=held_meeting, user=adjusters[1])
    held_meeting.refresh_from_db()
    assert held_meeting.status == MeetingStatus.MINUTES_SIGNED
    paragraph = held_meeting.paragraphs.first()
    with pytest.raises(ValidationError, match="Protokollet är justerat"):
        services.paragraph_edit(paragraph=paragraph, text="Ändrad text", user=secretariat)


@pytest.fixture
def signed_meeting(held_meeting, adjusters):
    for adjuster in adjusters:
        services.minutes_sign(meeting=held_meeting, user=adjuster)
    held_meeting.refresh_from_db()
    return held_meeting


ITEMS = "SELECT id FROM council_agendaitem WHERE meeting_id = %s"


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE council_stance SET kind = 'objects', reason = 'x' WHERE item_id IN ({ITEMS})",  # noqa: S608 - constant SQL
        f"DELETE FROM council_stance WHERE item_id IN ({ITEMS})",  # noqa: S608 - constant SQL
        "UPDATE council_attendance SET present = false, represented_by = '' WHERE meeting_id = %s",
        "UPDATE council_paragraph SET text = 'ändrat' WHERE meeting_id = %s",
        "UPDATE council_agendaitem SET statement = 'ändrat' WHERE meeting_id = %s",
        "UPDATE council_minutesadjuster SET signed_at = NULL WHERE meeting_id = %s",
        "UPDATE council_meeting SET place = 'Annanstans' WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_signed_minutes(signed_meeting, sql):
    with pytest.raises(Exception, match="signed"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [signed_meeting.pk])


def test_the_database_lets_unsigned_minutes_change(held_meeting):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE council_paragraph SET text = 'ändrat' WHERE meeting_id = %s", [held_meeting.pk]
        )
    assert held_meeting.paragraphs.first().text == "ändrat"


def test_positions_are_append_only(held_meeting):
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE council_position SET supported_amount = 1")


def test_a_correction_is_a_new_paragraph_at_a_later_meeting(signed_meeting, secretariat, parties):
    later = MeetingFactory(starts_at=signed_meeting.starts_at.replace(month=9), created_by=secretariat)
    wrong = signed_meeting.paragraphs.get(number=1)
    item = services.item_add(meeting=later, user=secretariat, title="Rättelse av § 1", corrects=wrong)
    assert AgendaItem.objects.get(pk=item.pk).corrects == wrong
    assert wrong.corrections.get() == item
