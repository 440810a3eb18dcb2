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
