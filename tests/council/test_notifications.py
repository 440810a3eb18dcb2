"""The council's mail, delivered by a real worker after the changes commit (tests/conftest.py)."""

import datetime
from decimal import Decimal

import pytest

from council import services
from council.membership import membership_add
from council.models import MembershipRole
from people.roles import Role
from tests.council.factories import proposed_initiative
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def seat(person, secretariat):
    """A member of Värmlandsrådet for the person's party: members get the notice (council/notices.py)."""
    membership_add(
        body=vr_body(),
        party=person.party,
        person=person,
        role=MembershipRole.ORDINARY,
        starts_on=datetime.date(2026, 1, 1),
        user=secretariat,
    )


def vr_body():
    from tests.council.factories import body

    return body("varmlandsradet")


def test_publishing_the_agenda_sends_the_notice_to_the_members(
    vr_meeting, secretariat, representative, initiator, run_jobs
):
    seat(representative, secretariat)
    UserFactory(party=representative.party, roles=[Role.COUNCIL_REPRESENTATIVE])  # not a member: no notice
    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    notices = [m for m in run_jobs() if m.subject.startswith("Kallelse")]
    assert [m.to for m in notices] == [[representative.email]]
    assert notices[0].subject.startswith("Kallelse: Värmlandsrådet")
    assert f"http://testserver/sammantraden/{vr_meeting.pk}/" in notices[0].body


def test_chosen_adjusters_are_asked_to_sign(held_meeting_factory, adjusters, run_jobs):
    held_meeting_factory()
    outbox = run_jobs()
    asked = [m for m in outbox if m.subject.startswith("Justera")]
    assert sorted(m.to[0] for m in asked) == sorted(a.email for a in adjusters)
    assert all(len(m.to) == 1 for m in asked)  # one message per adjuster


def test_minutes_texts_and_notices_are_swedish_when_the_secretary_reads_english(
    vr_meeting, secretariat, representative, parties, run_jobs
):
    from django.utils import translation

    from tests.council.conftest import all_present, everyone

    seat(representative, secretariat)
    services.item_add(meeting=vr_meeting, user=secretariat, initiative=proposed_initiative(user=secretariat))
    with translation.override("en"):
        services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
        all_present(vr_meeting, secretariat, parties)
        item = vr_meeting.items.get()
        services.item_decide(
            item=item, user=secretariat, stances=everyone(parties), supported_amount=Decimal("1000.00")
        )
    item.refresh_from_db()
    assert item.outcome_detail == "Konsensus (17 står bakom, 0 avstår, 0 motsätter sig, 0 jäv)."
    notices = [m for m in run_jobs() if m.subject.startswith("Kallelse")]
    assert notices[0].subject.startswith("Kallelse: Värmlandsrådet")
    assert "Kallelse och föredragningslista" in notices[0].body
