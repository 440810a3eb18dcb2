"""Two database roles, so that the database's guarantees hold against the app itself.

- The **owner** role owns the schema: `manage.py migrate` runs as it (core's `migrate` command switches to
  it), and so do the test suite's set-up and its TRUNCATE between tests with real commits.
- The **app** role is what the web servers and workers connect as. It owns nothing and holds only what it
  needs: SELECT, INSERT, UPDATE, DELETE on ordinary tables; SELECT and INSERT on append-only tables (the
  ledger, the council's positions, the report archive and every history table); USAGE on sequences. It
  cannot run DDL, disable or drop a trigger, TRUNCATE, or become the owner, so whatever its code does, the
  triggers and constraints stay in force. Its `statement_timeout`, `lock_timeout` and
  `idle_in_transaction_session_timeout` defaults are set on the role.

`grants_apply` runs after every `migrate`, so a new table gets its grants in the same step that creates it.
`roles_ensure` creates both roles and the database (needs a superuser: the embedded server's, a DBA's, or
CI's); `python -m core.dbroles SUPERUSER_URL DATABASE` does the same from a shell and prints the URLs.

This module imports no Django models at import time: the settings use it before the apps are loaded.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

OWNER_ROLE = "dgr_owner"
APP_ROLE = "dgr_app"

# The app role's defaults (it may lower them; nothing it does can lift a guarantee).
APP_ROLE_SETTINGS = {
    "statement_timeout": "30s",
    "lock_timeout": "10s",
    "idle_in_transaction_session_timeout": "60s",
}

_append_only: set[str] = set()


def append_only(model):
    """Class decorator for a model whose rows are never updated or deleted (a trigger refuses it too):
    the app role gets SELECT and INSERT on its table, nothing more."""
    _append_only.add(model._meta.db_table)
    return model


def append_only_tables() -> set[str]:
    """The registered append-only tables and every django-simple-history table."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    history = {m._meta.db_table for m in apps.get_models() if issubclass(m, HistoricalChanges)}
    return _append_only | history


def grants_apply(cursor, app_role: str) -> None:
    """Give the app role exactly what it needs on the current schema (run as the owner after migrate)."""
    from psycopg import sql

    role = sql.Identifier(app_role)
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    tables = [row[0] for row in cursor.fetchall()]
    restricted = append_only_tables()
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(role),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
    ]
    for table in tables:
        privileges = "SELECT, INSERT" if table in restricted else "SELECT, INSERT, UPDATE, DELETE"
        statements.append(
            sql.SQL("GRANT " + privileges + " ON TABLE {} TO {}").format(sql.Identifier(table), role)
        )
    for statement in statements:
        cursor.execute(statement)


def owner_credentials() -> dict:
    """The owner role's connection values (USER, PASSWORD, HOST, PORT) from the settings."""
    from django.conf import settings

    return settings.DATABASE_OWNER_CREDENTIALS


@contextmanager
def owner_session(alias: str = "default"):
    """Connect the given alias as the owner role for the duration (migrate, the tests' set-up and flush).

    The connection's settings dict is shared by every thread's connection of the alias, so it is changed
    in place and restored afterwards; the open connection is closed on both sides."""
    from django.db import connections

    connection = connections[alias]
    owner = owner_credentials()
    saved = {key: connection.settings_dict.get(key) for key in owner}
    if saved == owner:
        yield connection
        return
    connection.close()
    connection.settings_dict.update(owner)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def grants_problems(cursor, app_role: str) -> list[str]:
    """Where the app role's privileges differ from what `grants_apply` gives (empty: as they should be)."""
    cursor.execute(
        "SELECT tablename, tableowner = %(role)s,"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'SELECT'),"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'INSERT'),"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'UPDATE'),"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'DELETE'),"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'TRUNCATE'),"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'TRIGGER'),"
        " has_table_privilege(%(role)s, quote_ident(tablename), 'REFERENCES')"
        " FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        {"role": app_role},
    )
    restricted = append_only_tables()
    problems = []
    for table, owns, *privileges in cursor.fetchall():
        writable = table not in restricted
        expected = [True, True, writable, writable, False, False, False]
        if owns or privileges != expected:
            problems.append(f"{table}: the app role's privileges are not as core/dbroles.py gives them")
    return problems


def url_with_user(url: str, user: str) -> str:
    """The same server and database as `url`, as another role (trust or peer authentication)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))


def url_with_database(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + database))


def roles_ensure(superuser_url: str, database: str) -> None:
    """Create (or bring up to date) both roles and the database owned by the owner role.

    Idempotent. A database made before the roles existed (an older embedded `var/pgdata`) is handed to
    the owner role, with everything in its public schema."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(superuser_url, autocommit=True) as conn:
        # One at a time: two processes starting together (pytest-xdist's nodes, server and worker) would
        # otherwise ALTER the same role at once and one fails with "tuple concurrently updated". The
        # lock is the session's, released when the connection closes.
        conn.execute("SELECT pg_advisory_lock(hashtext('dgr.roles_ensure'))")
        for role, extra in ((OWNER_ROLE, "LOGIN CREATEDB"), (APP_ROLE, "LOGIN")):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(
                sql.SQL(verb + " ROLE {} " + extra + " NOSUPERUSER NOCREATEROLE NOBYPASSRLS").format(
                    sql.Identifier(role)
                )
            )
        for name, value in APP_ROLE_SETTINGS.items():
            conn.execute(
                sql.SQL("ALTER ROLE {} SET {} = {}").format(
                    sql.Identifier(APP_ROLE), sql.Identifier(name), sql.Literal(value)
                )
            )
        row = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if row is None:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {} TEMPLATE template0 ENCODING 'UTF8'").format(
                    sql.Identifier(database), sql.Identifier(OWNER_ROLE)
                )
            )
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE (datname = %s OR datname LIKE %s) "
            "AND pg_get_userbyid(datdba) <> %s",
            # Only this database's own test databases (pytest-django's test_<name>, with xdist suffixes).
            [database, "test\\_" + database.replace("_", "\\_") + "%", OWNER_ROLE],
        ).fetchall()
        for (name,) in stale:
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(name), sql.Identifier(OWNER_ROLE)
                )
            )
            with psycopg.connect(url_with_database(superuser_url, name), autocommit=True) as db:
                db.execute(_ADOPT.replace("__owner__", OWNER_ROLE))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))
        conn.execute(
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(database), sql.Identifier(APP_ROLE)
            )
        )
        # As the owner: nobody else creates objects in the schema. Still under the lock: two GRANTs on
        # the schema at once clash the same way.
        with psycopg.connect(
            url_with_database(url_with_user(superuser_url, OWNER_ROLE), database), autocommit=True
        ) as owner:
            owner.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
            owner.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(sql.Identifier(APP_ROLE)))


# Hands every table, view, sequence and function of the public schema to the owner role (for databases
# made before the roles existed). Sequences owned by a table move with it.
_ADOPT = """
DO $$
DECLARE r record;
BEGIN
  EXECUTE 'ALTER SCHEMA public OWNER TO __owner__';
  FOR r IN
    SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND pg_get_userbyid(c.relowner) <> '__owner__'
      AND NOT (c.relkind = 'S' AND EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO __owner__',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
      ELSE 'TABLE' END, r.name);
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '__owner__'
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO __owner__', r.name);
  END LOOP;
  FOR r IN
    SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND pg_get_userbyid(t.typowner) <> '__owner__'
      AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO __owner__', r.name);
  END LOOP;
END $$;
"""


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m core.dbroles SUPERUSER_URL DATABASE", file=sys.stderr)
        return 2
    superuser_url, database = argv
    roles_ensure(superuser_url, database)
    target = url_with_database(superuser_url, database)
    print(f"DATABASE_URL={url_with_user(target, APP_ROLE)}")
    print(f"DATABASE_OWNER_URL={url_with_user(target, OWNER_ROLE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
