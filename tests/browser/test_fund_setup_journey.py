"""Going live: the first administrator opens DGR's fund on an empty install, then the Keolis fund."""

import pytest

from accounting.models import Fund
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_part(page, row, name, origin, capital):
    page.locator(f"#id_parts-{row}-name").fill(name)
    page.locator(f"#id_parts-{row}-origin").fill(origin)
    page.locator(f"#id_parts-{row}-capital").fill(capital)


def test_administrator_opens_the_fund_with_its_parts_and_then_a_second_fund(page, axe, administrator):
    log_in(page, "admin", PASSWORD)
    page.goto("/ekonomi/fond/")
    page.get_by_text("Det finns ingen fond ännu.").wait_for()
    axe(page)

    page.get_by_role("link", name="Öppna en fond").click()
    page.get_by_label("Fondens namn").fill("De gemensamma resurserna")
    page.get_by_label("Kortnamn").fill("dgr")
    page.get_by_label("Öppningsdag").fill("2022-01-01")
    page.get_by_label("Beskrivning").fill("Region Värmlands och Värmlands kommuners gemensamt ägda fond.")
    _fill_part(page, 0, "Kommunalförbundet", "Kapital från kommunalförbundet Region Värmland", "55 000 000")
    _fill_part(page, 1, "Värmlandstrafik", "Kapital från Värmlandstrafik AB", "101 000 000")
    _fill_part(page, 2, "Övrigt", "Övrigt gemensamt kapital", "0")
    axe(page)
    page.get_by_role("button", name="Öppna fonden").click()
    page.locator(".field--error").get_by_text("Beloppet måste vara större än noll.").wait_for()
    assert not Fund.objects.exists()
    axe(page)

    page.locator("#id_parts-2-capital").fill("44 000 000")
    page.get_by_role("button", name="Öppna fonden").click()
    page.get_by_text("är öppnad med sitt ingående kapital").wait_for()
    assert page.url.endswith("/ekonomi/fond/dgr/")
    assert page.get_by_role("heading", name="De gemensamma resurserna").is_visible()
    assert "200\u00a0000\u00a0000,00\u00a0kr" in page.locator(".figures").inner_text()
    axe(page)

    page.get_by_role("link", name="Ändra uppgifter").click()
    page.get_by_label("Förvaltas av").fill("Region Värmland, ekonomienheten")
    axe(page)
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("förvaltas av Region Värmland, ekonomienheten").wait_for()

    page.get_by_role("link", name="Ändra Övrigt").click()
    page.get_by_label("Namn").fill("Gemensamt övrigt kapital")
    axe(page)
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Uppgifterna om kapitaldelen är sparade.").wait_for()
    assert page.get_by_role("rowheader", name="3. Gemensamt övrigt kapital").count() == 1

    page.get_by_role("link", name="Öppna en ny fond").click()
    page.get_by_label("Fondens namn").fill("Förlikningsmedel från Keolis")
    page.get_by_label("Kortnamn").fill("dgr")
    page.get_by_label("Öppningsdag").fill("2023-06-15")
    _fill_part(page, 0, "Förlikningsmedel", "Förlikning med Keolis", "7 500 000")
    page.get_by_role("button", name="Öppna fonden").click()
    page.locator(".field--error").get_by_text("Kortnamnet används redan av en annan fond.").wait_for()
    axe(page)
    page.get_by_label("Kortnamn").fill("keolis")
    page.get_by_role("button", name="Öppna fonden").click()
    page.get_by_text("är öppnad med sitt ingående kapital").wait_for()
    assert page.url.endswith("/ekonomi/fond/keolis/")
    assert "7\u00a0500\u00a0000,00\u00a0kr" in page.locator(".figures").inner_text()
    axe(page)

    page.goto("/ekonomi/fond/")
    page.get_by_role("link", name="Förlikningsmedel från Keolis").wait_for()
    page.get_by_role("link", name="De gemensamma resurserna", exact=True).wait_for()
    axe(page)
    page.goto("/rapporter/")
    axe(page)
