"""Finance exports a closed fiscal year for the e-archive: the menu, a choice left empty (the message next
to the field), the package built by the worker and downloaded as a zip. axe-core on every page."""

import io
import zipfile

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.reports.factories import worked_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_finance_exports_a_closed_year_as_an_archive_package(
    page, axe, finance, karlstad, arvika, initiator, other_initiator, run_jobs, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )
    log_in(page, "ekonomi", PASSWORD)
    page.get_by_role("link", name="Arkivpaket").first.click()
    page.wait_for_url("**/arkiv/paket/")
    assert "Inga arkivpaket är skapade ännu." in page.locator("main").inner_text()
    axe(page)

    page.get_by_role("button", name="Skapa paket för verksamhetsåret").click()
    page.wait_for_selector(".field--error")
    axe(page)

    page.get_by_label("Stängt verksamhetsår").select_option(label="De gemensamma resurserna (dgr) 2026")
    page.get_by_role("button", name="Skapa paket för verksamhetsåret").click()
    page.wait_for_selector("text=Arkivpaketet skapas i bakgrunden")
    assert "Skapas" in page.locator("table").inner_text()
    axe(page)

    run_jobs()  # the worker builds the package
    page.reload()
    with page.expect_download() as info:
        page.get_by_role("link", name="Verksamhetsår: De gemensamma resurserna (dgr) 2026 (zip)").click()
    data = info.value.path().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert any(name.endswith("/METS.xml") and name.count("/") == 1 for name in names)
    assert any(name.endswith("-4E.se") for name in names)
    axe(page)
