#!/usr/bin/env python3
"""How the ledger's figures scale with the journal: balance and availability at 100 000 and 1 000 000 lines.

    .venv/bin/python bench/ledger.py            # uses the bench database dgr_bench (embedded PostgreSQL)

For each size it builds a fund of its own in `dgr_bench` (once; later runs reuse it): verifications over
2022–2025 and a fixed 20 000 lines in the open year 2026. The lines are bulk-inserted with SQL in this
bench database only, with `session_replication_role = replica` (the refusal and check triggers off for
the load session only), then the years 2022–2025 are closed through the real service, which writes the
snapshots. It then times, median of 31 rounds taken round-robin over both sizes:
- the fund overview (selectors.fund_overview: every figure of every part and year);
- availability (services.available for each capital part: the SQL function the posting services and the
  database's commit-time check use);
- the database's own check at COMMIT: a transfer of 1 kr between two capital parts is posted through the
  service (alternately A→B and B→A, so the balances stay put) and only its COMMIT is timed, which runs the
  deferred constraint trigger (the verification balances, both available accounts stay ≥ 0) and the
  commit itself (WAL flush). Each run adds two lines to the open year: noise against its 20 000;
- the check's own work without the commit: accounting_account_balance for the three available accounts;
- for contrast, the naive sum over the whole journal that the snapshots avoid;
and prints the ratio 1 000 000 / 100 000 for each (the target, issue 16: within 1.2); then the pages
(shared buffers) one balance touches at each size, which the machine's load does not move.
"""

import json
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgr.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DGR_EMBEDDED_DATABASE", "dgr_bench")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

SIZES = [100_000, 1_000_000]
OPEN_YEAR_LINES = 20_000
CLOSED_YEARS = [2022, 2023, 2024, 2025]


def build(size: int):
    import psycopg
    from django.contrib.auth.models import Group

    from accounting import services
    from accounting.models import Fund
    from core.history import acting_as
    from dgr.embedded_postgres import embedded_superuser_url
    from people.models import User

    # "ledger-" since the opening day carries only the founding capital (below); the "bench-" funds of
    # earlier runs had 335 bulk verifications on it and are left alone in dgr_bench.
    slug = f"ledger-{size}"
    fund = Fund.objects.filter(slug=slug).first()
    if fund and fund.fiscal_years.filter(year=2026).exists():
        return fund
    user, _ = User.objects.get_or_create(username="bench-ledger")
    user.groups.add(Group.objects.get(name="finance"))
    with acting_as(user, "bench"):
        fund = services.fund_create(
            slug=slug,
            name=f"Ledger bench {size}",
            opened_on=date(2022, 1, 1),
            parts=[("A", ""), ("B", ""), ("C", "")],
            user=user,
        )
    parts = list(fund.capital_parts.order_by("number").values_list("id", flat=True))
    available = [fund.accounts.get(capital_part_id=p, kind="available").pk for p in parts]
    settlement = fund.accounts.get(kind="settlement").pk
    per_closed_year = (size - OPEN_YEAR_LINES) // 2 // len(CLOSED_YEARS)
    started = time.perf_counter()
    for year in [*CLOSED_YEARS, 2026]:
        with acting_as(user, "bench"):
            fiscal_year = services.fiscal_year_open(fund=fund, year=year, user=user)
        verifications = OPEN_YEAR_LINES // 2 if year == 2026 else per_closed_year
        # As the embedded server's superuser: the app's role may not turn triggers off (core/dbroles.py).
        with psycopg.connect(embedded_superuser_url(ROOT)) as bulk, bulk.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "INSERT INTO accounting_verification (fund_id, fiscal_year_id, series, number, booking_date,"
                " registered_at, author_id, text, kind)"
                # From 2 January: in a real fund the opening day holds the founding capital alone, and the
                # overview reads that day as such (selectors.founding_capital).
                " SELECT %s, %s, 'A', g, make_date(%s, 1, 2) + (g %% 364), now(), %s,"
                " 'Bench ' || g, 'capital'"
                " FROM generate_series(1, %s) g",
                [fund.pk, fiscal_year.pk, year, user.pk, verifications],
            )
            cursor.execute(
                "INSERT INTO accounting_verificationline (verification_id, fiscal_year_id, account_id,"
                " capital_part_id, event, amount)"
                " SELECT v.id, v.fiscal_year_id,"
                "   CASE WHEN s.side = 1 THEN %s ELSE (%s::bigint[])[1 + v.number %% 3] END,"
                "   (%s::bigint[])[1 + v.number %% 3], 'capital',"
                "   CASE WHEN s.side = 1 THEN 1 ELSE -1 END * ((v.number %% 1000) + 1)::numeric"
                " FROM accounting_verification v CROSS JOIN (VALUES (1), (2)) AS s(side)"
                " WHERE v.fiscal_year_id = %s",
                [settlement, available, parts, fiscal_year.pk],
            )
            cursor.execute(
                "INSERT INTO accounting_verificationcounter (fiscal_year_id, series, last_number)"
                " VALUES (%s, 'A', %s)",
                [fiscal_year.pk, verifications],
            )
    with psycopg.connect(embedded_superuser_url(ROOT), autocommit=True) as bulk:
        # As autovacuum would soon: the visibility map lets the balance read its lines from the index alone.
        bulk.execute("VACUUM (ANALYZE) accounting_verificationline")
        bulk.execute("ANALYZE accounting_verification")
    with acting_as(user, "bench"):
        for year in CLOSED_YEARS:
            services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=year), user=user)
    print(f"   built {slug}: {size:,} lines in {time.perf_counter() - started:.1f} s")
    return fund


RUNS = 31
FIGURES = (
    "fund overview (all figures)",
    "available, 3 capital parts",
    "check at COMMIT (a transfer's commit)",
    "balance function, 3 accounts (SQL)",
    "naive sum over the whole journal",
)


def sample(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def commit_sample(parts, user, run: int) -> float:
    """ms of one posting's COMMIT: the deferred check of migration 0002 plus the commit itself. The
    transfer goes A→B on even runs and B→A on odd ones, so the balances stay put."""
    from django.db import connection, transaction

    from accounting import services

    first, second = sorted(parts, key=lambda p: p.number)[:2]
    source, target = (first, second) if run % 2 == 0 else (second, first)
    transaction.set_autocommit(False)
    try:
        services.capital_transfer(
            from_part=source,
            to_part=target,
            amount=Decimal("1.00"),
            booking_date=date(2026, 6, 1),
            text="Bench: the check at COMMIT",
            user=user,
        )
        started = time.perf_counter()
        connection.commit()
        return (time.perf_counter() - started) * 1000
    finally:
        transaction.set_autocommit(True)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounting import selectors, services
    from accounting.models import Account, CapitalPart, VerificationLine
    from people.models import User

    call_command("migrate", verbosity=0)
    user = User.objects.get(username="bench-ledger")
    figures, lines = {}, {}
    for size in SIZES:
        fund = build(size)
        parts = list(CapitalPart.objects.filter(fund=fund))
        lines[size] = VerificationLine.objects.filter(verification__fund=fund).count()
        accounts = list(fund.accounts.filter(kind="available").order_by("code").values_list("pk", flat=True))

        def naive(fund=fund):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT l.account_id, sum(l.amount) FROM accounting_verificationline l"
                    " JOIN accounting_fiscalyear y ON y.id = l.fiscal_year_id"
                    " WHERE y.fund_id = %s GROUP BY 1",
                    [fund.pk],
                )
                return cursor.fetchall()

        def balances(accounts=accounts):
            with connection.cursor() as cursor:
                cursor.execute("SELECT accounting_account_balance(a) FROM unnest(%s::bigint[]) a", [accounts])
                return cursor.fetchall()

        figures[size] = {
            FIGURES[0]: lambda run, fund=fund: sample(lambda: selectors.fund_overview(fund)),
            FIGURES[1]: lambda run, parts=parts: sample(lambda: [services.available(p) for p in parts]),
            FIGURES[2]: lambda run, parts=parts: commit_sample(parts, user, run),
            FIGURES[3]: lambda run, balances=balances: sample(balances),
            FIGURES[4]: lambda run, naive=naive: sample(naive),
        }
    # Round-robin, as `make bench` does: each round takes one sample of every figure at both sizes, so a
    # busy moment of the (shared) machine falls on both sides of a ratio. Round 0 warms the caches.
    # The naive sum goes last, in 5 rounds of its own: it reads the whole journal and would push the
    # others' pages out of PostgreSQL's buffers between rounds.
    samples = {(size, name): [] for size in SIZES for name in FIGURES}
    for run in range(RUNS + 1):
        for name in FIGURES[:-1]:
            for size in SIZES:
                elapsed = figures[size][name](run)
                if run:
                    samples[(size, name)].append(elapsed)
    for run in range(6):
        for size in SIZES:
            elapsed = figures[size][FIGURES[-1]](run)
            if run:
                samples[(size, FIGURES[-1])].append(elapsed)
    # What the clock cannot say on a busy machine: the pages one balance touches (shared buffers, hit or
    # read), from the function's own query under EXPLAIN. Equal at both sizes = the same work.
    pages = {}
    for size in SIZES:
        account = (
            Account.objects.filter(fund__slug=f"ledger-{size}", kind="available").order_by("code").first()
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'accounting_account_balance'")
            body = cursor.fetchone()[0].replace("p_account", str(int(account.pk)))
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {body}")
            plan = cursor.fetchone()[0]
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
        pages[size] = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    small, large = SIZES
    print(f"\n== ledger figures, median ms (journal of {lines[small]:,} vs {lines[large]:,} lines)")
    print(f"{'figure':<38} {'100k':>10} {'1M':>10} {'ratio':>7}")
    for name in FIGURES:
        low, high = (statistics.median(samples[(size, name)]) for size in SIZES)
        print(f"{name:<38} {low:>10.2f} {high:>10.2f} {high / low:>7.2f}")
    name = "pages one balance touches (buffers)"
    print(f"{name:<38} {pages[small]:>10} {pages[large]:>10} {pages[large] / pages[small]:>7.2f}")


if __name__ == "__main__":
    main()
