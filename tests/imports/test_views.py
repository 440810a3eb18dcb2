"""The Import pages: templates to download, upload with dry run, the report, and the real run."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from procrastinate.contrib.django.models import ProcrastinateJob

from imports.kinds import SPECS
from imports.models import Import, ImportKind
from initiatives.models import Initiative
from tests.imports.factories import INITIATIVE_ROWS, filled, zip_bomb

pytestmark = pytest.mark.django_db


def test_the_template_carries_its_marker_swedish_headers_and_a_column_per_party(client, secretariat):
    client.force_login(secretariat)

    response = client.get(reverse("imports:template-download", args=[ImportKind.POSITIONS]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="dgr-importmall-positions.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book["Instruktioner"]["A1"].value == SPECS[ImportKind.POSITIONS].marker
    headers = [cell.value for cell in book["Ställningstaganden"][1]]
    assert headers[:4] == ["Organ", "Sammanträdesdatum", "Paragraf", "Diarienummer"]
    assert headers[-17] == "Region Värmland"
    assert headers[-1] == "Årjäng"


def test_only_the_roles_that_import_a_kind_get_its_template_and_others_see_no_import_page(
    client, secretariat, initiator
):
    client.force_login(secretariat)
    assert client.get(reverse("imports:template-download", args=[ImportKind.POSTINGS])).status_code == 404
    client.force_login(initiator)
    assert client.get(reverse("imports:import-list")).status_code == 403
    assert client.get(reverse("imports:template-download", args=[ImportKind.INITIATIVES])).status_code == 404


def _post_file(client, content, name="initiativ-2022.xlsx", kind=ImportKind.INITIATIVES, **extra):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("imports:import-list"), {"kind": kind, "file": upload, **extra})


@pytest.mark.django_db(transaction=True)
def test_upload_queues_the_dry_run_and_the_import_button_queues_the_real_run(client, secretariat, run_jobs):
    client.force_login(secretariat)

    response = _post_file(client, filled(ImportKind.INITIATIVES, INITIATIVE_ROWS))

    record = Import.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.status == Import.Status.CHECKING
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Provkörs: väntar på att en arbetare tar den" in page
    assert 'role="status"' in page and "js/import-progress.js" in page
    assert reverse("imports:import-run", args=[record.pk]) not in page

    run_jobs()

    page = client.get(record.get_absolute_url()).content.decode()
    assert "Provkörningen hittade inga problem" in page
    assert "Kompetenslyft i besöksnäringen" in page
    assert "js/import-progress.js" not in page
    assert Initiative.objects.count() == 0

    response = client.post(reverse("imports:import-run", args=[record.pk]), follow=True)

    assert "Importen har startat. Sidan visar hur det går." in response.content.decode()
    assert "Importeras: väntar på att en arbetare tar den" in response.content.decode()
    # A second press while it waits starts nothing more: one job, one run.
    response = client.post(reverse("imports:import-run", args=[record.pk]), follow=True)
    assert "Importen av filen pågår redan; den körs inte en gång till." in response.content.decode()
    assert ProcrastinateJob.objects.filter(queueing_lock=f"import:{record.pk}", status="todo").count() == 1
    assert Initiative.objects.count() == 0

    run_jobs()

    page = client.get(record.get_absolute_url()).content.decode()
    assert "Filen är importerad: 4 skapade, 0 fanns redan." in page
    assert Initiative.objects.count() == 4
    record.refresh_from_db()
    assert record.status == Import.Status.IMPORTED
    assert record.imported_by == secretariat
    # A press after the run changes nothing: the record is no longer a checked dry run.
    client.post(reverse("imports:import-run", args=[record.pk]))
    run_jobs()
    assert Initiative.objects.count() == 4

    # The same file once more, after its success: the dry run finds every row, the run creates nothing.
    _post_file(client, filled(ImportKind.INITIATIVES, INITIATIVE_ROWS))
    run_jobs()
    again = Import.objects.latest("pk")
    assert {row["action"] for row in again.rows} == {"skip"}
    client.post(reverse("imports:import-run", args=[again.pk]))
    run_jobs()
    again.refresh_from_db()
    assert again.status == Import.Status.IMPORTED
    assert (again.created_count, again.skipped_count) == (0, 4)
    assert Initiative.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_refused_file_shows_every_problem_and_no_import_button(client, secretariat, run_jobs):
    client.force_login(secretariat)
    _post_file(client, filled(ImportKind.INITIATIVES, [dict(INITIATIVE_ROWS[0], Part="Gotham")]), "fel.xlsx")
    run_jobs()

    page = client.get(Import.objects.get().get_absolute_url()).content.decode()

    assert "1 problem: inget har skapats" in page
    assert "Okänd part ”Gotham”." in page
    assert "C (Part)" in page
    assert reverse("imports:import-run", args=[Import.objects.get().pk]) not in page


def test_a_zip_bomb_is_refused_next_to_the_file_field_and_nothing_is_kept(client, secretariat):
    client.force_login(secretariat)
    upload = io.BytesIO(zip_bomb(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)))
    upload.name = "initiativ.xlsx"

    response = client.post(reverse("imports:import-list"), {"kind": ImportKind.INITIATIVES, "file": upload})

    assert response.status_code == 200
    assert "Filen packas upp till mer än tillåtet" in response.content.decode()
    assert response.context["form"].errors["file"][0].startswith("Filen tas inte emot som Excel (.xlsx):")
    assert not Import.objects.exists() and not Initiative.objects.exists()


def test_decisions_need_a_fund_next_to_the_field(client, finance):
    client.force_login(finance)
    upload = io.BytesIO(filled(ImportKind.DECISIONS, []))
    upload.name = "beslut.xlsx"

    response = client.post(reverse("imports:import-list"), {"kind": ImportKind.DECISIONS, "file": upload})

    assert response.status_code == 200
    assert "Välj fonden som beslut och bokföringar hör till." in response.content.decode()
    assert Import.objects.count() == 0


def test_an_import_of_someone_else_is_not_found_for_those_who_read_no_records(client, secretariat, initiator):
    client.force_login(secretariat)
    upload = io.BytesIO(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS))
    upload.name = "initiativ.xlsx"
    client.post(reverse("imports:import-list"), {"kind": ImportKind.INITIATIVES, "file": upload})
    record = Import.objects.get()

    client.force_login(initiator)

    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:import-run", args=[record.pk])).status_code == 404
    assert Initiative.objects.count() == 0
