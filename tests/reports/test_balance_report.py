import shutil
import subprocess
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounting.selectors import fund_overview
from core.money import format_amount
from reports import selectors
from reports.rendering import render_balance_pdf

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed poppler command on a test file
        [shutil.which("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.replace("\u00a0", " ")


def _sv(amount) -> str:
    """The ledger's figure formatted the Swedish way (no-break spaces as pdftotext gives them: spaces)."""
    return format_amount(amount).replace("\u00a0", " ")


def test_closed_year_report_equals_the_ledger_to_the_ore(ledger):
    report = selectors.balance_report(ledger, 2026)
    ledger_year = fund_overview(ledger).years[0]
    assert report.is_final
    assert report.closing == ledger_year.closing == Decimal("198099999.85")
    # The fund's first year opens with its founding capital, booked on the opening date.
    assert report.opens_with_founding_capital
    assert report.previous_closing == ledger_year.opening == Decimal("200000000.00")
    assert [p.closing for p in report.parts] == [
        Decimal("55000000.00") - Decimal("1200000.25") + Decimal("100000.10"),
        Decimal("101000000.00") - Decimal("800000.00"),
        Decimal("44000000.00"),
    ]


def test_change_is_closing_minus_previous_closing_split_by_kind(ledger):
    report = selectors.balance_report(ledger, 2027)
    previous = selectors.balance_report(ledger, 2026)
    assert report.previous_closing == previous.closing
    assert report.difference == report.closing - previous.closing == report.change.total
    assert report.change.disbursed == Decimal("500000.00")
    c = previous.change
    assert (c.capital_added, c.disbursed, c.repaid, c.corrections) == (
        Decimal("0.00"),
        Decimal("2001000.24"),
        Decimal("100000.10"),
        Decimal("999.99"),
    )
    assert c.total == previous.closing - previous.previous_closing
    for part in previous.parts:
        assert part.change.total == part.difference


def test_open_year_is_preliminary_and_closed_year_final(ledger, tmp_path):
    open_report = selectors.balance_report(ledger, 2027)
    assert not open_report.is_final
    text = _pdf_text(render_balance_pdf(open_report, base_url="http://testserver/"), tmp_path)
    assert "PRELIMINÄR" in text
    final = _pdf_text(
        render_balance_pdf(selectors.balance_report(ledger, 2026), base_url="http://testserver/"), tmp_path
    )
    assert "PRELIMINÄR" not in final


def test_pdf_shows_the_ledger_figures_swedish_style_with_pages_and_fonts(ledger, tmp_path):
    report = selectors.balance_report(ledger, 2026)
    pdf = render_balance_pdf(report, base_url="http://testserver/")
    text = _pdf_text(pdf, tmp_path)
    overview = fund_overview(ledger)
    for amount in [
        overview.years[0].closing,
        report.available,
        report.reserved,
        *[p.closing for p in report.parts],
    ]:
        assert _sv(amount).removesuffix(" kr") in text
    assert "198 099 999,85 kr" in text
    assert "Sida 1 av" not in text  # the cover has no footer
    assert "Sida 2 av" in text
    assert "Innehåll" in text
    reader = PdfReader(tmp_path / "r.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part" in xmp and "pdfaid:conformance" in xmp
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # tagged
    fonts = subprocess.run(  # noqa: S603
        [shutil.which("pdffonts"), str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(" yes " in line for line in rows), fonts
    assert any("DejaVu" in line for line in rows)


def test_year_that_does_not_exist_is_refused_with_a_message(ledger):
    with pytest.raises(selectors.ReportNotFound, match="inget verksamhetsår 1999"):
        selectors.balance_report(ledger, 1999)


def test_user_text_renders_as_text_and_fetches_nothing(ledger, tmp_path, initiator):
    from core.pdf import static_only_fetcher
    from initiatives.models import Initiative

    initiative = Initiative.objects.get(title__startswith="Cykelstråk")
    hostile = (
        'Cykel<img src="file:///etc/passwd"><link rel="stylesheet" href="http://evil.example/x.css">'
        "<style>@import url(http://evil.example/y.css);</style>"
    )
    initiative.title = hostile
    initiative.save()
    fetcher = static_only_fetcher("http://testserver/")
    pdf = render_balance_pdf(
        selectors.balance_report(ledger, 2026), base_url="http://testserver/", fetcher=fetcher
    )
    assert fetcher.refused == []
    assert all(url.startswith("http://testserver/static/") for url in fetcher.fetched)
    text = _pdf_text(pdf, tmp_path)
    joined = "".join(text.split())  # table cells wrap the title over lines
    assert "<imgsrc=" in joined and "</style>" in joined  # the markup is shown as text


def test_outcome_pdf_has_cover_contents_and_one_section_per_action_area(ledger, tmp_path):
    from reports.rendering import render_outcome_pdf

    pdf = render_outcome_pdf(selectors.outcome_report(ledger, 2026), base_url="http://testserver/")
    text = _pdf_text(pdf, tmp_path)
    cover, contents = text.split("\f")[:2]
    assert "Årlig utfallsrapport till Värmlandsrådet" in cover and "Sida" not in cover
    assert "Utveckla attraktiva platser" in contents and "Stärka konkurrenskraften" in contents
    assert _sv(Decimal("2500000.50")).removesuffix(" kr") in text  # Pendelbussar's grant
    assert len(PdfReader(tmp_path / "r.pdf").pages) >= 3
