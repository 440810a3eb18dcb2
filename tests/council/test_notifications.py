from decimal import Decimal

from django.core import mail

from council import services
from tests.council.factories import proposed_initiative


def test_publishing_the_agenda_sends_the_notice_to_council_representatives_after_commit(
    vr_meeting, secretariat, representative, initiator, django_capture_on_commit_callbacks
):
    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    assert [m.to for m in mail.outbox] == [[representative.email]]
    assert mail.outbox[0].subject.startswith("Kallelse: Värmlandsrådet")


def test_chosen_adjusters_are_asked_to_sign(
    held_meeting_factory, adjusters, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        held_meeting_factory()
    assert sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Justera")) == sorted(
        a.email for a in adjusters
    )


def test_minutes_texts_and_notices_are_swedish_when_the_secretary_reads_english(
    vr_meeting, secretariat, representative, parties, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from tests.council.conftest import all_present, everyone

    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
        all_present(vr_meeting, secretariat, parties)
        item = vr_meeting.items.get()
        services.item_decide(
            item=item, user=secretariat, stances=everyone(parties), supported_amount=Decimal("1000.00")
        )
    item.refresh_from_db()
    assert item.outcome_detail == "Konsensus (17 står bakom, 0 avstår, 0 motsätter sig, 0 jäv)."
    assert mail.outbox[0].subject.startswith("Kallelse: Värmlandsrådet")
    assert "Kallelse och föredragningslista" in mail.outbox[0].body
