"""A citizen checks a PDF on the public page, without logging in: an archived, sealed final report
matches and its seal holds; a copy with one changed byte is neither in the archive nor sealed intact; a
file that is not a PDF is refused next to the field. axe-core on every state of the page."""

import re

import pytest

from core.pdf import render_pdf
from core.seal import seal_pdf
from reports.services import report_issue
from tests.core.factories import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_and_check(page, path):
    page.get_by_label(re.compile(r"^PDF-fil")).set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera", exact=True).click()


def test_a_citizen_checks_an_archived_report_and_a_changed_copy(
    page, axe, sealing, fund_with_year, finance, tmp_path
):
    html = '<html lang="sv"><title>Balansrapport</title><p>Utgående balans</p></html>'
    rendered = render_pdf(html, base_url="http://localhost/")
    sealed = seal_pdf(rendered, reason="Slutlig balansrapport 2026")
    report_issue(
        kind="balance", fund=fund_with_year, year=2026, is_final=True, render=lambda: sealed, user=finance
    )

    page.goto("/offentligt/kontrollera/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kontrollera en handling från DGR"
    axe(page)

    original = tmp_path / "balansrapport-2026.pdf"
    original.write_bytes(sealed)
    choose_and_check(page, original)
    page.wait_for_selector("#verdict-archive")
    assert "Stämmer" in page.locator("#verdict-archive").inner_text()
    assert "Balansrapport 2026" in page.locator(".verdict").inner_text()
    assert "Stämpeln är hel och giltig" in page.locator("#verdict-seal").inner_text()
    axe(page)

    changed = bytearray(sealed)
    changed[len(rendered) // 2] ^= 0x01
    copy = tmp_path / "andrad.pdf"
    copy.write_bytes(bytes(changed))
    choose_and_check(page, copy)
    page.wait_for_selector("#verdict-archive >> text=Finns inte i arkivet")
    assert "Stämpeln är bruten" in page.locator("#verdict-seal").inner_text()
    axe(page)

    picture = tmp_path / "bild.png"
    picture.write_bytes(image_bytes("PNG"))
    choose_and_check(page, picture)
    page.wait_for_selector(".field--error >> text=Filtypen är inte tillåten")
    assert page.get_by_label(re.compile(r"^PDF-fil")).get_attribute("aria-invalid") == "true"
    axe(page)
