import hashlib

import pytest
from django.urls import reverse

from reports.models import ReportArchive

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_finance_downloads_the_final_balance_pdf_once_and_gets_the_same_bytes_again(client, ledger, finance):
    url = reverse("reports:balance-pdf", args=[ledger.slug, 2026])
    first = _get(client, finance, url)
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    again = client.get(url)
    assert again.content == first.content
    archive = ReportArchive.objects.get(kind="balance", year=2026)
    assert archive.is_final and archive.sha256 == hashlib.sha256(first.content).hexdigest()
    assert ReportArchive.objects.count() == 1


def test_archived_report_is_never_changed_or_deleted(client, ledger, finance):
    from django.db import DatabaseError, transaction

    _get(client, finance, reverse("reports:balance-pdf", args=[ledger.slug, 2026]))
    archive = ReportArchive.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportArchive.objects.filter(pk=archive.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        archive.sha256 = "0" * 64
        archive.save()


@pytest.mark.parametrize(
    ("role", "balance_pdf", "outcome_pdf", "page"),
    [
        ("finance", 200, 403, 200),
        ("secretariat", 403, 200, 200),
        ("auditor", 403, 403, 200),
        ("administrator", 403, 403, 200),
        ("initiator", 404, 404, 404),
        ("representative", 404, 404, 404),
    ],
)
def test_permissions_per_role(client, ledger, request, role, balance_pdf, outcome_pdf, page):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(reverse("reports:balance-detail", args=[ledger.slug, 2027])).status_code == page
    assert client.get(reverse("reports:outcome-detail", args=[ledger.slug, 2027])).status_code == page
    assert client.get(reverse("reports:balance-pdf", args=[ledger.slug, 2027])).status_code == balance_pdf
    assert client.get(reverse("reports:outcome-pdf", args=[ledger.slug, 2027])).status_code == outcome_pdf


def test_readers_and_initiators_read_archived_final_reports(client, ledger, finance, auditor, initiator):
    response = _get(client, finance, reverse("reports:balance-pdf", args=[ledger.slug, 2026]))
    archive = ReportArchive.objects.get()
    for user in (auditor, initiator):
        client.force_login(user)
        assert client.get(reverse("reports:archive-list")).status_code == 200
        download = client.get(reverse("reports:archive-download", args=[archive.pk]))
        assert download.content == response.content
        # ...and the auditor may fetch the archived final PDF from the report URL too
    client.force_login(auditor)
    assert client.get(reverse("reports:balance-pdf", args=[ledger.slug, 2026])).content == response.content


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
    client.force_login(secretariat)
    csv = client.get(reverse("reports:balance-csv", args=[ledger.slug, 2026])).content.decode("utf-8-sig")
    assert "Summa;0,00;200000000,00;0,00;-2001000,24;100000,10;999,99;198099999,85" in csv
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
            fund=ledger, initiative=more, user=finance, amount="1000.00", decided_on=date(2027, 1, 5)
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
