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


def test_finance_issues_the_balance_report_and_vrag_the_outcome_report(
    page, axe, ledger, secretariat, run_jobs
):
    log_in(page, "ekonomi", PASSWORD)
    page.get_by_role("link", name="Årsrapporter").first.click()
    page.wait_for_url("**/rapporter/")
    axe(page)
    page.get_by_role("link", name="Balansrapport 2026").click()
    assert "198 099 999,85" in page.locator("main").inner_text().replace("\u00a0", " ")
    axe(page)
    page.get_by_role("button", name="Utfärda slutlig rapport").click()
    assert "utfärdas just nu" in page.locator("main").inner_text()
    axe(page)
    run_jobs()  # the worker renders and archives it
    page.get_by_role("link", name="Uppdatera sidan").click()
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
    page.get_by_role("button", name="Utfärda slutlig rapport").click()
    run_jobs()
    page.get_by_role("link", name="Uppdatera sidan").click()
    assert _download(page, "Hämta PDF").startswith(b"%PDF")
    page.goto("/rapporter/arkiv/")
    axe(page)
    assert page.get_by_role("link", name="Utfallsrapport 2026 (PDF)").count() == 1


def test_the_auditor_has_a_preliminary_pdf_prepared_and_downloads_it(page, axe, ledger, auditor, run_jobs):
    log_in(page, "revisor", PASSWORD)
    page.goto(f"/rapporter/{ledger.slug}/2027/balans/")
    assert "PRELIMINÄR" in page.locator("main").inner_text()
    page.get_by_role("button", name="Ta fram PDF").click()
    main = page.locator("main").inner_text()
    assert "tas fram just nu" in main and page.get_by_role("button", name="Ta fram PDF").count() == 0
    axe(page)
    run_jobs()  # the worker renders it
    page.get_by_role("link", name="Uppdatera sidan").click()
    assert "Preliminär PDF framtagen" in page.locator("main").inner_text()
    axe(page)
    assert _download(page, "Hämta preliminär PDF").startswith(b"%PDF")
