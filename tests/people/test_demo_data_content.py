"""`make run` twice changes nothing (issue 15: 5): beyond the row counts of test_demo_data.py, the
second `demo_data` leaves every value of every row as the first left it, history tables included."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def table_contents() -> dict[str, str]:
    """Each table's rows as one checksum over their text, in a fixed order."""
    with connection.cursor() as cursor:
        checksums = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            )
            checksums[table] = cursor.fetchone()[0]
    return checksums


def test_demo_data_run_twice_leaves_every_value_unchanged(settings):
    settings.DEBUG = True
    call_command("demo_data", stdout=io.StringIO())
    first = table_contents()
    call_command("demo_data", stdout=io.StringIO())
    second = table_contents()
    changed = sorted(table for table in first if first[table] != second[table])
    assert not changed, f"a second demo_data changed rows in: {changed}"
