"""Factories for the council's tests: initiatives made directly in the state a meeting needs (the
initiatives app's own services are not this app's to test), meetings, and a quick way to fill a
meeting with attendance."""

import datetime
import itertools

import factory
from django.utils import timezone

from council.models import Body, Meeting
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition
from people.models import Party

_serial = itertools.count(1)


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


class InitiativeFactory(factory.django.DjangoModelFactory):
    """An initiative already prepared by the secretariat (status PREPARED, with a registration number)."""

    class Meta:
        model = Initiative

    party = factory.LazyFunction(lambda: Party.objects.get(slug="karlstad"))
    title = factory.Sequence(lambda n: f"Satsning nummer {n}")
    summary = "En satsning för hela Värmland."
    status = Status.PREPARED
    registration_year = 2026
    registration_serial = factory.LazyFunction(lambda: next(_serial) + 1000)
    created_by = factory.SubFactory("tests.factories.UserFactory")


def proposed_initiative(*, user, **kwargs) -> Initiative:
    """A prepared initiative that VRAU has proposed to Värmlandsrådet."""
    initiative = InitiativeFactory(**kwargs)
    initiative_transition(initiative=initiative, to=Status.PROPOSED, user=user, reason="test: VRAU proposal")
    initiative.refresh_from_db()
    return initiative


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.LazyFunction(lambda: Body.objects.get(slug="varmlandsradet"))
    starts_at = factory.LazyFunction(lambda: timezone.make_aware(datetime.datetime(2026, 3, 12, 9, 0)))
    place = "Residenset, Karlstad"
    created_by = factory.SubFactory("tests.factories.UserFactory")


def agreement_in_force(*, adopted_on=datetime.date(2021, 11, 30)) -> None:
    """All 17 parties have adopted the agreement (through the council's service): decisions and
    commitments need it in force. Idempotent; the acting secretariat is made once."""
    from council import services
    from council.models import Agreement
    from people.roles import Role
    from tests.factories import UserFactory

    agreement = Agreement.objects.order_by("pk").first()
    adopted = set(agreement.adoptions.values_list("party_id", flat=True))
    missing = [p for p in Party.objects.active() if p.pk not in adopted]
    if not missing:
        return
    from people.models import User

    secretariat = User.objects.filter(username="agreement-vrag").first() or UserFactory(
        username="agreement-vrag", party=Party.objects.get(slug="region"), roles=[Role.SECRETARIAT]
    )
    for party in missing:
        services.adoption_record(
            party=party, adopted_on=adopted_on, reference=f"KF {party.slug}", user=secretariat
        )


def seat(person, *slugs: str, role: str = "ordinary", starts_on=datetime.date(2022, 1, 1)):
    """Give `person` a seat for their party in the bodies named (default both), through the council's
    service: chair and adjusters are chosen among the body's members. Returns the person."""
    from council.membership import membership_add
    from people.models import User
    from people.roles import Role
    from tests.factories import UserFactory

    keeper = User.objects.filter(username="membership-vrag").first() or UserFactory(
        username="membership-vrag", party=Party.objects.get(slug="region"), roles=[Role.SECRETARIAT]
    )
    for slug in slugs or ("varmlandsradet", "vrau"):
        membership_add(
            body=body(slug), party=person.party, person=person, role=role, starts_on=starts_on, user=keeper
        )
    return person
