import pytest

from council import minutes, services
from council.models import StanceKind
from people.models import Party
from people.roles import Role
from tests.council.factories import MeetingFactory, body, proposed_initiative, seat
from tests.factories import UserFactory


@pytest.fixture
def parties(db):
    return list(Party.objects.active().in_swedish_order())


@pytest.fixture
def vr_meeting(secretariat):
    return MeetingFactory(created_by=secretariat)


@pytest.fixture
def vrau_meeting(secretariat):
    return MeetingFactory(body=body("vrau"), created_by=secretariat)


@pytest.fixture
def adjusters(db, parties):
    # Members of both bodies: chair and adjusters are chosen among the members of the parties present.
    return [
        seat(UserFactory(username=f"vr-{p.slug}", party=p, roles=[Role.COUNCIL_REPRESENTATIVE]))
        for p in parties[:2]
    ]


def all_present(meeting, user, parties, *, absent=()):
    services.attendance_record(
        meeting=meeting,
        rows=[(p, p.slug not in absent, "" if p.slug in absent else f"Ledamot {p.name}") for p in parties],
        user=user,
    )


def hold(meeting, user, adjusters):
    """Open the meeting with the first of `adjusters` in the chair and the others adjusting, then close it."""
    minutes.meeting_open(meeting=meeting, chair=adjusters[0], adjusters=adjusters[1:], user=user)
    services.meeting_hold(meeting=meeting, user=user)


def everyone(parties, kind=StanceKind.SUPPORTS, **overrides):
    """{party: (kind, reason)}; overrides by slug: arvika=(StanceKind.OBJECTS, "skäl")."""
    return {
        p: overrides.get(p.slug, (kind, "")) for p in parties if p.slug not in overrides or overrides[p.slug]
    }


@pytest.fixture
def published_meeting(vr_meeting, secretariat, parties):
    """A Värmlandsrådet meeting with two proposed initiatives on the agenda, everyone present."""
    for title in ("Laddinfrastruktur i Värmland", "Kompetenslyft för industrin"):
        services.item_add(
            meeting=vr_meeting,
            user=secretariat,
            initiative=proposed_initiative(user=secretariat, title=title),
        )
    services.meeting_publish_agenda(meeting=vr_meeting, user=secretariat)
    all_present(vr_meeting, secretariat, parties)
    vr_meeting.refresh_from_db()
    return vr_meeting


@pytest.fixture
def held_meeting_factory(published_meeting, secretariat, parties, adjusters):
    """Decide every item and close the meeting (call it inside the block that should see the mails)."""
    from decimal import Decimal

    def decide_and_hold():
        for item in published_meeting.items.order_by("order"):
            services.item_decide(
                item=item, user=secretariat, stances=everyone(parties), supported_amount=Decimal("1000.00")
            )
        hold(published_meeting, secretariat, adjusters)
        return published_meeting

    return decide_and_hold
