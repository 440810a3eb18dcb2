"""Finance ends a decided initiative early, claims back what was paid out and books the repayment against
the claim; the initiating party sees the claim (issue 13: 3)."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounting import services
from accounting.models import RecoveryClaim
from initiatives.models import Status
from tests.accounting.factories import decide, make_fund, supported_initiative
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def paid_initiative(finance, karlstad, initiator):
    """A decided initiative granted 1 000 000 kr, of which 400 000 kr is paid out."""
    today = date.today()
    fund = make_fund(finance, opened_on=date(today.year, 1, 1))
    part = fund.capital_parts.order_by("number").first()
    services.capital_add(
        capital_part=part,
        amount=Decimal("10000000"),
        booking_date=date(today.year, 1, 1),
        text="Ingående kapital",
        user=finance,
    )
    initiative = supported_initiative(
        party=karlstad, user=initiator, title="Cykelstråk i Värmland", meeting_day=date(today.year, 1, 2)
    )
    decision = decide(
        fund=fund, initiative=initiative, user=finance, amount="1000000", decided_on=date(today.year, 1, 3)
    )
    commitment = services.commitment_create(
        decision=decision,
        shares=[services.Share(part, Decimal("1000000"), today.year)],
        booking_date=date(today.year, 1, 3),
        text="Beviljat",
        user=finance,
    ).commitment
    services.disbursement_record(
        commitment=commitment,
        amount=Decimal("400000"),
        booking_date=date(today.year, 1, 4),
        text="Utbetalning",
        user=finance,
    )
    return initiative


def test_finance_terminates_claims_back_and_books_the_repayment_and_the_party_sees_it(
    page, axe, paid_initiative, finance, initiator
):
    initiative = paid_initiative
    today = date.today()
    log_in(page, "ekonomi", PASSWORD)
    page.goto(initiative.get_absolute_url())
    axe(page)

    page.get_by_role("link", name="Avbryt initiativet").click()
    page.get_by_text("600\u00a0000,00\u00a0kr, frigörs").wait_for()
    page.get_by_label("Avbrutet från och med").fill(today.isoformat())
    page.get_by_label("Skäl").fill("Projektägaren har lagt ner projektet.")
    page.get_by_label("Beslutsnummer eller paragraf").fill("RS 2026/200 § 12")
    axe(page)
    page.get_by_role("button", name="Avbryt initiativet").click()
    # An irreversible step: the dialog asks first.
    dialog = page.get_by_role("dialog")
    axe(page)
    dialog.get_by_role("button", name="Avbryt initiativet").click()
    page.get_by_text("Initiativet är avbrutet.").wait_for()
    page.get_by_text("Det oanvända beloppet 600\u00a0000,00\u00a0kr har frigjorts").wait_for()
    expect(page.locator(".tag", has_text="Avbrutet").first).to_be_visible()
    page.get_by_text("Projektägaren har lagt ner projektet.").wait_for()
    axe(page)
    initiative.refresh_from_db()
    assert initiative.status == Status.TERMINATED

    page.get_by_role("link", name="Nytt återkrav").click()
    page.get_by_text("Högst 400\u00a0000,00\u00a0kr kan krävas tillbaka").wait_for()
    axe(page)
    # Above what was paid out: refused next to the field, nothing made.
    page.get_by_label("Belopp att kräva tillbaka (kr)").fill("400 000,01")
    page.get_by_label("Skäl").fill("Utbetalda medel som inte använts.")
    page.get_by_label("Förfallodag").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Registrera återkravet").click()
    page.locator(".field--error").get_by_text("Högst 400\u00a0000,00\u00a0kr kan krävas tillbaka").wait_for()
    axe(page)
    assert not RecoveryClaim.objects.exists()
    page.get_by_label("Belopp att kräva tillbaka (kr)").fill("250 000")
    page.get_by_role("button", name="Registrera återkravet").click()
    page.get_by_text("Återkravet är registrerat").wait_for()
    expect(page.locator(".tag", has_text="Obetalt")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Bokför återbetalning").click()
    axe(page)
    page.get_by_label("Belopp (kr)").fill("250 000")
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("Bokfört som verifikation").wait_for()
    expect(page.locator(".tag", has_text="Återbetalt")).to_be_visible()
    page.get_by_text("Inget är återbetalt ännu.").wait_for(state="detached")
    axe(page)
    claim = RecoveryClaim.objects.get()
    assert (claim.status, claim.repaid) == ("repaid", Decimal("250000.00"))

    page.get_by_role("link", name="Återkrav", exact=True).first.click()
    page.get_by_role("cell", name=re.compile("Cykelstråk i Värmland")).wait_for()
    axe(page)

    # The initiating party sees the claim on its initiative's page, and the claim itself.
    page.context.clear_cookies()
    log_in(page, "karlstad", PASSWORD)
    page.goto(initiative.get_absolute_url())
    page.get_by_role("link", name=f"Återkrav {claim.pk}").wait_for()
    assert page.get_by_role("link", name="Avbryt initiativet").count() == 0
    assert page.get_by_role("link", name="Nytt återkrav").count() == 0
    axe(page)
    page.get_by_role("link", name=f"Återkrav {claim.pk}").click()
    expect(page.locator(".tag", has_text="Återbetalt")).to_be_visible()
    assert page.get_by_role("link", name="Bokför återbetalning").count() == 0
    axe(page)
