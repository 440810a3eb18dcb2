#!/usr/bin/env python3
"""How the ledger's figures scale with the journal: balance and availability at 100 000 and 1 000 000 lines.

    .venv/bin/python bench/ledger.py            # uses the bench database dgr_bench (embedded PostgreSQL)

For each size it builds a fund of its own in `dgr_bench` (once; later runs reuse it): verifications over
2022–2025 and a fixed 20 000 lines in the open year 2026. The lines are bulk-inserted with SQL in this
bench database only, with `session_replication_role = replica` (the refusal and check triggers off for
the load session only), then the years 2022–2025 are closed through the real service, which writes the
snapshots. It then times, median of 15 runs:
- the fund overview (selectors.fund_overview: every figure of every part and year);
- availability (services.available for each capital part: the SQL function the posting services and the
  database's commit-time check use);
- for contrast, the naive sum over the whole journal that the snapshots avoid;
and prints the ratio 1 000 000 / 100 000 for each.
"""

import os
import statistics
import sys
import time
from datetime import date
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
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from accounting import services
    from accounting.models import Fund
    from core.history import acting_as
    from people.models import User

    slug = f"bench-{size}"
    fund = Fund.objects.filter(slug=slug).first()
    if fund and fund.fiscal_years.filter(year=2026).exists():
        return fund
    user, _ = User.objects.get_or_create(username="bench-ledger")
    user.groups.add(Group.objects.get(name="finance"))
    with acting_as(user, "bench"):
        fund = services.fund_create(
            slug=slug,
            name=f"Bench {size}",
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
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "INSERT INTO accounting_verification (fund_id, fiscal_year_id, series, number, booking_date,"
                " registered_at, author_id, text, kind)"
                " SELECT %s, %s, 'A', g, make_date(%s, 1, 1) + (g %% 365), now(), %s,"
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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounting_verificationline")
        cursor.execute("ANALYZE accounting_verification")
    with acting_as(user, "bench"):
        for year in CLOSED_YEARS:
            services.fiscal_year_close(fiscal_year=fund.fiscal_years.get(year=year), user=user)
    print(f"   built {slug}: {size:,} lines in {time.perf_counter() - started:.1f} s")
    return fund


def timed(fn, runs: int = 15) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accounting import selectors, services
    from accounting.models import CapitalPart, VerificationLine

    call_command("migrate", verbosity=0)
    results = {}
    for size in SIZES:
        fund = build(size)
        parts = list(CapitalPart.objects.filter(fund=fund))
        lines = VerificationLine.objects.filter(verification__fund=fund).count()

        def naive(fund=fund):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT l.account_id, sum(l.amount) FROM accounting_verificationline l"
                    " JOIN accounting_fiscalyear y ON y.id = l.fiscal_year_id"
                    " WHERE y.fund_id = %s GROUP BY 1",
                    [fund.pk],
                )
                return cursor.fetchall()

        results[size] = {
            "lines": lines,
            "fund overview (all figures)": timed(lambda fund=fund: selectors.fund_overview(fund)),
            "available, 3 capital parts": timed(lambda parts=parts: [services.available(p) for p in parts]),
            "naive sum over the whole journal": timed(naive, runs=5),
        }
    small, large = (results[s] for s in SIZES)
    print(f"\n== ledger figures, median ms (journal of {small['lines']:,} vs {large['lines']:,} lines)")
    print(f"{'figure':<36} {'100k':>10} {'1M':>10} {'ratio':>7}")
    for name in (
        "fund overview (all figures)",
        "available, 3 capital parts",
        "naive sum over the whole journal",
    ):
        print(f"{name:<36} {small[name]:>10.2f} {large[name]:>10.2f} {large[name] / small[name]:>7.2f}")


if __name__ == "__main__":
    main()
