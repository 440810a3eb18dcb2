"""Checks of a whole database's integrity, for `manage.py verify_database` (a restored backup, a server).

Each app registers the checks of its own domain in its AppConfig.ready(); a check takes no argument and
returns a list of problems in plain words (empty: all is well). core adds the schema's: every migration
applied, every trigger the migrations create present and enabled, the app role's grants."""

import re
from collections.abc import Callable

_checks: list[tuple[str, Callable[[], list[str]]]] = []


def register(name: str, check: Callable[[], list[str]]) -> None:
    _checks.append((name, check))


def checks() -> list[tuple[str, Callable[[], list[str]]]]:
    return [("schema", schema_problems), *_checks]


_CREATE = re.compile(r"CREATE\s+(?:CONSTRAINT\s+)?TRIGGER\s+(\w+)\s", re.I)
_DROP = re.compile(r"DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s", re.I)


def expected_triggers() -> set[str]:
    """The triggers the applied migrations create (and do not drop again), read from their SQL."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunSQL

    loader = MigrationLoader(connection)
    names: set[str] = set()
    for key in _plan(loader):
        if key[0] not in _own_apps():
            continue  # a library's own triggers (the task queue's) come and go with its versions
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunSQL):
                sql = operation.sql if isinstance(operation.sql, str) else " ".join(map(str, operation.sql))
                for match in re.finditer(r"(CREATE\s+(?:CONSTRAINT\s+)?TRIGGER|DROP\s+TRIGGER)", sql, re.I):
                    rest = sql[match.start() :]
                    if (created := _CREATE.match(rest)) is not None:
                        names.add(created.group(1))
                    elif (dropped := _DROP.match(rest)) is not None:
                        names.discard(dropped.group(1))
    return names


def _own_apps() -> set[str]:
    """DGR's own apps: those whose code lives in the project, not in an installed library."""
    from django.apps import apps
    from django.conf import settings

    base = str(settings.BASE_DIR)
    return {c.label for c in apps.get_app_configs() if str(c.path).startswith(base) and ".venv" not in c.path}


def _plan(loader) -> list:
    """All migrations in the order they apply."""
    seen: list = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.append(key)
    return seen


def schema_problems() -> list[str]:
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from core.dbroles import grants_problems

    problems = []
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        problems.append("Migrations are missing: the copy is older than the code.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal")
        present = dict(cursor.fetchall())
        for name in sorted(expected_triggers()):
            if name not in present:
                problems.append(f"Trigger {name} is missing.")
            elif present[name] == "D":
                problems.append(f"Trigger {name} is disabled.")
        if settings.DATABASE_OWNER_CREDENTIALS["USER"] != settings.DATABASE_APP_ROLE:
            problems += grants_problems(cursor, settings.DATABASE_APP_ROLE)
    return problems


def table_counts() -> dict[str, int]:
    from django.db import connection
    from psycopg import sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts
