#!/usr/bin/env python3
"""Bench: Region Värmland's annual balance report on a large ledger.

    .venv/bin/python bench/report.py [--repeat 3]

Uses a database of its own on the embedded PostgreSQL (`dgr_bench_report`), migrated and filled once
(idempotent) with 2,000 decided initiatives and 100,000 journal lines over five fiscal years (2022–2025
closed with their snapshots, 2026 open). The journal is written in bulk (the journal tables are
append-only and carry no django-simple-history; every verification still balances, checked by the
database's deferred trigger at COMMIT); years are closed through `fiscal_year_close`.

Prints, for the final report of the last closed year (median of --repeat runs):
- the selector (figures from the snapshot + lines), the HTML, and our whole PDF path (`render_pdf`):
  wall time and peak Python memory (tracemalloc);
- WeasyPrint alone rendering the same HTML from a file with the same stylesheets and PDF/A variant;
- the ratio ours / WeasyPrint alone: what our own code adds on top of WeasyPrint.
"""

import argparse
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {
    "DJANGO_SETTINGS_MODULE": "dgr.settings",
    "DJANGO_DEBUG": "0",  # no query log in memory
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DGR_BASE_URL": "http://127.0.0.1:8000",
    "DGR_EMBEDDED_DATABASE": "dgr_bench_report",
    "DJANGO_STATIC_ROOT": str(ROOT / "var" / "bench-static"),
    "XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR", "/tmp"),
}
INITIATIVES = 2_000
LINES = 100_000
YEARS = [2022, 2023, 2024, 2025, 2026]
GRANT = "60000.00"


def seed() -> None:
    import datetime
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from accounting import services as ledger
    from accounting.models import Account, Commitment, Decision, Fund, Kind, Verification, VerificationLine
    from core.history import acting_as
    from council.models import AgendaItem, Body, Meeting, MeetingStatus, Outcome, Position, RulesOfProcedure
    from initiatives.models import ActionArea, AreaAlignment, Initiative, Status
    from people.models import Party, User
    from people.roles import Role

    if Fund.objects.filter(slug="bench").exists():
        return
    started = time.perf_counter()
    finance, created = User.objects.get_or_create(
        username="bench-report-finance", defaults={"party": Party.objects.get(slug="region")}
    )
    if created:
        finance.groups.set(Group.objects.filter(name=Role.FINANCE))
    parties = list(Party.objects.order_by("id"))
    areas = list(ActionArea.objects.order_by("order", "id"))
    with transaction.atomic(), acting_as(finance, "bench dataset"):
        fund = ledger.fund_create(
            slug="bench",
            name="Benchfonden",
            opened_on=datetime.date(2022, 1, 1),
            parts=[("Del ett", ""), ("Del två", ""), ("Del tre", "")],
            user=finance,
        )
        years = {y: ledger.fiscal_year_open(fund=fund, year=y, user=finance) for y in YEARS}
        parts = list(fund.capital_parts.order_by("number"))
        for part, amount in zip(parts, ["55000000.00", "101000000.00", "44000000.00"], strict=True):
            ledger.capital_add(
                capital_part=part,
                amount=Decimal(amount),
                booking_date=datetime.date(2022, 1, 3),
                text="Ingående kapital",
                user=finance,
            )
        accounts = {(a.kind, a.capital_part_id): a for a in Account.objects.filter(fund=fund)}
        settlement = accounts[(Account.Kind.SETTLEMENT, None)]
        numbers = dict.fromkeys(YEARS, 10)
        # Every decision rests on Värmlandsrådet's consensus position: one meeting a year takes them all.
        council = Body.objects.get(slug="varmlandsradet")
        rules = RulesOfProcedure.objects.filter(body=council).order_by("-version").first()
        meetings = {
            y: Meeting.objects.create(
                body=council,
                starts_at=timezone.make_aware(datetime.datetime(y, 2, 1, 9, 0)),
                place="Bench",
                status=MeetingStatus.HELD,
                created_by=finance,
            )
            for y in YEARS
        }
        initiatives, commitments = [], []
        for n in range(INITIATIVES):
            year = YEARS[n % 4]  # decided 2022–2025
            initiative = Initiative(
                party=parties[n % len(parties)],
                title=f"Benchinitiativ {n:04d} för hela Värmland",
                summary="Ett initiativ i benchdatat.",
                status=Status.DECIDED,
                created_by=finance,
                registration_year=year,
                registration_serial=n + 1,
                start_date=datetime.date(year, 1, 1),
                end_date=datetime.date(year + 2, 12, 31),
            )
            initiative.save()
            AreaAlignment(initiative=initiative, action_area=areas[n % len(areas)], motivation="-").save()
            meeting = meetings[year]
            item = AgendaItem.objects.create(
                meeting=meeting,
                order=n + 1,
                kind=AgendaItem.Kind.INITIATIVE,
                initiative=initiative,
                title=initiative.title,
                outcome=Outcome.CONSENSUS,
                rules=rules,
            )
            position = Position.objects.create(
                initiative=initiative,
                meeting=meeting,
                item=item,
                outcome=Outcome.CONSENSUS,
                supported_amount=Decimal(GRANT),
                rules=rules,
                taken_at=meeting.starts_at,
                recorded_by=finance,
            )
            decision = Decision(
                position=position,
                fund=fund,
                initiative=initiative,
                maker_kind="delegate",
                maker_name="Regiondirektören",
                decided_on=datetime.date(year, 3, 1),
                reference=f"RD {year}/{n}",
                amount=Decimal(GRANT),
                recorded_by=finance,
            )
            decision.save()
            initiatives.append((initiative, decision, year))
        commitments = Commitment.objects.bulk_create(
            [
                Commitment(
                    fund=fund,
                    decision=d,
                    initiative=i,
                    capital_part=parts[n % 3],
                    amount=Decimal(GRANT),
                    planned_year=y,
                )
                for n, (i, d, y) in enumerate(initiatives)
            ]
        )
        verifications, line_specs = [], []

        def post(year, booking, kind, text, lines, commitment=None):
            numbers[year] += 1
            verifications.append(
                Verification(
                    fund=fund,
                    fiscal_year=years[year],
                    number=numbers[year],
                    booking_date=booking,
                    author=finance,
                    text=text,
                    kind=kind,
                    commitment=commitment,
                )
            )
            line_specs.append(lines)

        for n, ((initiative, _decision, year), commitment) in enumerate(
            zip(initiatives, commitments, strict=True)
        ):
            part = parts[n % 3]
            amount = Decimal(GRANT)
            post(
                year,
                datetime.date(year, 3, 2),
                Kind.COMMITMENT,
                "Beviljat",
                [
                    (
                        accounts[(Account.Kind.AVAILABLE, part.pk)],
                        part,
                        Kind.COMMITMENT,
                        amount,
                        initiative,
                        commitment,
                    ),
                    (
                        accounts[(Account.Kind.RESERVED, part.pk)],
                        part,
                        Kind.COMMITMENT,
                        -amount,
                        initiative,
                        commitment,
                    ),
                ],
                commitment,
            )
        remaining_lines = LINES - 6 - len(line_specs) * 2
        k = 0
        while remaining_lines > 0:
            n = k % INITIATIVES
            (initiative, _decision, year), commitment = initiatives[n], commitments[n]
            part = parts[n % 3]
            pay_year = min(year + (k // INITIATIVES) % 3, 2026)
            amount = Decimal("2000.00") + Decimal(k % 97) / 100
            booking = datetime.date(pay_year, 4 + (k // INITIATIVES) % 8, 1 + k % 28)
            post(
                pay_year,
                booking,
                Kind.DISBURSEMENT,
                "Utbetalning",
                [
                    (
                        accounts[(Account.Kind.RESERVED, part.pk)],
                        part,
                        Kind.DISBURSEMENT,
                        amount,
                        initiative,
                        commitment,
                    ),
                    (settlement, part, Kind.DISBURSEMENT, -amount, initiative, commitment),
                ],
                commitment,
            )
            remaining_lines -= 2
            k += 1
        # ~24 payments of ~2,000 kr per initiative: every commitment of 60,000 kr stays positive.
        saved = Verification.objects.bulk_create(verifications, batch_size=2000)
        VerificationLine.objects.bulk_create(
            [
                VerificationLine(
                    verification=v,
                    account=account,
                    capital_part=part,
                    event=event,
                    amount=amount,
                    initiative=initiative,
                    commitment=commitment,
                )
                for v, lines in zip(saved, line_specs, strict=True)
                for (account, part, event, amount, initiative, commitment) in lines
            ],
            batch_size=5000,
        )
    with acting_as(finance, "bench year close"):
        for year in YEARS[:-1]:
            ledger.fiscal_year_close(fiscal_year=years[year], user=finance)
    total = VerificationLine.objects.filter(verification__fund=fund).count()
    print(
        f"   seeded {INITIATIVES} initiatives, {total} journal lines in {time.perf_counter() - started:.0f} s"
    )


def measure(fn, repeat: int):
    """Median wall time over `repeat` runs (untraced: tracemalloc would slow WeasyPrint several-fold)."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def traced_peak(fn) -> int:
    """Peak Python memory (bytes, tracemalloc) of one run."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss() -> int:
    """Peak resident memory of this process so far (bytes; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.update(ENV)
    for command in (["migrate", "--no-input", "-v", "0"], ["collectstatic", "--no-input", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True)
    import django

    django.setup()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from accounting.models import Fund
    from core.pdf import PDF_VARIANT, render_pdf
    from reports import selectors
    from reports.rendering import balance_html

    seed()
    fund = Fund.objects.get(slug="bench")
    year = 2025
    base_url = "http://localhost/"
    static = ROOT / "static"
    t_sel, report = measure(lambda: selectors.balance_report(fund, year), args.repeat)
    t_html, html = measure(lambda: balance_html(report), args.repeat)
    m_sel = traced_peak(lambda: selectors.balance_report(fund, year))
    m_html = traced_peak(lambda: balance_html(report))
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        local_css = (static / "css/report-pdf.css").as_uri()
        page.write_text(
            re.sub(r'href="[^"]*report-pdf[^"]*[.]css"', f'href="{local_css}"', html), encoding="utf-8"
        )

        def weasyprint_alone():
            fc = FontConfiguration()
            css = CSS(filename=str(static / "css/pdf.css"), font_config=fc)
            return HTML(filename=str(page)).write_pdf(
                stylesheets=[css], font_config=fc, pdf_variant=PDF_VARIANT
            )

        rss_before = max_rss()
        weasyprint_alone()  # warm-up: fonts, caches; both paths measured warm
        t_pdf, pdf = measure(lambda: render_pdf(html, base_url=base_url), args.repeat)
        t_weasy, plain = measure(weasyprint_alone, args.repeat)
        rss_after = max_rss()

    ours = t_sel + t_html + t_pdf
    mib = 1024 * 1024
    try:  # pypdf is a dev dependency (tests); the count is informative only
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(pdf)).pages)
    except ImportError:
        pages = "?"
    print(f"Annual balance report {year} of {INITIATIVES} initiatives / {LINES} journal lines")
    print(f"  {len(report.outstanding)} outstanding commitments, PDF {len(pdf) // 1024} KiB, ~{pages} pages")
    print(f"  selector (figures)          {t_sel * 1000:8.0f} ms   peak Python memory {m_sel / mib:6.1f} MiB")
    print(
        f"  HTML (template)             {t_html * 1000:8.0f} ms   peak Python memory {m_html / mib:6.1f} MiB"
    )
    print(f"  PDF via core.pdf            {t_pdf * 1000:8.0f} ms")
    print(f"  ours in total               {ours * 1000:8.0f} ms")
    print(f"  WeasyPrint alone (file)     {t_weasy * 1000:8.0f} ms   ({len(plain) // 1024} KiB)")
    print(f"  ratio ours / WeasyPrint     {ours / t_weasy:8.2f}")
    print(f"  process peak RSS            {rss_after / mib:8.0f} MiB (before: {rss_before / mib:.0f} MiB)")


if __name__ == "__main__":
    main()
