"""The import's background jobs: the worker runs the dry run and the real run, the progress is seen from
outside the import's transaction while it is open, the page polls it, and a run that breaks off says why
in Swedish and creates nothing."""

import json

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

from imports import services
from imports.models import Import, ImportKind, ImportProgress
from imports.progress import ProgressWriter
from initiatives.models import Initiative
from tests.imports.factories import INITIATIVE_ROWS, filled, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_jobs_left_behind():
    """The queue's table is not emptied between tests: the jobs these tests queue and never run must not
    reach another test's worker (their imports are gone by then)."""
    yield
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_jobs WHERE task_name LIKE %s AND status = 'todo'", ["imports.%"]
        )


def _checked(user) -> Import:
    record = services.import_upload(
        kind=ImportKind.INITIATIVES, upload=upload(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)), user=user
    )
    assert record.status == Import.Status.CHECKED, record.problems
    return record


def test_progress_is_seen_from_another_connection_while_the_import_transaction_is_open(secretariat):
    record = _checked(secretariat)
    assert services.import_run_request(record=record, user=secretariat)
    observer = connections.create_connection(DEFAULT_DB_ALIAS)  # someone else: the page's request
    seen = []

    with ProgressWriter(record.pk, interval=0) as writer:

        def probe(done: int, total: int) -> None:
            writer(done, total)
            if done != 2:
                return
            with observer.cursor() as cursor:
                cursor.execute(
                    "SELECT step, done, total FROM imports_importprogress WHERE record_id = %s", [record.pk]
                )
                progress = cursor.fetchone()
                cursor.execute("SELECT count(*) FROM initiatives_initiative")
                initiatives_outside = cursor.fetchone()[0]
                cursor.execute("SELECT status FROM imports_import WHERE id = %s", [record.pk])
                status_outside = cursor.fetchone()[0]
            # Inside the import's transaction the two rows' initiatives exist already.
            seen.append((progress, initiatives_outside, status_outside, Initiative.objects.count()))

        services.import_run(record=record, user=secretariat, progress=probe)
    observer.close()

    # Outside: the progress of row 2 of 4, but not one initiative and the status before the run.
    assert seen == [(("rows", 2, 4), 0, "importing", 2)]
    assert Initiative.objects.count() == 4
    assert ImportProgress.objects.get(record=record).step == ImportProgress.Step.SAVING


def test_the_worker_runs_the_dry_run_and_the_real_run_and_leaves_the_progress_at_the_end(
    secretariat, run_jobs
):
    record = services.import_receive(
        kind=ImportKind.INITIATIVES,
        upload=upload(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS)),
        user=secretariat,
    )
    assert ImportProgress.objects.get(record=record).step == ImportProgress.Step.WAITING

    run_jobs()

    record.refresh_from_db()
    assert record.status == Import.Status.CHECKED
    assert [row["action"] for row in record.rows] == ["create"] * 4
    assert Initiative.objects.count() == 0

    services.import_run_request(record=record, user=secretariat)
    assert not services.import_run_request(record=record, user=secretariat)  # already waiting
    run_jobs()

    record.refresh_from_db()
    assert record.status == Import.Status.IMPORTED
    assert record.history.first().history_user == secretariat
    assert Initiative.objects.count() == 4
    progress = ImportProgress.objects.get(record=record)
    assert (progress.step, progress.done, progress.total) == (ImportProgress.Step.SAVING, 4, 4)


def test_a_run_that_breaks_off_creates_nothing_and_says_why_in_swedish(client, secretariat, run_jobs):
    record = _checked(secretariat)
    services.import_run_request(record=record, user=secretariat)
    # The stored file no longer is the one that was dry-run: the worker must refuse to run it.
    with record.file.open("wb") as handle:
        handle.write(filled(ImportKind.INITIATIVES, INITIATIVE_ROWS[:1]))

    run_jobs()

    record.refresh_from_db()
    assert Initiative.objects.count() == 0
    assert record.status == Import.Status.CHECKED  # back a step: it may be tried again
    assert record.error == (
        "Importen avbröts och inget skapades. Den sparade filen har ändrats sedan den laddades upp."
    )
    client.force_login(secretariat)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Importen avbröts och inget skapades." in page
    assert record.history.first().history_change_reason == "körning avbruten"


def test_the_page_polls_the_progress_as_json_and_whoever_reads_imports_may_follow_it(
    client, secretariat, finance, initiator
):
    record = _checked(secretariat)
    services.import_run_request(record=record, user=secretariat)
    url = reverse("imports:import-progress", args=[record.pk])
    client.force_login(finance)  # finance reads the secretariat's imports, and may follow them

    state = json.loads(client.get(url).content)

    assert state == {
        "running": True,
        "status": "importing",
        "step": "waiting",
        "done": 0,
        "total": 4,
        "text": "Importeras: väntar på att en arbetare tar den",
    }
    ImportProgress.objects.filter(record=record).update(step="rows", done=1200, total=2000)
    state = json.loads(client.get(url).content)
    assert state["text"] == "Importeras: går igenom raderna, rad 1\u00a0200 av 2\u00a0000"
    assert (state["done"], state["total"]) == (1200, 2000)

    client.force_login(initiator)
    assert client.get(url).status_code == 404


def test_an_import_whose_job_is_gone_says_it_broke_off(client, secretariat):
    record = _checked(secretariat)
    services.import_run_request(record=record, user=secretariat)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:  # the worker died with the job
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'failed' WHERE queueing_lock = %s",
            [services.import_lock(record)],
        )
    client.force_login(secretariat)

    state = json.loads(client.get(reverse("imports:import-progress", args=[record.pk])).content)

    assert state["running"] is False
    assert state["text"].startswith("Körningen avbröts utan att bli klar, och inget skapades.")
    assert "Körningen avbröts utan att bli klar" in client.get(record.get_absolute_url()).content.decode()
