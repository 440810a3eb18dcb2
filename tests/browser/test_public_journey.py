"""A citizen without an account: from the login page to the public fund page and on through the public
record, each page axe-clean and, on a 390 px wide phone, without sideways scrolling."""

import pytest

from tests.public.conftest import _empty_cache, public_world  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 390 px"


def _check(page, axe):
    axe(page)
    page.set_viewport_size({"width": 390, "height": 844})
    _no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_a_citizen_reads_the_fund_and_the_signed_minutes_without_logging_in(page, axe, public_world):  # noqa: F811
    page.goto("/logga-in/")
    _check(page, axe)
    page.get_by_role("link", name="Offentliga sidor: fonden").click()
    page.wait_for_url("**/offentligt/")
    _check(page, axe)
    page.get_by_role("link", name="Fonden nu: kapital, beviljat, utbetalt och tillgängligt").click()
    page.wait_for_url("**/offentligt/fonden/")
    assert page.get_by_role("heading", name="Fonden nu").is_visible()
    assert page.get_by_role("img", name="Tillgängligt per kapitaldel").count() >= 1
    _check(page, axe)

    page.get_by_role("navigation", name="Offentliga sidor").get_by_role("link", name="Initiativ").click()
    page.wait_for_url("**/offentligt/initiativ/")
    _check(page, axe)
    page.get_by_role("link", name=public_world["cycle"].title).click()
    assert "Stråket är projekterat." in page.locator("main").inner_text()
    _check(page, axe)

    page.get_by_role("navigation", name="Offentliga sidor").get_by_role(
        "link", name="Ställningstaganden"
    ).click()
    _check(page, axe)
    page.get_by_role("navigation", name="Offentliga sidor").get_by_role(
        "link", name="Sammanträden och protokoll"
    ).click()
    _check(page, axe)
    page.get_by_role("link", name="Justerat protokoll").first.click()
    assert "Jenny Justerare" in page.locator("main").inner_text()
    _check(page, axe)
    page.get_by_role("link", name="Protokollsutdrag").first.click()
    _check(page, axe)

    for name in ("Årsrapporter", "Avtalet", "Öppna data"):
        page.get_by_role("navigation", name="Offentliga sidor").get_by_role("link", name=name).click()
        _check(page, axe)
    page.get_by_role("link", name="Integritetspolicy").first.click()
    page.wait_for_url("**/offentligt/integritetspolicy/")
    _check(page, axe)
    page.get_by_role("link", name="Hela registret över personuppgifter").click()
    _check(page, axe)
