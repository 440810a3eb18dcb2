"""The initiative page in the browser (issue 15: 3): the standing and timeline at the top, and each
meeting's 17 stances collapsed to their outcome, one click away."""

import pytest

from tests.accounting.factories import supported_initiative
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stances_open_on_request_and_the_timeline_says_what_is_next(
    page, axe, karlstad, initiator, secretariat
):
    initiative = supported_initiative(party=karlstad, user=initiator, title="Tidslinjen i webbläsaren")
    log_in(page, secretariat.username, PASSWORD)
    page.goto(initiative.get_absolute_url())
    current = page.locator('.timeline [aria-current="step"]')
    assert "Region Värmlands beslut" in current.inner_text()
    assert "Region Värmland" in page.locator(".standing__next").inner_text()
    summary = page.locator("details.stances summary")
    assert "17 står bakom" in summary.inner_text()
    party_line = page.get_by_text("Karlstad: Står bakom")
    assert not party_line.is_visible()
    axe(page)
    summary.click()
    assert party_line.is_visible()
    axe(page)
