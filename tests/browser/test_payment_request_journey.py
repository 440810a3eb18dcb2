"""Karlstad asks for payment of granted money; finance asks for more, Karlstad completes, finance approves
with a bankgiro number, and the disbursement shows in the ledger and on the initiative with payee and
reference. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounting.conftest import commitment, decision, fund, funded, initiative, parts  # noqa: F401
from tests.browser.conftest import log_in, open_file_dialog_from_keyboard
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The menu entry, with its count of what waits ("Rekvisitioner 1 väntar på dig").
QUEUE = re.compile(r"^Rekvisitioner( \d+ väntar på dig)?$")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def switch_to(page, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def test_a_payment_request_from_asking_to_the_disbursement_in_the_ledger(
    page,
    axe,
    commitment,  # noqa: F811
    initiator,
    finance,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    granted = commitment.initiative
    costs = tmp_path / "kostnadsredovisning.pdf"
    costs.write_bytes(PDF)

    # Karlstad asks for a payment; a wrong bankgiro number is refused next to the field.
    log_in(page, "karlstad", PASSWORD)
    axe(page)
    page.goto(granted.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Begär utbetalning").click()
    axe(page)
    page.get_by_label("Begärt belopp (kr)").fill("300 000")
    page.get_by_label("Perioden från").fill("2026-09-01")
    page.get_by_label("Perioden till och med").fill("2026-11-30")
    page.get_by_label("Upparbetade kostnader under perioden (kr)").fill("320 000")
    page.get_by_label("Vad pengarna har använts till").fill("Projektering och markarbeten.")
    page.get_by_label("Betalningsmottagare").fill("Karlstads kommun")
    page.get_by_label("Bankgiro", exact=True).check()
    page.get_by_label("Kontonummer").fill("991-2345")
    page.get_by_label("OCR-nummer eller meddelande").fill("Faktura 4711")
    page.get_by_role("button", name="Skicka rekvisitionen").click()
    page.locator(".field--error").get_by_text(
        "Kontrollsiffran stämmer inte: 991-2345 är inget giltigt bankgironummer. Kontrollera numret."
    ).wait_for()
    axe(page)
    page.get_by_label("Kontonummer").fill("991-2346")
    file_field = page.get_by_label(re.compile(r"^Bilaga"))
    open_file_dialog_from_keyboard(page, file_field).set_files(str(costs))
    page.get_by_role("button", name="Skicka rekvisitionen").click()
    page.get_by_text("Rekvisitionen är inskickad").wait_for()
    expect(page.locator("main")).to_contain_text("kostnadsredovisning.pdf")
    axe(page)

    # Finance finds it on the to-do list and in the queue, and asks for more.
    switch_to(page, "ekonomi")
    expect(page.locator("main")).to_contain_text("Rekvisitioner att behandla")
    axe(page)
    page.get_by_role("link", name=QUEUE).first.click()
    axe(page)
    page.get_by_role("link", name=re.compile(re.escape(granted.title))).first.click()
    axe(page)
    page.get_by_role("link", name="kostnadsredovisning.pdf").wait_for()
    page.get_by_role("link", name="Begär komplettering").click()
    axe(page)
    page.get_by_label("Vad behöver kompletteras?").fill("Bifoga fakturorna för oktober.")
    page.get_by_role("button", name="Skicka begäran om komplettering").click()
    page.get_by_text("Begäran om komplettering är skickad").wait_for()
    expect(page.locator("main")).to_contain_text("Komplettering begärd")
    axe(page)

    # Karlstad completes it from the to-do list.
    switch_to(page, "karlstad")
    todo = page.locator(".todo__group", has=page.get_by_role("link", name="Rekvisitioner att komplettera"))
    todo.get_by_role("link", name=re.compile(re.escape(granted.title))).click()
    expect(page.locator("main")).to_contain_text("Bifoga fakturorna för oktober.")
    axe(page)
    page.get_by_label("Svar till ekonomi").fill("Fakturorna för oktober finns i kostnadsredovisningen.")
    page.get_by_role("button", name="Skicka kompletteringen").click()
    page.get_by_text("Kompletteringen är skickad").wait_for()
    expect(page.locator("main")).to_contain_text("Kompletterad")
    axe(page)

    # Finance approves with the proposed bankgiro number: the disbursement is booked.
    switch_to(page, "ekonomi")
    page.get_by_role("link", name=QUEUE).first.click()
    page.get_by_role("link", name=re.compile(re.escape(granted.title))).first.click()
    page.get_by_role("link", name="Godkänn och betala ut").click()
    expect(page.get_by_label("Kontonummer")).to_have_value("991-2346")
    axe(page)
    page.get_by_role("button", name="Godkänn och bokför utbetalningen").click()
    page.get_by_text("Rekvisitionen är godkänd och utbetalningen bokförd").wait_for()
    disbursement = page.locator("section", has=page.get_by_role("heading", name="Utbetalning"))
    expect(disbursement).to_contain_text("Karlstads kommun")
    expect(disbursement).to_contain_text("Bankgiro 991-2346")
    expect(disbursement).to_contain_text("Faktura 4711")
    axe(page)
    disbursement.get_by_role("link").first.click()
    expect(page.locator("main")).to_contain_text("Faktura 4711")
    expect(page.locator("main")).to_contain_text("Bankgiro 991-2346")
    axe(page)

    # Karlstad sees the payment on the initiative, with payee and reference.
    switch_to(page, "karlstad")
    page.goto(granted.get_absolute_url())
    expect(page.locator("main")).to_contain_text("Godkänd och utbetald")
    axe(page)
    page.get_by_role("link", name="Beslut, åtaganden och bokföringar").click()
    expect(page.locator("main")).to_contain_text("Karlstads kommun, Bankgiro 991-2346, Faktura 4711")
    axe(page)
