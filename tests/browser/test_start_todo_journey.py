"""The start page tells two roles what waits for them, the menu counts it, and an initiator chooses the
daily digest for a kind of mail (axe-checked on every page)."""

import pytest

from core.models import NotificationSetting
from initiatives.models import Status
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, initiative_draft, initiative_in, initiative_submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_and_an_initiator_see_what_waits_for_them(page, axe, initiator, secretariat):
    waiting = initiative_submitted(initiator, title="Cykelstråk mellan kommunerna")
    sent_back = initiative_in(Status.COMPLEMENT_REQUESTED, initiator, secretariat, title="Besöksportal")
    initiative_draft(initiator, title="Snabbladdare längs E18")

    log_in(page, "vrag", PASSWORD)
    todo = page.get_by_role("region", name="Det här väntar på dig")
    assert "Initiativ att bereda" in todo.inner_text() and "Cykelstråk mellan kommunerna" in todo.inner_text()
    assert page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Beredning 1 väntar på dig"
    )
    axe(page)
    todo.get_by_role("link", name=f"{waiting.registration_number} Cykelstråk mellan kommunerna").click()
    page.wait_for_url(f"**/initiativ/{waiting.pk}/")
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, "karlstad", PASSWORD)
    todo = page.get_by_role("region", name="Det här väntar på dig")
    text = todo.inner_text()
    assert "Kompletteringar som sekretariatet begärt" in text and "Besöksportal" in text
    assert "Utkast som inte lämnats in" in text and "Snabbladdare längs E18" in text
    assert "Initiativ att bereda" not in text
    nav = page.get_by_role("navigation", name="Huvudmeny")
    assert nav.get_by_role("link", name="Start 2 väntar på dig").is_visible()
    axe(page)
    todo.get_by_role("link", name=f"{sent_back.registration_number} Besöksportal").click()
    page.wait_for_url(f"**/initiativ/{sent_back.pk}/")

    page.goto("/")
    page.get_by_role("link", name="Välj vilken e-post du får från DGR").click()
    page.wait_for_url("**/mitt-konto/e-post/")
    axe(page)
    page.get_by_role("group", name="Nytt meddelande i ett initiativs tråd").get_by_label(
        "Daglig sammanfattning"
    ).check()
    page.get_by_role("button", name="Spara").click()
    assert "Dina val för e-post är sparade." in page.locator("main").inner_text()
    assert "Daglig sammanfattning" in page.get_by_role("table").inner_text()
    axe(page)
    assert NotificationSetting.objects.get(user=initiator).delivery == "digest"
