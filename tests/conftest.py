import threading

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.utils import translation

from council.reference import ensure_council_reference
from initiatives.reference import ensure_action_areas
from people.reference import ensure_parties, ensure_roles
from people.roles import Role
from tests.factories import UserFactory, party
from tests.smtp import smtp  # noqa: F401 - a real SMTP server, for the tests of mail


@pytest.fixture(autouse=True)
def _swedish():
    """Every test starts in Swedish, the interface's default. A request in English leaves English active
    in the thread afterwards (as Django's own locale middleware does), which would otherwise decide the
    language of whatever test runs next."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """The public pages are cached per process for minutes: a page cached by one test would show the next
    test (on the same xdist worker, with other rows) meetings and initiatives it does not have."""
    from django.core.cache import cache

    cache.clear()
    yield


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


@pytest.fixture
def owner_connection(transactional_db):
    """A second connection to the test database as the owner role, in autocommit. The owner owns the
    tables, so what refuses it is a trigger, not a missing privilege: tests of the triggers use it (the
    app role's connection is refused earlier, for lack of privileges)."""
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    owner = settings.DATABASE_OWNER_CREDENTIALS
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=params["dbname"],
        user=owner["USER"],
        password=owner["PASSWORD"] or None,
        host=owner["HOST"] or params.get("host"),
        port=owner["PORT"] or params.get("port"),
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created and migrated by the owner role, as production's is (core/dbroles.py);
    `django_db_setup` below hands the connection to the app role for the tests themselves."""
    from django.db import connection

    connection.close()
    connection.settings_dict.update(settings.DATABASE_OWNER_CREDENTIALS)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Tests run as the app role, which owns nothing: what the tests prove of the database's guarantees
    holds against the app itself. pytest-django drops the test database as the owner afterwards.

    pytest-django empties tables after every test with real commits; core's `flush` command does that
    as the owner with the ledger's TRUNCATE switch, which only these settings allow."""
    from django.db import connection

    owner = dict(settings.DATABASE_OWNER_CREDENTIALS)
    app = _app_credentials()
    connection.close()
    connection.settings_dict.update(app)
    yield
    connection.close()
    connection.settings_dict.update(owner)


def _app_credentials() -> dict:
    import dj_database_url

    parsed = dj_database_url.parse(settings.DATABASE_URL)
    return {key: parsed[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}


@pytest.fixture
def run_jobs(transactional_db, settings):
    """A real Procrastinate worker, on connections of its own to the test database, run until the queue
    is empty: every job the committed changes queued runs, and mail is delivered through EMAIL_BACKEND
    (locmem in tests, so it lands in django.core.mail.outbox). Call it after the changes; it returns the
    mail this run sent."""
    from django.core import mail
    from procrastinate.contrib.django import app

    settings.DGR_MAIL_RETRY_SECONDS = 0

    def work(options, failures):
        try:
            with app.replace_connector(app.connector.get_worker_connector()):
                app.run_worker(wait=False, listen_notify=False, install_signal_handlers=False, **options)
        except BaseException as exc:  # raised again in the test's thread
            failures.append(exc)

    def run(**options):
        mail.outbox = []
        # In a thread of its own: the worker runs an event loop, and the test's thread may have one
        # already (Playwright's sync API in browser tests).
        failures = []
        thread = threading.Thread(target=work, args=(options, failures))
        thread.start()
        thread.join(timeout=300)
        if failures:
            raise failures[0]
        return mail.outbox

    return run
