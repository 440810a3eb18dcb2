"""Finance takes a consensus initiative from Region Värmland's decision to a closed year."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounting import services
from tests.accounting.factories import make_fund, supported_initiative
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(finance, karlstad, initiator):
    today = date.today()
    fund = make_fund(finance, opened_on=date(today.year, 1, 1))
    for part in fund.capital_parts.all():
        services.capital_add(
            capital_part=part,
            amount=Decimal("10000000"),
            booking_date=date(today.year, 1, 1),
            text="Ingående kapital",
            user=finance,
        )
    initiative = supported_initiative(party=karlstad, user=initiator, title="Cykelstråk i Värmland")
    return fund, initiative


def test_finance_decides_commits_disburses_is_refused_and_closes_the_year(page, axe, ledger, finance):
    fund, _initiative = ledger
    year = date.today().year
    log_in(page, "ekonomi", PASSWORD)
    axe(page)

    page.get_by_role("link", name="Beslut och åtaganden").first.click()
    axe(page)
    page.get_by_role("link", name=re.compile("Registrera beslut")).click()
    page.get_by_role("combobox", name="Beslutsfattare", exact=True).select_option("board")
    page.get_by_label("Beslutsfattarens namn").fill("Regionstyrelsen")
    # The regional board decides itself: no point of the delegation order.
    page.get_by_label("Beslutsdatum").fill(f"{year}-03-01")
    page.get_by_label("Beslutsnummer eller paragraf").fill(f"RS {year}/12 § 4")
    page.get_by_label("Beviljat belopp (kr)").fill("2 000 000")
    axe(page)
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("är registrerat").wait_for()
    axe(page)

    page.get_by_role("link", name="Bevilja medel").click()
    # Each part is offered with what it has available ("1. Kommunalförbundet – tillgängligt … kr").
    part_row = page.get_by_label("Kapitaldel, rad 1")
    part_row.select_option(index=1)
    expect(part_row.locator("option:checked")).to_have_text(
        re.compile(r"^1\. Kommunalförbundet – tillgängligt ")
    )
    page.get_by_label("Belopp, rad 1 (kr)").fill("1 500 000")
    axe(page)
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("Bokfört som verifikation").wait_for()
    axe(page)

    page.get_by_role("link", name=re.compile(r"^Åtagande \d+$")).click()
    axe(page)
    page.get_by_role("link", name="Betala ut").click()
    page.get_by_label("Belopp (kr)").fill("500 000")
    page.get_by_label("Betalningsmottagare").fill("Karlstads kommun")
    page.get_by_label("Bankgiro").check()
    page.get_by_label("Kontonummer").fill("991-2346")
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("Bokfört som verifikation").wait_for()
    axe(page)

    page.get_by_role("link", name="Betala ut").click()
    page.get_by_label("Belopp (kr)").fill("1 000 000,01")
    page.get_by_label("Betalningsmottagare").fill("Karlstads kommun")
    page.get_by_label("Bankgiro").check()
    page.get_by_label("Kontonummer").fill("991-2346")
    page.get_by_role("button", name="Bokför").click()
    error = page.locator(".field--error")
    error.get_by_text(
        "Det återstår bara 1\u00a0000\u00a0000,00\u00a0kr av åtagandet att betala ut."
    ).wait_for()
    assert page.locator(".error-summary").is_visible()
    axe(page)

    page.goto(f"/ekonomi/fond/{fund.slug}/huvudbok/")
    axe(page)
    page.goto(f"/ekonomi/fond/{fund.slug}/")
    axe(page)
    page.get_by_role("link", name=str(year), exact=True).click()
    axe(page)
    page.get_by_role("link", name="Stäng året").click()
    page.get_by_text("Kontrollerna är gröna").wait_for()
    axe(page)
    page.get_by_label(re.compile("Jag har stämt av året")).check()
    page.get_by_role("button", name="Stäng verksamhetsåret").click()
    page.get_by_role("dialog").get_by_role("button", name="Stäng året").click()
    page.get_by_text(f"Verksamhetsåret {year} är stängt").wait_for()
    axe(page)
    assert fund.fiscal_years.get(year=year).status == "closed"


def test_finance_lowers_the_amount_limit_and_a_larger_amount_is_refused_next_to_its_field(
    page, axe, ledger, finance
):
    fund, _initiative = ledger
    log_in(page, "ekonomi", PASSWORD)
    page.goto(f"/ekonomi/fond/{fund.slug}/")
    page.get_by_text("får vara högst 500\u00a0000\u00a0000,00\u00a0kr").wait_for()
    page.get_by_role("link", name="Ändra beloppsgränsen").click()
    axe(page)
    page.get_by_label("Beloppsgräns (kr)").fill("1 000 000")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Fondens beloppsgräns är nu 1\u00a0000\u00a0000,00\u00a0kr.").wait_for()
    axe(page)

    page.get_by_role("link", name="Tillför kapital").click()
    page.get_by_label("Kapitaldel").select_option(label="1. Kommunalförbundet")
    page.get_by_label("Belopp (kr)").fill("10 000 000")
    page.get_by_role("button", name="Bokför").click()
    page.locator(".field--error").get_by_text("större än fondens beloppsgräns").wait_for()
    axe(page)
    page.get_by_label("Belopp (kr)").fill("１２３")
    page.get_by_role("button", name="Bokför").click()
    page.locator(".field--error").get_by_text("siffrorna 0–9").wait_for()
    fund.refresh_from_db()
    assert fund.amount_limit == Decimal("1000000.00")
    assert fund.verifications.count() == 3
