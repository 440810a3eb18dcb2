"""`manage.py demo_data` is idempotent for real: a second (or third) run changes no row in any table, the
history tables included, and it never reports on an initiative that is not the demo's own."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from accounting.models import Fund
from initiatives.models import Initiative
from people.models import User
from tests.accounting.factories import decide, supported_initiative

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    """Every table of the database (the app's, the history tables, axes', sessions'...), counted."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608  (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    return counts


def demo_data() -> None:
    call_command("demo_data", stdout=io.StringIO())


def test_demo_data_run_twice_leaves_every_table_and_its_history_unchanged(settings):
    settings.DEBUG = True
    demo_data()
    first = row_counts()
    assert any(table.endswith("historical" + "initiative") for table in first)
    demo_data()
    assert row_counts() == first


def test_demo_data_invents_no_outcome_report_on_a_users_own_decided_initiative(settings):
    settings.DEBUG = True
    demo_data()
    # A user of the running demo takes an initiative of their own through the council to a decision.
    karlstad = User.objects.get(username="karlstad")
    finance = User.objects.get(username="ekonomi")
    own = supported_initiative(
        party=karlstad.party, user=karlstad, title="Mitt eget initiativ", meeting_day=date(2026, 3, 2)
    )
    own.start_date, own.end_date = date(2026, 4, 1), date(2028, 12, 31)
    own.save()
    decide(fund=Fund.objects.get(slug="dgr"), initiative=own, user=finance, decided_on=date(2026, 3, 10))
    before = row_counts()

    demo_data()

    assert Initiative.objects.get(pk=own.pk).outcome_reports.count() == 0
    assert row_counts() == before
