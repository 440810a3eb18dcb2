"""Preliminary report PDFs prepared by a worker: asked for by POST, rendered once per report and data
version, offered while the ledger is unchanged, downloaded through a permission-checked view."""

import hashlib
import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from procrastinate.contrib.django.models import ProcrastinateJob
from simple_history.utils import get_history_model_for_model

from accounting import services as accounting
from reports import selectors
from reports.models import PreparedReport, ReportArchive

TASK = "reports.report_prepare_preliminary"


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - fixed poppler command on a test file
        [shutil.which("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _page(client, ledger, kind="balance", year=2027) -> str:
    return client.get(reverse(f"reports:{kind}-detail", args=[ledger.slug, year])).content.decode()


def _prepare(client, ledger, kind="balance", year=2027):
    return client.post(reverse(f"reports:{kind}-prepare", args=[ledger.slug, year]))


def _prepared_by_the_job(ledger, user, kind="balance", year=2027) -> PreparedReport:
    """What the worker does for a request (the job's own function, run here)."""
    from reports.tasks import report_prepare_preliminary

    pk = report_prepare_preliminary(kind=kind, fund_id=ledger.pk, year=year, user_id=user.pk)
    return PreparedReport.objects.get(pk=pk)


def _post_a_disbursement(ledger, finance):
    commitment = ledger.commitments.order_by("id").first()
    accounting.disbursement_record(
        commitment=commitment,
        amount=Decimal("1000.00"),
        booking_date=date(2027, 3, 1),
        text="Utbetalning 3",
        user=finance,
    )


@pytest.mark.django_db(transaction=True)
def test_a_reader_asks_for_the_preliminary_pdf_and_downloads_it_once_the_worker_has_prepared_it(
    client, ledger, auditor, finance, run_jobs, tmp_path
):
    client.force_login(auditor)
    pdf_url = reverse("reports:balance-pdf", args=[ledger.slug, 2027])
    assert "Ta fram PDF" in _page(client, ledger)
    assert client.get(pdf_url).status_code == 404  # nothing prepared, and a GET renders nothing

    response = _prepare(client, ledger)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "PDF:en tas fram." in page
    assert "tas fram just nu" in page and "Uppdatera sidan" in page and "Ta fram PDF" not in page
    client.force_login(finance)
    assert _prepare(client, ledger).status_code == 302  # a second request joins the waiting job
    assert ProcrastinateJob.objects.filter(task_name=TASK).count() == 1
    assert PreparedReport.objects.count() == 0  # rendered by the worker, not the request

    run_jobs()
    prepared = PreparedReport.objects.get()
    assert (prepared.kind, prepared.year, prepared.requested_by) == ("balance", 2027, auditor)
    client.force_login(auditor)
    page = _page(client, ledger)
    assert "Hämta preliminär PDF" in page and "tas fram just nu" not in page
    download = client.get(pdf_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="balansrapport-2027-preliminar.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(download.content).hexdigest() == prepared.sha256
    assert "PRELIMINÄR" in _pdf_text(download.content, tmp_path)
    assert ReportArchive.objects.count() == 0  # never archived, never final

    _prepare(client, ledger)  # ready for this data version already: no new job
    assert not ProcrastinateJob.objects.filter(task_name=TASK, status="todo").exists()


@pytest.mark.django_db(transaction=True)
def test_a_reader_asks_for_the_data_as_excel_and_csv_and_downloads_them_once_the_worker_has_prepared_them(
    client, ledger, auditor, finance, run_jobs
):
    client.force_login(auditor)
    xlsx_url = reverse("reports:balance-xlsx", args=[ledger.slug, 2026])
    assert "Ta fram data som Excel" in _page(client, ledger, year=2026)  # a closed year's data too
    missing = client.get(xlsx_url)
    assert missing.status_code == 404 and "Ingen aktuell fil med rapportens data" in missing.content.decode()

    response = client.post(
        reverse("reports:balance-prepare", args=[ledger.slug, 2026]), {"format": "xlsx"}, follow=True
    )
    page = response.content.decode()
    assert "Rapportens data som Excel tas fram. Den finns att hämta här när den är klar." in page
    assert "Rapportens data som Excel tas fram just nu." in page and "Ta fram data som Excel" not in page
    assert "Ta fram data som CSV" in page  # each format on its own
    client.force_login(finance)
    client.post(reverse("reports:balance-prepare", args=[ledger.slug, 2026]), {"format": "xlsx"})
    jobs = ProcrastinateJob.objects.filter(
        task_name=TASK, queueing_lock__startswith="report-prepare:balance:xlsx:"
    )
    assert jobs.count() == 1  # the second request joined the first job
    assert PreparedReport.objects.count() == 0  # built by the worker, not the request

    run_jobs()

    prepared = PreparedReport.objects.get()
    assert (prepared.kind, prepared.format, prepared.year, prepared.requested_by) == (
        "balance",
        "xlsx",
        2026,
        auditor,
    )
    assert "Hämta data som Excel" in _page(client, ledger, year=2026)
    download = client.get(xlsx_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"] == f'attachment; filename="balansrapport-{ledger.slug}-2026.xlsx"'
    sheet = load_workbook(io.BytesIO(download.content))["Rapport"]
    assert [sheet["A1"].value, sheet["D1"].value] == ["Balansrapport", "slutlig"]
    assert hashlib.sha256(download.content).hexdigest() == prepared.sha256
    client.post(reverse("reports:balance-prepare", args=[ledger.slug, 2026]), {"format": "xlsx"})
    assert not jobs.filter(status="todo").exists()  # ready for this data version: the file is reused

    client.post(reverse("reports:balance-prepare", args=[ledger.slug, 2026]), {"format": "csv"})
    run_jobs()
    csv = client.get(reverse("reports:balance-csv", args=[ledger.slug, 2026]))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert "Summa;200000000,00;" in csv.content.decode("utf-8-sig")
    assert client.get(xlsx_url).status_code == 200  # the Excel file is kept beside the CSV


def test_an_unknown_format_is_refused_and_queues_nothing(client, ledger, auditor):
    client.force_login(auditor)
    response = client.post(
        reverse("reports:balance-prepare", args=[ledger.slug, 2026]), {"format": "exe"}, follow=True
    )
    assert "Okänt filformat." in response.content.decode()
    assert not ProcrastinateJob.objects.filter(task_name=TASK).exists()


def test_a_get_changes_nothing(client, ledger, auditor):
    jobs = ProcrastinateJob.objects.count()  # the ledger's own mail jobs
    client.force_login(auditor)
    for kind in ("balance", "outcome"):
        assert client.get(reverse(f"reports:{kind}-detail", args=[ledger.slug, 2027])).status_code == 200
        assert client.get(reverse(f"reports:{kind}-pdf", args=[ledger.slug, 2027])).status_code == 404
        assert client.get(reverse(f"reports:{kind}-prepare", args=[ledger.slug, 2027])).status_code == 405
        for fmt in ("xlsx", "csv"):  # nothing prepared: a GET builds nothing, it says where to ask
            assert client.get(reverse(f"reports:{kind}-{fmt}", args=[ledger.slug, 2026])).status_code == 404
    assert ProcrastinateJob.objects.count() == jobs
    assert PreparedReport.objects.count() == 0
    assert get_history_model_for_model(PreparedReport).objects.count() == 0


def test_an_initiator_can_neither_ask_for_nor_download_a_preliminary_pdf(
    client, ledger, auditor, initiator, representative
):
    _prepared_by_the_job(ledger, auditor, kind="outcome")
    for user in (initiator, representative):
        client.force_login(user)
        assert _prepare(client, ledger, kind="outcome").status_code == 404
        assert client.get(reverse("reports:outcome-pdf", args=[ledger.slug, 2027])).status_code == 404
    assert not ProcrastinateJob.objects.filter(task_name=TASK).exists()
    client.force_login(auditor)
    download = client.get(reverse("reports:outcome-pdf", args=[ledger.slug, 2027]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")


def test_a_prepared_pdf_is_not_served_once_the_ledger_changed_and_only_the_latest_is_kept(
    client, ledger, auditor, finance
):
    first = _prepared_by_the_job(ledger, auditor)
    client.force_login(auditor)
    pdf_url = reverse("reports:balance-pdf", args=[ledger.slug, 2027])
    assert client.get(pdf_url).status_code == 200

    _post_a_disbursement(ledger, finance)
    assert selectors.report_data_version(fund=ledger, year=2027) != first.data_version
    response = client.get(pdf_url)
    assert response.status_code == 404  # stale: never served
    assert "Ingen aktuell preliminär PDF" in response.content.decode()
    assert "Ta fram PDF" in _page(client, ledger)

    assert _prepare(client, ledger).status_code == 302
    assert ProcrastinateJob.objects.filter(task_name=TASK, status="todo").count() == 1
    second = _prepared_by_the_job(ledger, auditor)
    assert second.data_version != first.data_version
    assert list(PreparedReport.objects.values_list("pk", flat=True)) == [second.pk]  # retention
    deleted = get_history_model_for_model(PreparedReport).objects.get(id=first.pk, history_type="-")
    assert deleted.history_user == auditor
    assert client.get(pdf_url).content == bytes(second.content)


def test_a_change_to_an_initiative_makes_the_outcome_pdf_stale(client, ledger, auditor, secretariat):
    prepared = _prepared_by_the_job(ledger, auditor, kind="outcome")
    initiative = ledger.commitments.order_by("id").first().initiative
    initiative.title = "Nytt namn på initiativet"
    initiative._history_user = secretariat
    initiative.save()
    assert selectors.report_data_version(fund=ledger, year=2027) != prepared.data_version
    client.force_login(auditor)
    assert client.get(reverse("reports:outcome-pdf", args=[ledger.slug, 2027])).status_code == 404


def test_a_closed_year_is_issued_not_prepared(client, ledger, finance):
    client.force_login(finance)
    response = _prepare(client, ledger, year=2026)
    assert response.status_code == 302
    assert "Bara ett öppet verksamhetsårs rapport tas fram som preliminär PDF." in (
        client.get(response["Location"]).content.decode()
    )
    assert not ProcrastinateJob.objects.filter(task_name=TASK).exists()
    assert "Ta fram PDF" not in _page(client, ledger, year=2026)


def test_a_running_job_is_joined_and_a_failed_one_is_said_on_the_page_and_may_be_asked_for_again(
    client, ledger, auditor
):
    client.force_login(auditor)
    _prepare(client, ledger)
    job = ProcrastinateJob.objects.filter(task_name=TASK)
    job.update(status="doing")  # a worker renders it: a second request joins it too
    _prepare(client, ledger)
    assert job.count() == 1 and "tas fram just nu" in _page(client, ledger)
    job.update(status="failed")  # as the worker leaves it after its last attempt
    page = _page(client, ledger)
    assert "Det gick inte att ta fram den preliminära PDF:en." in page and "Ta fram PDF" in page
    _prepare(client, ledger)
    assert ProcrastinateJob.objects.filter(task_name=TASK, status="todo").count() == 1
    assert "tas fram just nu" in _page(client, ledger)
