import hashlib

import pytest
from django.urls import reverse

from reports.models import ReportArchive

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _issue(client, user, ledger, kind="balance", year=2026):
    client.force_login(user)
    return client.post(reverse(f"reports:{kind}-issue", args=[ledger.slug, year]))


@pytest.mark.django_db(transaction=True)
def test_finance_issues_the_final_balance_report_in_the_background_and_gets_the_same_bytes_again(
    client, ledger, finance, run_jobs
):
    page = _get(client, finance, reverse("reports:balance-detail", args=[ledger.slug, 2026]))
    assert "Utfärda slutlig rapport" in page.content.decode()
    url = reverse("reports:balance-pdf", args=[ledger.slug, 2026])
    assert client.get(url).status_code == 404  # not issued yet: a GET issues nothing
    assert ReportArchive.objects.count() == 0

    response = _issue(client, finance, ledger)
    assert response.status_code == 302
    assert _issue(client, finance, ledger).status_code == 302  # a second click joins the waiting job
    page = client.get(reverse("reports:balance-detail", args=[ledger.slug, 2026])).content.decode()
    assert "utfärdas just nu" in page and "Utfärda slutlig rapport" not in page
    assert ReportArchive.objects.count() == 0  # rendered by the worker, not the request

    run_jobs()
    archive = ReportArchive.objects.get(kind="balance", year=2026)
    assert archive.is_final and archive.created_by == finance
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert archive.sha256 == hashlib.sha256(first.content).hexdigest()
    assert client.get(url).content == first.content
    _issue(client, finance, ledger)  # issued already: nothing more
    run_jobs()
    assert ReportArchive.objects.count() == 1


def test_archived_report_is_never_changed_or_deleted(ledger, finance):
    from django.db import DatabaseError, transaction

    archive = issued(ledger, finance)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportArchive.objects.filter(pk=archive.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        archive.sha256 = "0" * 64
        archive.save()


def issued(ledger, finance, kind="balance", year=2026):
    """The final report as the issue job makes it (the job's own function, run here)."""
    from reports.tasks import report_issue_final

    report_issue_final(kind=kind, fund_id=ledger.pk, year=year, user_id=finance.pk)
    return ReportArchive.objects.get(kind=kind, year=year)


@pytest.mark.parametrize(
    ("role", "prepare", "balance_issue", "outcome_issue", "page"),
    [
        ("finance", 302, 302, 403, 200),
        ("secretariat", 302, 403, 302, 200),
        ("auditor", 302, 403, 403, 200),
        ("administrator", 302, 403, 403, 200),
        ("initiator", 404, 404, 404, 404),
        ("representative", 404, 404, 404, 404),
    ],
)
def test_permissions_per_role(client, ledger, request, role, prepare, balance_issue, outcome_issue, page):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(reverse("reports:balance-detail", args=[ledger.slug, 2027])).status_code == page
    assert client.get(reverse("reports:outcome-detail", args=[ledger.slug, 2027])).status_code == page
    assert client.post(reverse("reports:balance-prepare", args=[ledger.slug, 2027])).status_code == prepare
    assert client.post(reverse("reports:outcome-prepare", args=[ledger.slug, 2027])).status_code == prepare
    assert (
        client.post(reverse("reports:balance-issue", args=[ledger.slug, 2026])).status_code == balance_issue
    )
    assert (
        client.post(reverse("reports:outcome-issue", args=[ledger.slug, 2026])).status_code == outcome_issue
    )


def test_a_preliminary_year_cannot_be_issued_as_final(client, ledger, finance):
    response = _issue(client, finance, ledger, year=2027)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Bara ett stängt verksamhetsårs rapport kan utfärdas som slutlig." in page
    from procrastinate.contrib.django.models import ProcrastinateJob

    assert not ProcrastinateJob.objects.filter(task_name="reports.report_issue_final").exists()


def test_readers_and_initiators_read_archived_final_reports(client, ledger, finance, auditor, initiator):
    archive = issued(ledger, finance)
    for user in (auditor, initiator):
        client.force_login(user)
        assert client.get(reverse("reports:archive-list")).status_code == 200
        download = client.get(reverse("reports:archive-download", args=[archive.pk]))
        assert download.content == bytes(archive.content)
    # ...and the auditor may fetch the archived final PDF from the report URL too
    client.force_login(auditor)
    assert client.get(reverse("reports:balance-pdf", args=[ledger.slug, 2026])).content == bytes(
        archive.content
    )


def test_unknown_year_and_unknown_fund_get_a_swedish_404(client, ledger, finance):
    response = _get(client, finance, reverse("reports:balance-detail", args=[ledger.slug, 1999]))
    assert response.status_code == 404
    assert "har inget verksamhetsår 1999" in response.content.decode()
    response = client.get(reverse("reports:outcome-pdf", args=["finns-inte", 2026]))
    assert response.status_code == 404
    assert "Det finns ingen fond" in response.content.decode()


def test_pages_mark_preliminary_and_final(client, ledger, auditor):
    client.force_login(auditor)
    open_page = client.get(reverse("reports:balance-detail", args=[ledger.slug, 2027])).content.decode()
    closed_page = client.get(reverse("reports:balance-detail", args=[ledger.slug, 2026])).content.decode()
    assert "PRELIMINÄR" in open_page and "PRELIMINÄR" not in closed_page
    assert "<b>fet</b>" not in closed_page and "&lt;b&gt;fet&lt;/b&gt;" in closed_page


def test_csv_and_excel_carry_the_report_figures(client, ledger, secretariat):
    from reports.tasks import report_prepare_preliminary

    for kind, fmt in (("balance", "csv"), ("outcome", "csv"), ("outcome", "xlsx")):  # as the worker does
        report_prepare_preliminary(kind=kind, fund_id=ledger.pk, year=2026, user_id=secretariat.pk, fmt=fmt)
    client.force_login(secretariat)
    csv = client.get(reverse("reports:balance-csv", args=[ledger.slug, 2026])).content.decode("utf-8-sig")
    # The first year: the founding capital is the opening ("Ingående kapital"), not capital added.
    assert "Kapitaldel;Ingående kapital;Tillfört kapital;" in csv
    assert "Summa;200000000,00;0,00;0,00;-2001000,24;100000,10;999,99;-1900000,15;198099999,85" in csv
    outcome = client.get(reverse("reports:outcome-csv", args=[ledger.slug, 2026])).content.decode("utf-8-sig")
    assert "Pendelbussar" in outcome
    xlsx = client.get(reverse("reports:outcome-xlsx", args=[ledger.slug, 2026]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_report_pages_query_counts_do_not_grow_with_data(
    client, ledger, auditor, finance, karlstad, initiator, secretariat, django_assert_max_num_queries
):
    from datetime import date
    from decimal import Decimal

    from accounting import services
    from initiatives.models import Initiative
    from tests.accounting.factories import decide, supported_initiative
    from tests.reports.test_outcome_report import _approved_final

    # An approved outcome report with an indicator: its prefetch and the co-financing are counted too.
    _approved_final(Initiative.objects.get(title__startswith="Cykelstråk"), initiator, secretariat)
    client.force_login(auditor)
    urls = [
        reverse("reports:dashboard"),
        reverse("reports:balance-detail", args=[ledger.slug, 2027]),
        reverse("reports:outcome-detail", args=[ledger.slug, 2027]),
    ]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    part = ledger.capital_parts.order_by("number").first()
    for n in range(3):
        more = supported_initiative(party=karlstad, user=initiator, title=f"Fler {n}")
        decision = decide(
            fund=ledger, initiative=more, user=finance, amount="1000.00", decided_on=date(2026, 3, 5)
        )
        commitment = services.commitment_create(
            decision=decision,
            shares=[services.Share(part, Decimal("1000.00"), 2027)],
            booking_date=date(2027, 1, 6),
            text="Beviljat",
            user=finance,
        ).commitment
        services.disbursement_record(
            commitment=commitment,
            amount=Decimal("10.00"),
            booking_date=date(2027, 2, 1),
            text="U",
            user=finance,
        )
    for url, before in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200
        assert len(captured.captured_queries) == before, url
