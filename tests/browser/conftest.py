"""Headless Chromium (Debian's package) driven by Playwright, with axe-core on every page visited."""

import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class AccessibilityChecker:
    def __init__(self):
        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page):
        # A click that follows a link returns before the next page has loaded; axe-core run while the old
        # page unloads finds no document. Wait for the page the user ends on, and run again once if the
        # navigation still replaced the document under axe.
        page.wait_for_load_state("load")
        try:
            results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
            results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        self.checked.append(page.url)
        assert not violations, f"axe-core on {page.url}:\n" + results.generate_report()


@pytest.fixture
def axe():
    return AccessibilityChecker()


START_PAGE = re.compile(r"^https?://[^/]+/$")


def log_in(page, username, password):
    """Log in through the form and wait for the start page."""
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(START_PAGE)


def open_file_dialog_from_keyboard(page, file_field):
    """Space on a focused file field opens the dialog. Headless Chromium on a loaded
    two-core machine now and then drops the first key press (the dialog needs a fresh
    user activation), so the press is tried three times; a field that cannot be opened
    from the keyboard still fails."""
    for attempt in range(3):
        file_field.focus()
        expect(file_field).to_be_focused()
        try:
            with page.expect_file_chooser(timeout=5000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


# The archive tests' fixtures for the public check page: seal certificates made on the fly, a closed year.
from tests.archive.conftest import fund_with_year, seal_files, sealing  # noqa: E402, F401
