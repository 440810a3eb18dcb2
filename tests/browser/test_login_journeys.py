import pytest
from django.core.management import call_command

from people.demo import DEMO_USERS
from people.management.commands.demo_data import DEMO_PASSWORD
from tests.browser.conftest import START_PAGE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START_PAGE_TEXT = {
    "admin": "Administratör",
    "vrag": "Sekretariat (VRAG)",
    "ekonomi": "Ekonomi (Region Värmland)",
    "revisor": "Revisor",
    "karlstad": "Du företräder Karlstad",
    "arvika": "Du företräder Arvika",
    "vr-region": "Du företräder Region Värmland",
    "vr-arjang": "Du företräder Årjäng",
}


@pytest.fixture
def demo_people(settings):
    settings.DEBUG = True
    call_command("demo_data")
    settings.DEBUG = False


def test_every_demo_role_logs_in_and_sees_its_start_page(page, axe, demo_people):
    page.goto("/")
    assert "/logga-in/" in page.url
    axe(page)
    for username in [u[0] for u in DEMO_USERS] + ["vr-region", "vr-arjang"]:
        log_in(page, username, DEMO_PASSWORD)
        assert START_PAGE_TEXT[username] in page.locator("main").inner_text(), username
        axe(page)
        for link in page.locator("nav.site-nav a").all()[1:]:
            href = link.get_attribute("href")
            page.goto(href)
            axe(page)
            page.go_back()
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url("**/logga-in/")
    page.goto("/tillganglighet/")
    axe(page)
    assert len(axe.checked) >= 17


def test_wrong_password_shows_the_message_next_to_the_form_and_keyboard_works(page, axe, demo_people):
    page.goto("/tillganglighet/")
    page.keyboard.press("Tab")  # the skip link comes first on every page
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto("/logga-in/")
    # The username field has focus: the whole login works from the keyboard.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_login'")
    page.keyboard.type("karlstad")
    page.keyboard.press("Tab")
    page.keyboard.type("fel lösenord")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert "Fel användarnamn eller lösenord" in page.locator(".error-summary").inner_text()
    axe(page)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(START_PAGE)
    assert "Välkommen, Karin" in page.locator("h1").inner_text()


def test_layout_works_on_a_phone(browser, live_server, demo_people):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    log_in(page, "karlstad", DEMO_PASSWORD)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the page scrolls sideways on a phone"
    context.close()
