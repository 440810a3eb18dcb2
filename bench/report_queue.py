#!/usr/bin/env python3
"""Bench: the 2,000-initiative balance report through the queue, final (issued) or preliminary (prepared).

    .venv/bin/python bench/report_queue.py [--preliminary]

On bench/report.py's database (`dgr_bench_report`, seeded the same way, once), for the last closed year:
- the web request: a POST of *Utfärda slutlig rapport* through Django's test client (it queues a job),
  after one warming request;
- the time until the report is ready: one `manage.py procrastinate worker --one-shot` process started
  right after, until the archive row exists (the worker's start-up included);
- the worker's peak resident memory (its process, from getrusage of the finished child).
The year's archived report is removed first in this bench database only (triggers off for that session).
With --preliminary: the open year's report, asked for with *Ta fram PDF* (its prepared files and jobs are
removed first), and the GET that downloads the prepared PDF. With --data xlsx (or csv): the last closed
year's data as Excel (or CSV), asked for with *Ta fram data som Excel* and downloaded the same way (until
round 2 these files were built inside the GET request).
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import ENV, seed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--preliminary", action="store_true", help="the open year's prepared PDF")
    parser.add_argument("--data", choices=["xlsx", "csv"], help="the closed year's data as Excel or CSV")
    options = parser.parse_args()
    preliminary, data = options.preliminary, options.data
    fmt = data or "pdf"
    os.environ.update(ENV)
    for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounting.models import Fund
    from core.dbroles import owner_session
    from people.models import User
    from reports.models import PreparedReport, ReportArchive

    seed()
    fund = Fund.objects.get(slug="bench")
    status = "open" if preliminary else "closed"
    year = fund.fiscal_years.filter(status=status).order_by("-year").values_list("year", flat=True).first()
    with connection.cursor() as cursor:
        # as the app role: the prepared files and jobs are ordinary rows
        cursor.execute("DELETE FROM reports_preparedreport WHERE fund_id = %s", [fund.pk])
        cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name LIKE 'reports.%%'")
    if not preliminary and not data:
        with (
            owner_session() as owner,
            owner.cursor() as cursor,
        ):  # the archive's trigger: off for this session
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(
                "DELETE FROM reports_reportarchive WHERE fund_id = %s AND year = %s", [fund.pk, year]
            )
            cursor.execute("SET session_replication_role = DEFAULT")
    finance = User.objects.filter(groups__name="finance", is_active=True).first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(finance)
    client.get(reverse("start"), secure=True)  # warm: URLs, templates and the connection are loaded once

    started = time.perf_counter()
    asks = "reports:balance-prepare" if preliminary or data else "reports:balance-issue"
    response = client.post(reverse(asks, args=[fund.slug, year]), {"format": fmt}, secure=True)
    request_s = time.perf_counter() - started
    assert response.status_code == 302, response.status_code

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "--no-listen-notify"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    worker.wait()
    ready_s = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if preliminary or data:
        document = PreparedReport.objects.get(fund=fund, year=year, kind="balance", format=fmt)
        started = time.perf_counter()
        download = client.get(reverse(f"reports:balance-{fmt}", args=[fund.slug, year]), secure=True)
        download_s = time.perf_counter() - started
        assert download.status_code == 200, download.status_code
        what = f"balance report {{year}} as {fmt}, 2 000 initiatives, prepared through the queue"
    else:
        document = ReportArchive.objects.get(fund=fund, year=year, kind="balance", is_final=True)
        what = "final balance report {year}, 2 000 initiatives, issued through the queue"
    print("\n== " + what.format(year=year))
    print(f"web request (POST, queues the job)      {request_s * 1000:8.0f} ms")
    print(f"until ready (worker start to stored)    {ready_s:8.1f} s")
    print(f"worker peak resident memory             {peak_mib:8.0f} MiB")
    print(f"file ({fmt})                              {document.size / 1e6:8.1f} MB")
    if preliminary or data:
        print(f"web request (GET, downloads it)         {download_s * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
