import datetime
from decimal import Decimal

import pytest

from initiatives.models import Initiative
from outcomes import services
from reports import selectors

pytestmark = pytest.mark.django_db


def _approved_final(initiative, initiator, secretariat, *, received="500000.00"):
    initiative.end_date = datetime.date(2026, 12, 31)
    initiative.save()
    report = services.outcome_report_submit(
        initiative=initiative,
        user=initiator,
        kind="final",
        due_on=datetime.date(2027, 3, 31),
        data={
            "period_start": datetime.date(2026, 2, 1),
            "period_end": datetime.date(2026, 12, 31),
            "activities": "Byggt <script>alert(1)</script>",
            "summary": "Stråket är klart <img src=file:///etc/passwd>.",
            "status": "on_track",
            "spent": Decimal("1000000.00"),
            "co_financing_received": Decimal(received),
            "overspend_explanation": "",
        },
        indicators=[{"name": "Kilometer", "unit": "km", "target": Decimal("20"), "actual": Decimal("18.5")}],
    )
    return services.outcome_report_review(report=report, user=secretariat, approve=True)


def test_outcome_report_groups_funded_initiatives_by_area_with_money_and_outcome(
    ledger, initiator, secretariat
):
    cycle = Initiative.objects.get(title__startswith="Cykelstråk")
    _approved_final(cycle, initiator, secretariat)
    report = selectors.outcome_report(ledger, 2026)
    assert [a.name for a in report.areas] == ["Utveckla attraktiva platser", "Stärka konkurrenskraften"]
    row = report.areas[0].rows[0]
    assert (row.granted, row.disbursed, row.remaining) == (
        Decimal("3000000.00"),
        Decimal("1200000.25"),
        Decimal("1799999.75"),
    )
    assert row.summary.startswith("Stråket är klart") and row.outcome_status == "Enligt plan"
    assert row.indicators[0]["actual"] == Decimal("18.50")
    assert row.status == "Avslutat"  # approving the final report completed it
    assert report.granted == Decimal("5500000.50")


def test_leverage_is_co_financing_received_per_krona_disbursed(ledger, initiator, secretariat):
    cycle = Initiative.objects.get(title__startswith="Cykelstråk")
    _approved_final(cycle, initiator, secretariat, received="1900000.14")
    report = selectors.balance_report(ledger, 2026)
    # disbursed net of repayments: 1 200 000,25 + 800 000,00 − 100 000,10 = 1 900 000,15
    assert report.disbursed_total == Decimal("1900000.15")
    assert report.co_financing == Decimal("1900000.14")
    assert report.leverage == Decimal("1.00")


def test_outcome_pdf_shows_user_text_as_text_and_fetches_nothing(ledger, initiator, secretariat, tmp_path):
    import shutil
    import subprocess

    from core.pdf import static_only_fetcher
    from reports.rendering import render_outcome_pdf

    cycle = Initiative.objects.get(title__startswith="Cykelstråk")
    _approved_final(cycle, initiator, secretariat)
    fetcher = static_only_fetcher("http://testserver/")
    pdf = render_outcome_pdf(
        selectors.outcome_report(ledger, 2026), base_url="http://testserver/", fetcher=fetcher
    )
    assert fetcher.refused == []
    (tmp_path / "u.pdf").write_bytes(pdf)
    text = subprocess.run(  # noqa: S603
        [shutil.which("pdftotext"), str(tmp_path / "u.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<img src=file:///etc/passwd>" in text.replace("\n", " ")
    assert "18,5" in text and "PRELIMINÄR" not in text


def test_fetcher_refuses_file_and_foreign_urls():
    from weasyprint.urls import URLFetchingError

    from core.pdf import static_only_fetcher

    fetcher = static_only_fetcher("http://testserver/")
    for url in ("file:///etc/passwd", "http://evil.example/x.css", "http://testserver/media/x.pdf"):
        with pytest.raises(URLFetchingError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3
