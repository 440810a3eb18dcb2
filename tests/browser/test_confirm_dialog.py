"""The confirmation before an irreversible step (issue 12, item 8), from the keyboard: closing a year.

The dialog opens on submit with focus on its confirming button; Escape cancels (nothing is sent, focus
back on the button that opened it); Enter confirms and the form is sent. axe-core checks the page with the
dialog open."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounting import services
from accounting.models import FiscalYear
from tests.accounting.factories import make_fund
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_closing_a_year_asks_first_escape_cancels_and_enter_confirms(page, axe, finance):
    year = date.today().year
    fund = make_fund(finance, opened_on=date(year, 1, 1))
    part = fund.capital_parts.order_by("number").first()
    services.capital_add(
        capital_part=part,
        amount=Decimal("1000000"),
        booking_date=date(year, 1, 1),
        text="Kapital",
        user=finance,
    )
    log_in(page, "ekonomi", PASSWORD)
    page.goto(f"/ekonomi/fond/{fund.slug}/ar/{year}/stang/")
    page.get_by_text("Kontrollerna är gröna").wait_for()
    page.get_by_label("Jag har stämt av året").check()
    close = page.get_by_role("button", name="Stäng verksamhetsåret")
    close.focus()
    page.keyboard.press("Enter")

    dialog = page.get_by_role("dialog", name="Är du säker?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Ett stängt år öppnas aldrig igen.")
    expect(dialog.get_by_role("button", name="Stäng året")).to_be_focused()
    axe(page)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(close).to_be_focused()
    assert FiscalYear.objects.get(fund=fund, year=year).status == "open"

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    # Tab reaches "Avbryt" inside the modal dialog; Shift+Tab back to the confirming button.
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.get_by_text(f"Verksamhetsåret {year} är stängt").wait_for()
    axe(page)
    assert FiscalYear.objects.get(fund=fund, year=year).status == "closed"
