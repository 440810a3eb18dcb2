#!/usr/bin/env python3
"""Where a page's server time goes: cProfile over repeated requests through Django's test client.

    .venv/bin/python bench/profile_page.py bench-secretariat /initiativ/42/ [--requests 50] [--sort tottime]

Runs against the bench database (`make bench` builds it) with DEBUG off, as bench/run.py serves it,
so the figures show the same code paths (cached templates, manifest static files).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import BENCH_ENV  # noqa: E402

os.environ.update(BENCH_ENV)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument(
        "--queries", action="store_true", help="also print each query's time and SQL, slowest first"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from people.models import User

    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(User.objects.get(username=args.username))
    for _ in range(5):
        response = client.get(args.path, secure=True)
        assert response.status_code == 200, response.status_code
    queries: list[tuple[float, str]] = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(count):
        client.get(args.path, secure=True)
    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(args.path, secure=True)
    plain = (time.perf_counter() - started) / args.requests * 1000
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path, secure=True)
    profile.disable()
    print(f"{args.path}: {plain:.1f} ms per request without the profiler, {len(queries)} queries")
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)
    if args.queries:
        for ms, sql in sorted(queries, reverse=True):
            print(f"{ms:8.2f} ms  {sql}\n")


if __name__ == "__main__":
    main()
