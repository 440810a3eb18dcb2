"""`position_import`: a position from Värmlandsrådet's signed minutes of before DGR."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from council import services
from council.models import Meeting, MeetingStatus, Outcome, Paragraph, ParagraphCounter, Position, StanceKind
from initiatives.models import Status
from tests.council.factories import MeetingFactory, body, proposed_initiative

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 3, 10)


def _import(initiative, user, *, number=5, outcome=Outcome.CONSENSUS, stances=None, **kwargs):
    return services.position_import(
        body=body("varmlandsradet"),
        meeting_day=kwargs.pop("day", DAY),
        paragraph_number=number,
        initiative=initiative,
        outcome=outcome,
        supported_amount=kwargs.pop("supported_amount", Decimal("1000000.00")),
        resolution=kwargs.pop("resolution", ""),
        stances=stances or {},
        statement="Värmlandsrådet tillstyrker.",
        user=user,
    )


def test_positions_land_in_one_signed_meeting_per_day_with_their_original_paragraphs(
    secretariat, karlstad, django_capture_on_commit_callbacks
):
    first = proposed_initiative(user=secretariat)
    second = proposed_initiative(user=secretariat)

    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        _import(first, secretariat, number=5, stances={karlstad: (StanceKind.SUPPORTS, "")})
    assert after_commit == []  # history replayed: no mail
    position = _import(
        second,
        secretariat,
        number=9,
        outcome=Outcome.NO_CONSENSUS,
        resolution="close",
        stances={karlstad: (StanceKind.OBJECTS, "För dyrt")},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.SUPPORTED, Status.NOT_SUPPORTED)
    assert position.meeting.status == MeetingStatus.MINUTES_SIGNED
    assert position.meeting.imported
    assert Paragraph.objects.filter(meeting=position.meeting).count() == 2
    assert sorted(Paragraph.objects.values_list("number", flat=True)) == [5, 9]
    assert position.reason == "Karlstad: För dyrt"
    assert ParagraphCounter.objects.get(year=2022).last_number == 9
    assert Position.objects.get(initiative=first).history.first().history_user == secretariat


def test_a_consensus_that_a_known_objection_contradicts_is_refused(secretariat, karlstad):
    initiative = proposed_initiative(user=secretariat)

    with pytest.raises(ValidationError) as refused:
        _import(initiative, secretariat, stances={karlstad: (StanceKind.OBJECTS, "Nej")})

    assert (
        "Karlstad motsätter sig, så utfallet kan inte vara konsensus."
        in refused.value.message_dict["outcome"]
    )
    assert not Position.objects.exists()


def test_the_same_paragraph_twice_and_a_meeting_held_in_dgr_that_day_are_refused(secretariat):
    _import(proposed_initiative(user=secretariat), secretariat, number=5)
    with pytest.raises(ValidationError, match="§ 5 år 2022 finns redan"):
        _import(proposed_initiative(user=secretariat), secretariat, number=5)
    MeetingFactory(created_by=secretariat, starts_at=datetime.datetime(2022, 4, 1, 9, 0, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="som förs i DGR"):
        _import(proposed_initiative(user=secretariat), secretariat, number=6, day=datetime.date(2022, 4, 1))


def test_only_the_secretariat_imports_positions(finance, secretariat):
    with pytest.raises(PermissionDenied):
        _import(proposed_initiative(user=secretariat), finance)


def test_minutes_signed_in_dgr_that_day_take_no_imported_position(secretariat, karlstad):
    # A real meeting of the day, its minutes signed in DGR: the import must not add to them.
    signed = datetime.datetime(2022, 3, 10, 9, 0, tzinfo=datetime.UTC)
    live = MeetingFactory(
        created_by=secretariat, starts_at=signed, status=MeetingStatus.MINUTES_SIGNED, signed_at=signed
    )
    initiative = proposed_initiative(user=secretariat)

    with pytest.raises(ValidationError) as refused:
        _import(initiative, secretariat, stances={karlstad: (StanceKind.SUPPORTS, "")})

    assert "som förs i DGR" in refused.value.message_dict["meeting_day"][0]
    assert not live.items.exists() and not live.paragraphs.exists() and not Position.objects.exists()
    initiative.refresh_from_db()
    assert initiative.status == Status.PROPOSED


def test_a_meeting_day_still_to_come_is_refused(secretariat):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        _import(proposed_initiative(user=secretariat), secretariat, day=tomorrow)

    assert "ligger i framtiden" in refused.value.message_dict["meeting_day"][0]
    assert not Meeting.objects.exists()
