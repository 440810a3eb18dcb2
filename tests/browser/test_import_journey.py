"""The secretariat brings the diarium's initiatives into DGR: template, upload, dry run, import."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from initiatives.models import Initiative, Status
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretariat_downloads_the_template_dry_runs_a_bad_file_fixes_it_and_imports(
    page, axe, secretariat, tmp_path, run_jobs
):
    """The dry run and the import run in a worker (run_jobs here); the page shows the job's progress in a
    status region, polls it (static/js/import-progress.js) and shows the result when the job ends."""
    log_in(page, "vrag", PASSWORD)
    page.get_by_role("link", name="Import").first.click()
    page.get_by_role("heading", name="Import av befintliga uppgifter").wait_for()
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Mall för Initiativ (.xlsx)").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book["Initiativ"]
    headers = [cell.value for cell in sheet[1]]
    rows = [
        {
            "Diarienummer": "DGR 2022/0005",
            "Inlämnat": date(2022, 3, 1),
            "Part": "Sunne",
            "Titel": "Fiber till byarna",
            "Status": "Under beredning",
        },
        {
            "Diarienummer": "DGR 2022/0009",
            "Inlämnat": date(2022, 5, 1),
            "Part": "Atlantis",
            "Titel": "Hamn",
            "Status": "Återkallat",
        },
    ]
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    bad = tmp_path / "initiativ-med-fel.xlsx"
    book.save(bad)

    page.get_by_label("Typ av uppgifter").select_option(label="Initiativ")
    page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Provkör").click()
    page.get_by_role("status").filter(has_text="Provkörs: väntar på att en arbetare tar den").wait_for()
    axe(page)
    run_jobs()
    page.get_by_text("1 problem: inget har skapats").wait_for()
    page.get_by_role("cell", name="Okänd part ”Atlantis”.").wait_for()
    axe(page)
    assert page.get_by_role("button", name="Importera").count() == 0

    sheet.cell(row=3, column=headers.index("Part") + 1, value="Säffle")
    good = tmp_path / "initiativ.xlsx"
    book.save(good)
    page.get_by_role("link", name="Import", exact=True).first.click()
    page.get_by_label("Typ av uppgifter").select_option(label="Initiativ")
    page.get_by_label("Ifylld mall (.xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Provkör").click()
    page.get_by_role("status").filter(has_text="Provkörs:").wait_for()
    run_jobs()
    page.get_by_text("Provkörningen hittade inga problem").wait_for()
    page.get_by_role(
        "cell", name="DGR 2022/0005 ”Fiber till byarna” (Sunne), status Under beredning"
    ).wait_for()
    axe(page)
    assert Initiative.objects.count() == 0

    page.get_by_role("button", name="Importera").click()
    page.get_by_role("status").filter(has_text="Importeras: väntar på att en arbetare tar den").wait_for()
    page.get_by_role("progressbar", name="Förlopp").wait_for()
    axe(page)
    assert Initiative.objects.count() == 0
    run_jobs()
    page.get_by_text("Filen är importerad: 2 skapade, 0 fanns redan.").wait_for()
    axe(page)

    assert Initiative.objects.with_registration_number("DGR 2022/0009").get().status == Status.WITHDRAWN
    assert Initiative.objects.with_registration_number("DGR 2022/0005").get().party.name == "Sunne"
