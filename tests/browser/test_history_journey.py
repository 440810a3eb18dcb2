"""A party reads another party's initiative and its history in the browser: the history holds no more
than the page (issue 17, item 1), and both pages pass axe-core."""

import pytest

from initiatives import services
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, initiative_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_another_partys_history_shows_the_initiative_but_not_its_thread(
    page, axe, initiator, other_initiator
):
    arvikas = initiative_submitted(other_initiator, title="Arvikas satsning")
    services.message_post(initiative=arvikas, user=other_initiator, body="Internt: budgeten kan krympa.")

    log_in(page, initiator.username, PASSWORD)
    page.goto(arvikas.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Historik", exact=True).click()
    page.wait_for_url(f"**/initiativ/{arvikas.pk}/historik/")
    axe(page)
    text = page.locator("main").inner_text()
    assert "Arvikas satsning" in text and "Under beredning" in text
    assert "budgeten kan krympa" not in text

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/")
    log_in(page, other_initiator.username, PASSWORD)
    page.goto(f"/initiativ/{arvikas.pk}/historik/")
    assert "Internt: budgeten kan krympa." in page.locator("main").inner_text()
