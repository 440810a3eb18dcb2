from decimal import Decimal

import psycopg
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

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
from tests.council.conftest import all_present, everyone, hold
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
    hold(published_meeting, secretariat, adjusters)
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
    hold(vrau, secretariat, adjusters)
    hold(second, secretariat, adjusters)
    # Each meeting opens with two paragraphs (chair, adjusters) before its items.
    assert list(published_meeting.paragraphs.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    assert list(second.paragraphs.order_by("number").values_list("number", flat=True)) == [5, 6, 7, 8]
    assert list(vrau.paragraphs.order_by("number").values_list("number", flat=True)) == [1, 2, 3]


def test_a_meeting_is_held_only_when_every_item_is_decided(published_meeting, secretariat, adjusters):
    with pytest.raises(ValidationError, match="Alla ärenden är inte avgjorda"):
        hold(published_meeting, secretariat, adjusters)


@pytest.fixture
def held_meeting(published_meeting, secretariat, parties, adjusters):
    decide_all(published_meeting, secretariat, parties)
    hold(published_meeting, secretariat, adjusters)
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


@pytest.mark.parametrize(
    "table",
    [
        "council_agendaitem",
        "council_attendance",
        "council_paragraph",
        "council_position",
        "council_minutesadjuster",
        "council_stance",
    ],
)
def test_the_database_refuses_new_rows_in_signed_minutes(signed_meeting, table):
    # As the app's role (the tests' connection): a copy of one of the minutes' own rows. The trigger
    # fires before any key or constraint check, so what refuses it is the lock on signed minutes.
    where = f"item_id IN ({ITEMS})" if table == "council_stance" else "meeting_id = %s"
    sql = f"INSERT INTO {table} SELECT * FROM {table} WHERE {where} LIMIT 1"  # noqa: S608 - constant SQL
    with (
        pytest.raises(DatabaseError, match="minutes are signed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [signed_meeting.pk])


def test_the_database_lets_unsigned_minutes_change(held_meeting):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE council_paragraph SET text = 'ändrat' WHERE meeting_id = %s", [held_meeting.pk]
        )
    assert held_meeting.paragraphs.first().text == "ändrat"


@pytest.mark.django_db(transaction=True)
def test_positions_are_append_only(held_meeting, owner_connection):
    # No UPDATE for the app's role (core/dbroles.py), and the trigger refuses even the table's owner.
    with pytest.raises(DatabaseError, match="permission denied"), connection.cursor() as cursor:
        cursor.execute("UPDATE council_position SET supported_amount = 1")
    with pytest.raises(psycopg.Error, match="append-only"):
        owner_connection.execute("UPDATE council_position SET supported_amount = 1")


def test_a_correction_is_a_new_paragraph_at_a_later_meeting(signed_meeting, secretariat, parties):
    later = MeetingFactory(starts_at=signed_meeting.starts_at.replace(month=9), created_by=secretariat)
    wrong = signed_meeting.paragraphs.get(number=1)
    item = services.item_add(meeting=later, user=secretariat, title="Rättelse av § 1", corrects=wrong)
    assert AgendaItem.objects.get(pk=item.pk).corrects == wrong
    assert wrong.corrections.get() == item


def test_items_move_on_the_agenda_without_gaps(vr_meeting, secretariat):
    first = services.item_add(meeting=vr_meeting, user=secretariat, title="Första")
    second = services.item_add(meeting=vr_meeting, user=secretariat, title="Andra")
    services.item_move(item=second, up=True, user=secretariat)
    assert list(vr_meeting.items.order_by("order").values_list("title", "order")) == [
        ("Andra", 1),
        ("Första", 2),
    ]
    services.item_move(item=first, up=True, user=secretariat)
    services.item_move(item=first, up=True, user=secretariat)  # already first: nothing happens
    assert list(vr_meeting.items.order_by("order").values_list("title", flat=True)) == ["Första", "Andra"]


def test_per_capsulam_only_when_the_rules_of_procedure_allow_it(secretariat):
    from council.models import RulesOfProcedure

    council = body("varmlandsradet")
    starts_at = MeetingFactory.build().starts_at
    with pytest.raises(ValidationError, match="tillåter inte ställningstaganden per capsulam"):
        services.meeting_create(
            body=council, starts_at=starts_at, place="", per_capsulam=True, user=secretariat
        )
    RulesOfProcedure.objects.create(
        body=council,
        version=2,
        valid_from=starts_at.date().replace(month=1, day=1),
        per_capsulam_allowed=True,
    )
    meeting = services.meeting_create(
        body=council, starts_at=starts_at, place="", per_capsulam=True, user=secretariat
    )
    assert meeting.per_capsulam and meeting.place == "Per capsulam"


def test_only_signed_paragraphs_are_corrected(held_meeting, secretariat):
    later = MeetingFactory(starts_at=held_meeting.starts_at.replace(month=9), created_by=secretariat)
    with pytest.raises(ValidationError, match="justerat protokoll"):
        services.item_add(
            meeting=later, user=secretariat, title="Rättelse", corrects=held_meeting.paragraphs.first()
        )


# --- nothing recorded at a meeting before its agenda is out and its day has come (issue 17) --------


@pytest.fixture
def coming_meeting(secretariat):
    """A Värmlandsrådet meeting three days ahead with a proposed initiative, its agenda published."""
    import datetime

    from django.utils import timezone

    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=3), created_by=secretariat)
    services.item_add(meeting=meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    return meeting


def test_nothing_is_recorded_at_a_meeting_before_its_day(coming_meeting, secretariat, parties, adjusters):
    item = first_item(coming_meeting)
    attempts = [
        lambda: all_present(coming_meeting, secretariat, parties),
        lambda: services.stances_record(item=item, stances=everyone(parties), user=secretariat),
        lambda: services.item_decide(
            item=item, user=secretariat, stances=everyone(parties), supported_amount=AMOUNT
        ),
        lambda: services.item_defer(item=item, user=secretariat, reason="Senare."),
        lambda: services.meeting_hold(meeting=coming_meeting, user=secretariat),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as error:
            attempt()
        assert error.value.code == "before_meeting_day"
        assert "registreras först den dagen" in error.value.messages[0]
    assert not coming_meeting.attendance.exists()
    assert not Stance.objects.exists() and not Position.objects.exists()
    item.refresh_from_db()
    assert item.outcome == "" and item.initiative.status == Status.PROPOSED


def test_a_vrau_proposal_and_a_note_wait_for_the_meetings_day(secretariat):
    import datetime

    from django.utils import timezone

    vrau = MeetingFactory(
        body=body("vrau"), starts_at=timezone.now() + datetime.timedelta(days=1), created_by=secretariat
    )
    proposed = services.item_add(meeting=vrau, user=secretariat, initiative=InitiativeFactory())
    other = services.item_add(meeting=vrau, user=secretariat, title="Information")
    services.meeting_publish_agenda(meeting=vrau, user=secretariat)
    with pytest.raises(ValidationError, match="registreras först den dagen"):
        services.proposal_record(item=proposed, proposed_amount=AMOUNT, text="Förslag.", user=secretariat)
    with pytest.raises(ValidationError, match="registreras först den dagen"):
        services.item_note(item=other, statement="Noterades.", user=secretariat)
    assert not AgendaItem.objects.exclude(outcome="").exists()


def test_no_attendance_or_stances_before_the_agenda_is_published(vr_meeting, secretariat, parties):
    item = services.item_add(
        meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat)
    )
    with pytest.raises(ValidationError) as error:
        all_present(vr_meeting, secretariat, parties)
    assert error.value.code == "agenda_not_published"
    with pytest.raises(ValidationError, match="Publicera kallelsen och föredragningslistan först"):
        services.stances_record(item=item, stances=everyone(parties), user=secretariat)
    assert not Stance.objects.exists() and not vr_meeting.attendance.exists()


def test_a_planned_meetings_item_can_still_be_moved_to_a_later_meeting(vr_meeting, secretariat):
    import datetime

    from django.utils import timezone

    later = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=30), created_by=secretariat)
    coming = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=3), created_by=secretariat)
    item = services.item_add(
        meeting=coming, user=secretariat, initiative=proposed_initiative(user=secretariat)
    )
    services.item_defer(item=item, user=secretariat, to_meeting=later, reason="Underlag saknas.")
    assert later.items.get().deferred_from == item


def test_on_its_day_the_meeting_records_as_before(coming_meeting, secretariat, parties):
    import datetime

    coming_meeting.starts_at -= datetime.timedelta(days=3)
    coming_meeting.save(update_fields=["starts_at"])
    all_present(coming_meeting, secretariat, parties)
    services.item_decide(
        item=first_item(coming_meeting), user=secretariat, stances=everyone(parties), supported_amount=AMOUNT
    )
    assert Position.objects.get().supported_amount == AMOUNT
