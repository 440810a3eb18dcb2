"""core/pdf.py, the one place that makes PDFs: fonts embedded, nothing fetched but our static files."""

import shutil
import subprocess

import pytest
from django.template import engines

from core.pdf import render_pdf, static_only_fetcher

BASE = "http://testserver/"


def pdffonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - poppler on a file we wrote
        [shutil.which("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout


def pdftext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - poppler on a file we wrote
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_bundled_font_is_embedded_and_pages_are_numbered(tmp_path):
    pdf = render_pdf("<html lang='sv'><body><h1>Protokoll § 1 – Årjäng</h1></body></html>", base_url=BASE)
    fonts = pdffonts(pdf, tmp_path)
    assert "DGR-Sans" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded
    text = pdftext(pdf, tmp_path)
    assert "Protokoll § 1 – Årjäng" in text
    assert "Sida 1 av 1" in text


def test_html_in_user_text_renders_as_text_and_fetches_nothing(tmp_path):
    evil = '<img src="file:///etc/passwd"><link rel="stylesheet" href="http://example.com/x.css"> file:///etc/hostname'
    html = (
        engines["django"]
        .from_string("<html lang='sv'><body><p>{{ text }}</p></body></html>")
        .render({"text": evil})
    )
    fetcher = static_only_fetcher(BASE)
    pdf = render_pdf(html, base_url=BASE, fetcher=fetcher)
    assert fetcher.refused == []
    assert all(url.startswith(BASE + "static/") for url in fetcher.fetched)
    text = pdftext(pdf, tmp_path)
    assert '<img src="file:///etc/passwd">' in text.replace("\n", "")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "http://testserver/admin/",
        "http://testserver/static/../../dgr/settings.py",
        "http://otherhost/static/css/pdf.css",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url, tmp_path):
    fetcher = static_only_fetcher(BASE)
    render_pdf(
        f"<html lang='sv'><body><img src='{url}' alt=''><p>x</p></body></html>",
        base_url=BASE,
        fetcher=fetcher,
    )
    assert url in fetcher.refused


def test_data_urls_are_allowed():
    fetcher = static_only_fetcher(BASE)
    pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    render_pdf(
        f"<html lang='sv'><body><img src='{pixel}' alt=''></body></html>", base_url=BASE, fetcher=fetcher
    )
    assert fetcher.refused == []
