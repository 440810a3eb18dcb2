import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import translation

from council.reference import ensure_council_reference
from initiatives.reference import ensure_action_areas
from people.reference import ensure_parties, ensure_roles
from people.roles import Role
from tests.factories import UserFactory, party


@pytest.fixture(autouse=True)
def _swedish():
    """Every test starts in Swedish, the interface's default. A request in English leaves English active
    in the thread afterwards (as Django's own locale middleware does), which would otherwise decide the
    language of whatever test runs next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The parties and roles come from data migrations; tests with real commits truncate them away."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if transactional or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        ensure_parties(django_apps)
        ensure_roles(django_apps)
        ensure_action_areas(django_apps)
        ensure_council_reference(django_apps)


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database may be truncated: pytest-django empties it with TRUNCATE after every test with
    real commits, which the ledger's append-only tables otherwise refuse (accounting migration 0002).
    Set as a database default, so every connection (threads, the live server) has it; no production
    database ever has `dgr.allow_truncate`."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        name = connection.settings_dict["NAME"]
        cursor.execute(f"ALTER DATABASE {connection.ops.quote_name(name)} SET dgr.allow_truncate = 'on'")
        cursor.execute("SET dgr.allow_truncate = 'on'")
