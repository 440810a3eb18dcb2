import pytest
from django.apps import apps as django_apps

from initiatives.reference import ensure_action_areas
from people.reference import ensure_parties, ensure_roles
from people.roles import Role
from tests.factories import UserFactory, party


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The parties and roles come from data migrations; tests with real commits truncate them away."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if transactional or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        ensure_parties(django_apps)
        ensure_roles(django_apps)
        ensure_action_areas(django_apps)


@pytest.fixture
def karlstad():
    return party("karlstad")


@pytest.fixture
def arvika():
    return party("arvika")


@pytest.fixture
def region():
    return party("region")


@pytest.fixture
def initiator(db, karlstad):
    return UserFactory(username="karlstad", party=karlstad, roles=[Role.INITIATOR])


@pytest.fixture
def other_initiator(db, arvika):
    return UserFactory(username="arvika", party=arvika, roles=[Role.INITIATOR])


@pytest.fixture
def secretariat(db, region):
    return UserFactory(username="vrag", party=region, roles=[Role.SECRETARIAT])


@pytest.fixture
def finance(db, region):
    return UserFactory(username="ekonomi", party=region, roles=[Role.FINANCE])


@pytest.fixture
def auditor(db):
    return UserFactory(username="revisor", party=None, roles=[Role.AUDITOR])


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin", party=None, roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True
    )


@pytest.fixture
def representative(db, karlstad):
    return UserFactory(username="vr-karlstad", party=karlstad, roles=[Role.COUNCIL_REPRESENTATIVE])
