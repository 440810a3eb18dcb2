"""The app's own database role cannot switch off a guarantee (core/dbroles.py).

Every test here runs SQL as the role the app connects with — the test suite's default connection, as in
production — and expects PostgreSQL itself to refuse."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from accounting import services
from core.dbroles import APP_ROLE_SETTINGS, append_only_tables
from tests.accounting.factories import decide, make_fund, supported_initiative

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ledger(finance, karlstad, initiator):
    """A fund with capital, a decision and a commitment: rows in the journal and in history tables."""
    fund = make_fund(finance)
    part = fund.capital_parts.get(number=1)
    services.capital_add(
        capital_part=part, amount=Decimal("1000000.00"), booking_date=date(2026, 1, 1), text="K", user=finance
    )
    decision = decide(
        fund=fund, initiative=supported_initiative(party=karlstad, user=initiator), user=finance
    )
    services.commitment_create(
        decision=decision,
        shares=[services.Share(part, Decimal("100.00"))],
        booking_date=date(2026, 2, 1),
        text="Åtagande",
        user=finance,
    )
    return fund


def _refused(statement: str, match: str = "permission denied|must be owner"):
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_app_connects_as_a_role_that_owns_nothing_and_the_owner_owns_every_table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, settings.DATABASE_APP_ROLE)
        assert settings.DATABASE_OWNER_CREDENTIALS["USER"] != settings.DATABASE_APP_ROLE
        cursor.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls FROM pg_roles"
            " WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relowner = current_user::regrole"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchall() == [(settings.DATABASE_OWNER_CREDENTIALS["USER"],)]


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE accounting_verificationline DISABLE TRIGGER ALL",
        "ALTER TABLE accounting_verification DISABLE TRIGGER accounting_verification_refuse_change",
        "DROP TRIGGER accounting_verificationline_refuse_change ON accounting_verificationline",
        "DROP TRIGGER accounting_decision_refuse_change ON accounting_decision",
        "DROP TRIGGER people_user_refuse_delete ON people_user",
        "DROP FUNCTION accounting_refuse_change() CASCADE",
        "ALTER TABLE accounting_verificationline DROP CONSTRAINT IF EXISTS accounting_verificationline_pkey",
        "CREATE TABLE intruder (id int)",
        "CREATE OR REPLACE FUNCTION accounting_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RETURN NEW; END $$",
        "SET ROLE dgr_owner",
        "SET session_replication_role = replica",
    ],
)
def test_the_app_role_cannot_change_the_schema_or_switch_off_a_trigger(statement):
    _refused(statement)


def test_the_app_role_cannot_truncate_even_with_the_test_switch(ledger):
    for table in [*sorted(append_only_tables()), "people_user", "initiatives_initiative"]:
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("SET LOCAL dgr.allow_truncate = 'on'")
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)} CASCADE")


def test_the_app_role_cannot_update_or_delete_journal_or_history_rows(ledger):
    tables = sorted(append_only_tables())
    # Every history table and the ledger's, council's and archive's append-only tables are covered.
    assert "accounting_verificationline" in tables
    assert "initiatives_historicalinitiative" in tables
    assert "accounting_historicaldecision" in tables
    assert len([t for t in tables if "historical" in t]) >= 10
    for table in tables:
        quoted = connection.ops.quote_name(table)
        _refused(f"UPDATE {quoted} SET id = id", match="permission denied")  # noqa: S608
        _refused(f"DELETE FROM {quoted}", match="permission denied")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounting_verificationline")
        assert cursor.fetchone()[0] > 0


def test_the_grants_follow_the_kind_of_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, has_table_privilege(tablename, 'SELECT'),"
            " has_table_privilege(tablename, 'INSERT'),"
            " has_table_privilege(tablename, 'UPDATE'), has_table_privilege(tablename, 'DELETE'),"
            " has_table_privilege(tablename, 'TRUNCATE'), has_table_privilege(tablename, 'TRIGGER'),"
            " has_table_privilege(tablename, 'REFERENCES')"
            " FROM pg_tables WHERE schemaname = 'public'"
        )
        rows = {row[0]: row[1:] for row in cursor.fetchall()}
    restricted = append_only_tables()
    for table, privileges in rows.items():
        expected = (True, True, False, False) if table in restricted else (True, True, True, True)
        assert privileges == (*expected, False, False, False), table


def test_a_decisions_terms_cannot_be_changed_but_its_document_can_be_replaced(ledger):
    _refused("UPDATE accounting_decision SET amount = amount + 1", match="never changed")
    _refused("UPDATE accounting_decision SET decided_on = decided_on - 1", match="never changed")
    _refused("UPDATE accounting_decision SET reference = 'RS 2026/99'", match="never changed")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounting_decision SET document = 'decisions/x.pdf', document_name = 'Beslut.pdf',"
            " document_type = 'application/pdf'"
        )
        assert cursor.rowcount == 1


def test_the_app_role_has_timeouts():
    with connection.cursor() as cursor:
        for name, value in APP_ROLE_SETTINGS.items():
            cursor.execute(
                "SELECT setting::int * CASE unit WHEN 's' THEN 1000 ELSE 1 END"
                " FROM pg_settings WHERE name = %s",
                [name],
            )
            milliseconds = cursor.fetchone()[0]
            assert milliseconds == int(value.removesuffix("s")) * 1000, name
