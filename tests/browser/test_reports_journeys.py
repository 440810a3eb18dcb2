import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.reports.factories import worked_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ledger(finance, karlstad, arvika, initiator, other_initiator):
    return worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value.path().read_bytes()


def test_finance_downloads_the_balance_report_and_vrag_the_outcome_report(page, axe, ledger, secretariat):
    log_in(page, "ekonomi", PASSWORD)
    page.get_by_role("link", name="Årsrapporter").first.click()
    page.wait_for_url("**/rapporter/")
    axe(page)
    page.get_by_role("link", name="Balansrapport 2026").click()
    assert "198 099 999,85" in page.locator("main").inner_text().replace("\u00a0", " ")
    axe(page)
    pdf = _download(page, "Hämta PDF")
    assert pdf.startswith(b"%PDF")
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url("**/logga-in/")

    log_in(page, "vrag", PASSWORD)
    page.goto("/rapporter/")
    axe(page)
    page.get_by_role("link", name="Utfallsrapport 2026").click()
    axe(page)
    assert "Pendelbussar" in page.locator("main").inner_text()
    assert _download(page, "Hämta PDF").startswith(b"%PDF")
    page.goto("/rapporter/arkiv/")
    axe(page)
    assert page.get_by_role("link", name="Utfallsrapport 2026 (PDF)").count() == 1
