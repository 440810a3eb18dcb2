import re
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting import services
from accounting.models import Decision, Kind, Verification
from initiatives.models import Status
from tests.accounting.factories import decide, supported_initiative

D = Decimal
pytestmark = pytest.mark.django_db


def _key(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', response.content.decode()).group(1)


def test_readers_see_the_overview_and_initiators_do_not(client, funded, secretariat, auditor, initiator):
    for user in (secretariat, auditor):
        client.force_login(user)
        response = client.get(reverse("accounting:fund-detail", args=[funded.slug]))
        assert response.status_code == 200
        assert "200\u00a0000\u00a0000,00\u00a0kr" in response.content.decode()
        assert b"Tillf\xc3\xb6r kapital" not in response.content  # no posting buttons for readers
    client.force_login(initiator)
    assert client.get(reverse("accounting:fund-detail", args=[funded.slug])).status_code == 404


def test_readers_may_not_post(client, funded, auditor):
    client.force_login(auditor)
    assert client.get(reverse("accounting:capital-add", args=[funded.slug])).status_code == 403


def test_capital_form_accepts_swedish_amounts_and_replays_post_once(client, funded, finance, parts):
    client.force_login(finance)
    url = reverse("accounting:capital-add", args=[funded.slug])
    key = _key(client.get(url))
    data = {
        "capital_part": parts[0].pk,
        "amount": "1 250 000,50",
        "booking_date": "2026-05-04",
        "text": "Tillskott från regionen",
        "idempotency_key": key,
    }
    first = client.post(url, data)
    second = client.post(url, data)  # a double click or a resent form
    assert first.status_code == 302 and first["Location"] == second["Location"]
    assert Verification.objects.filter(text="Tillskott från regionen").count() == 1
    assert services.available(parts[0]) == D("56250000.50")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "större än noll"), ("-100", "större än noll"), ("12,345", "två decimaler")],
)
def test_capital_form_refuses_bad_amounts_next_to_the_field(client, funded, finance, parts, amount, message):
    client.force_login(finance)
    url = reverse("accounting:capital-add", args=[funded.slug])
    response = client.post(
        url,
        {
            "capital_part": parts[0].pk,
            "amount": amount,
            "booking_date": "2026-05-04",
            "text": "x",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Verification.objects.count() == 3


def test_decision_form_records_the_decision_and_moves_the_initiative(client, funded, finance, initiative):
    client.force_login(finance)
    point = services.delegation_point_add(
        code="3.2.1",
        description="Medel ur DGR",
        maker_kind="delegate",
        maker_name="Regiondirektören",
        amount_limit=Decimal("5000000.00"),
        valid_from=date(2022, 1, 1),
        user=finance,
    )
    url = reverse("accounting:decision-create", args=[initiative.pk])
    response = client.post(
        url,
        {
            "fund": funded.pk,
            "outcome": "granted",
            "maker_kind": "delegate",
            "maker_name": "Regiondirektören",
            "delegation_point": point.pk,
            "decided_on": "2026-03-01",
            "reference": "RD 2026/9",
            "amount": "3 000 000",
            "idempotency_key": _key(client.get(url)),
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == reverse("accounting:decision-detail", args=[decision.pk])
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED


def test_decision_form_and_page_show_the_position_the_decision_rests_on(client, funded, finance, initiative):
    position = initiative.council_positions.get()
    meeting_url = reverse("council:meeting-detail", args=[position.meeting_id])
    client.force_login(finance)
    url = reverse("accounting:decision-create", args=[initiative.pk])
    form_page = client.get(url).content.decode()
    assert meeting_url in form_page and "Värmlandsrådet 2026-01-15" in form_page
    assert "300\u00a0000\u00a0000,00\u00a0kr" in form_page
    response = client.post(
        url,
        {
            "fund": funded.pk,
            "maker_kind": "board",
            "maker_name": "Regionstyrelsen",
            "decided_on": "2026-01-14",
            "reference": "RS 2026/3",
            "amount": "300 000 000,01",
            "idempotency_key": _key(client.get(url)),
        },
    )
    page = response.content.decode()
    assert "Beslutet kan inte överstiga det belopp Värmlandsrådet tillstyrkt" in page
    assert "Beslutet kan inte fattas före Värmlandsrådets ställningstagande den 2026-01-15." in page
    assert not Decision.objects.exists()
    decision = decide(fund=funded, initiative=initiative, user=finance)
    detail = client.get(reverse("accounting:decision-detail", args=[decision.pk])).content.decode()
    assert meeting_url in detail and "300\u00a0000\u00a0000,00\u00a0kr" in detail


def test_commitment_form_refuses_more_than_the_decision_with_a_message(client, decision, finance, parts):
    client.force_login(finance)
    url = reverse("accounting:commitment-create", args=[decision.pk])
    response = client.post(
        url,
        {
            "capital_part_1": parts[0].pk,
            "amount_1": "6 000 000",
            "booking_date": "2026-03-02",
            "text": "För mycket",
            "idempotency_key": _key(client.get(url)),
        },
    )
    assert response.status_code == 200
    assert "Beslutet gäller 5\u00a0000\u00a0000,00\u00a0kr" in response.content.decode()
    assert not Verification.objects.filter(kind=Kind.COMMITMENT).exists()


# Where a disbursement is paid: every disbursement form asks for it (issue 13).
PAID_TO = {
    "payee": "Karlstads kommun",
    "bank_account_kind": "bankgiro",
    "bank_account_number": "991-2346",
    "payment_reference": "Faktura 4711",
}


def _disburse(client, commitment, finance, **changes):
    client.force_login(finance)
    url = reverse("accounting:disbursement-create", args=[commitment.pk])
    data = {"amount": "250 000", "booking_date": "2026-04-01", "text": "Utbetalning", **PAID_TO, **changes}
    return client.post(url, {**data, "idempotency_key": _key(client.get(url))})


def test_disbursement_form_records_payee_account_and_reference(client, commitment, finance):
    response = _disburse(client, commitment, finance, bank_account_number=" 991 - 2346 ")
    assert response.status_code == 302
    paid = Verification.objects.get(kind=Kind.DISBURSEMENT)
    assert (paid.payee, paid.bank_account_kind, paid.bank_account_number, paid.payment_reference) == (
        "Karlstads kommun",
        "bankgiro",
        "9912346",
        "Faktura 4711",
    )
    page = client.get(reverse("accounting:verification-detail", args=[commitment.fund.slug, paid.pk]))
    assert "Bankgiro 991-2346" in page.content.decode()


def test_disbursement_form_refuses_a_wrong_bankgiro_next_to_the_field(client, commitment, finance):
    response = _disburse(client, commitment, finance, bank_account_number="991-2345")
    assert response.status_code == 200
    assert response.context["form"].errors["bank_account_number"] == [
        "Kontrollsiffran stämmer inte: 991-2345 är inget giltigt bankgironummer. Kontrollera numret."
    ]
    assert not Verification.objects.filter(kind=Kind.DISBURSEMENT).exists()


def test_disbursement_form_asks_where_the_money_goes(client, commitment, finance):
    response = _disburse(client, commitment, finance, payee="", bank_account_number="")
    assert set(response.context["form"].errors) == {"payee", "bank_account_number"}
    assert not Verification.objects.filter(kind=Kind.DISBURSEMENT).exists()


def test_disbursement_form_refuses_over_disbursing(client, commitment, finance):
    client.force_login(finance)
    url = reverse("accounting:disbursement-create", args=[commitment.pk])
    response = client.post(
        url,
        {
            "amount": "2 000 000,01",
            "booking_date": "2026-04-01",
            "text": "x",
            "idempotency_key": _key(client.get(url)),
            **PAID_TO,
        },
    )
    assert "återstår bara" in response.content.decode()
    assert not Verification.objects.filter(kind=Kind.DISBURSEMENT).exists()


def test_posting_into_a_closed_year_is_refused_next_to_the_date(client, commitment, finance):
    services.fiscal_year_close(fiscal_year=commitment.fund.fiscal_years.get(year=2026), user=finance)
    client.force_login(finance)
    url = reverse("accounting:disbursement-create", args=[commitment.pk])
    response = client.post(
        url,
        {
            "amount": "10",
            "booking_date": "2026-12-30",
            "text": "x",
            "idempotency_key": _key(client.get(url)),
            **PAID_TO,
        },
    )
    assert "Verksamhetsåret 2026 är stängt" in response.content.decode()


def test_reversing_twice_is_refused(client, commitment, finance):
    paid = services.disbursement_record(
        commitment=commitment, amount=D("10.00"), booking_date=date(2026, 4, 1), text="x", user=finance
    )
    client.force_login(finance)
    url = reverse("accounting:verification-reverse", args=[commitment.fund.slug, paid.pk])
    for expected in (302, 200):
        response = client.post(
            url, {"booking_date": "2026-04-02", "text": "Rättelse", "idempotency_key": str(uuid.uuid4())}
        )
        assert response.status_code == expected
    assert "redan rättad" in response.content.decode()
    assert Verification.objects.filter(kind=Kind.REVERSAL).count() == 1


def test_year_close_shows_the_checks_and_needs_a_confirmation(client, funded, finance):
    client.force_login(finance)
    url = reverse("accounting:year-close", args=[funded.slug, 2026])
    assert "Kontrollerna är gröna" in client.get(url).content.decode()
    client.post(url, {})
    assert funded.fiscal_years.get(year=2026).is_open  # nothing happens without the confirmation
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "Verksamhetsåret 2026 är stängt" in response.content.decode()
    assert funded.fiscal_years.get(year=2027).is_open


def test_year_close_page_lists_what_stands_in_the_way(client, funded, finance):
    services.fiscal_year_open(fund=funded, year=2027, user=finance)
    client.force_login(finance)
    response = client.get(reverse("accounting:year-close", args=[funded.slug, 2027]))
    assert "Verksamhetsåret 2026 är inte stängt" in response.content.decode()
    assert "Stäng verksamhetsåret</button>" not in response.content.decode()


def test_initiators_read_their_own_initiatives_money_only(client, commitment, initiator, other_initiator):
    url = reverse("accounting:initiative-money", args=[commitment.initiative_id])
    client.force_login(initiator)
    response = client.get(url)
    assert response.status_code == 200
    assert "2\u00a0000\u00a0000,00\u00a0kr" in response.content.decode()
    client.force_login(other_initiator)
    assert client.get(url).status_code == 404


def test_the_money_panel_is_registered_for_the_initiative_page(commitment, initiator, other_initiator):
    from core.panels import panels_for

    rendered = panels_for("initiative-detail", commitment.initiative, initiator)
    assert rendered and rendered[0][0] == "accounting/initiative_panel.html"
    assert rendered[0][1]["money"]["total"].granted == D("2000000.00")
    assert panels_for("initiative-detail", commitment.initiative, other_initiator) == []


def test_account_mapping_is_edited_by_finance(client, fund, finance):
    account = fund.accounts.get(code="1680")
    client.force_login(finance)
    client.post(
        reverse("accounting:account-edit", args=[fund.slug, account.pk]),
        {"region_account": "1689", "region_object": ""},
    )
    account.refresh_from_db()
    assert account.region_account == "1689"


def _grow(fund, finance, karlstad, initiator, parts, n):
    for i in range(n):
        initiative = supported_initiative(party=karlstad, user=initiator, title=f"Initiativ {i}")
        decision = decide(fund=fund, initiative=initiative, user=finance, amount="1000.00")
        v = services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[i % 3], D("1000.00"))],
            booking_date=date(2026, 3, 1),
            text=f"Beviljat {i}",
            user=finance,
        )
        services.disbursement_record(
            commitment=v.commitment,
            amount=D("100.00"),
            booking_date=date(2026, 4, 1),
            text="Ut",
            user=finance,
        )


@pytest.mark.parametrize("name", ["accounting:fund-detail", "accounting:verification-list"])
def test_query_counts_do_not_grow_with_the_journal(
    client, funded, finance, karlstad, initiator, parts, django_assert_max_num_queries, name
):
    client.force_login(finance)
    url = reverse(name, args=[funded.slug])
    for n in (2, 30):
        _grow(funded, finance, karlstad, initiator, parts, n)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    services.fiscal_year_close(fiscal_year=funded.fiscal_years.get(year=2026), user=finance)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_decision_document_must_be_a_pdf(client, funded, finance, initiative, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(finance)
    url = reverse("accounting:decision-create", args=[initiative.pk])
    data = {
        "fund": funded.pk,
        "maker_kind": "board",
        "maker_name": "Regionstyrelsen",
        "decided_on": "2026-03-01",
        "reference": "RS 2026/10",
        "amount": "100 000",
        "idempotency_key": _key(client.get(url)),
    }
    response = client.post(url, {**data, "document": SimpleUploadedFile("beslut.pdf", b"not really a pdf")})
    assert "Filen börjar inte som en PDF-fil." in response.content.decode()
    assert not Decision.objects.exists()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(
        url, {**data, "document": SimpleUploadedFile("beslut.pdf", pdf, content_type="application/pdf")}
    )
    assert Decision.objects.get().document.read() == pdf


def test_decisions_and_commitments_do_not_exist_for_initiators(client, commitment, initiator, auditor):
    client.force_login(initiator)
    for name, pk in (
        ("accounting:decision-detail", commitment.decision_id),
        ("accounting:commitment-detail", commitment.pk),
        ("accounting:disbursement-create", commitment.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    client.force_login(auditor)
    assert client.get(reverse("accounting:commitment-detail", args=[commitment.pk])).status_code == 200
    assert client.get(reverse("accounting:disbursement-create", args=[commitment.pk])).status_code == 403


def test_query_counts_of_decision_commitment_and_money_pages_do_not_grow(
    client, commitment, finance, django_assert_max_num_queries
):
    client.force_login(finance)
    urls = [
        reverse("accounting:decision-detail", args=[commitment.decision_id]),
        reverse("accounting:commitment-detail", args=[commitment.pk]),
        reverse("accounting:initiative-money", args=[commitment.initiative_id]),
        reverse("accounting:decision-list"),
        reverse("accounting:year-detail", args=[commitment.fund.slug, 2026]),
        reverse("accounting:year-close", args=[commitment.fund.slug, 2026]),
    ]
    for payments in (1, 20):
        if payments == 20:  # the second size spans a closed year: snapshots and the open year
            services.fiscal_year_close(fiscal_year=commitment.fund.fiscal_years.get(year=2026), user=finance)
            urls[-2:] = [
                reverse("accounting:year-detail", args=[commitment.fund.slug, 2027]),
                reverse("accounting:year-close", args=[commitment.fund.slug, 2027]),
            ]
        for _ in range(payments):
            services.disbursement_record(
                commitment=commitment,
                amount=D("1.00"),
                booking_date=date(2026 if payments == 1 else 2027, 4, 1),
                text="Del",
                user=finance,
            )
        for url in urls:
            with django_assert_max_num_queries(12):
                assert client.get(url).status_code == 200


def test_the_journal_filters_by_an_initiatives_registration_number(
    client, funded, finance, karlstad, initiator, parts
):
    _grow(funded, finance, karlstad, initiator, parts, 2)
    first = Decision.objects.order_by("id").first().initiative
    expected = funded.verifications.filter(lines__initiative=first).distinct().count()
    assert expected == 2  # its commitment and its disbursement
    client.force_login(finance)
    url = reverse("accounting:verification-list", args=[funded.slug])
    typed = f"dgr {first.registration_year}/{first.registration_serial}"  # lower case, no leading zeros
    page = client.get(url, {"initiative": typed}).content.decode()
    assert f"{expected} verifikationer" in page
    assert "Beviljat 0" in page and "Beviljat 1" not in page
    export = client.get(
        reverse("accounting:verification-list-xlsx", args=[funded.slug]), {"initiative": typed}
    )
    assert export.status_code == 200
    for bad, message in (
        ("2026-7", "Skriv diarienumret som DGR 2026/0007."),
        ("DGR 1999/0001", "Det finns inget initiativ med diarienumret DGR 1999/0001."),
    ):
        page = client.get(url, {"initiative": bad}).content.decode()
        assert message in page
        export_url = reverse("accounting:verification-list-xlsx", args=[funded.slug])
        export = client.get(export_url, {"initiative": bad})
        assert export.status_code == 302 and export["Location"].startswith(url)
        assert "Beviljat" not in page  # a filter that cannot be understood shows nothing
        assert "Inga verifikationer matchar urvalet." in page
    assert "Beviljat 1" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("DGR 2026/0007", (2026, 7)),
        ("dgr2026/7", (2026, 7)),
        (" 2026 / 0012 ", (2026, 12)),
        ("2026/0", None),
        ("2026-7", None),
        ("DGR 26/7", None),
        ("", None),
        ("DGR 2026/0007x", None),
    ],
)
def test_registration_numbers_are_read_as_people_type_them(text, number):
    from initiatives.models import parse_registration_number

    assert parse_registration_number(text) == number


# --- one-time keys, amount limits and busy locks (issue 17) ---------------------------------------


def _decision_form(key, **changes):
    return {
        "fund": changes.pop("fund"),
        "maker_kind": "board",
        "maker_name": "Regionstyrelsen",
        "decided_on": "2026-03-01",
        "reference": "RS 2026/10",
        "amount": "100 000",
        "idempotency_key": key,
        **changes,
    }


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_posts_of_one_decision_form_record_one_decision_and_all_get_it(
    client, funded, finance, initiative
):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections
    from django.test import Client

    client.force_login(finance)
    url = reverse("accounting:decision-create", args=[initiative.pk])
    data = _decision_form(_key(client.get(url)), fund=funded.pk)
    clients = []
    for _i in range(10):
        browser = Client()
        browser.force_login(finance)
        clients.append(browser)
    start = threading.Barrier(10)

    def post(browser):
        start.wait()
        try:
            response = browser.post(url, data)
            return response.status_code, response.get("Location")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = list(pool.map(post, clients))
    decision = Decision.objects.get()
    assert outcomes == [(302, reverse("accounting:decision-detail", args=[decision.pk]))] * 10
    assert decision.history.count() == 1
    initiative.refresh_from_db()
    assert initiative.status == Status.DECIDED


def test_a_decision_form_sent_again_with_other_content_is_refused_and_records_nothing(
    client, funded, finance, initiative
):
    client.force_login(finance)
    url = reverse("accounting:decision-create", args=[initiative.pk])
    key = _key(client.get(url))
    assert client.post(url, _decision_form(key, fund=funded.pk)).status_code == 302
    again = client.post(url, _decision_form(key, fund=funded.pk, amount="200 000"))
    assert again.status_code == 200
    assert "redan skickats in en gång med andra uppgifter" in again.content.decode()
    assert Decision.objects.get().amount == D("100000.00")
    # The page offers a fresh key, so a deliberate new request can be sent after looking again.
    assert _key(again) != key


def test_a_capital_form_sent_again_with_another_amount_is_refused(client, funded, finance, parts):
    client.force_login(finance)
    url = reverse("accounting:capital-add", args=[funded.slug])
    data = {
        "capital_part": parts[0].pk,
        "amount": "1 000",
        "booking_date": "2026-05-04",
        "text": "Tillskott",
        "idempotency_key": _key(client.get(url)),
    }
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "amount": "10 000"})
    assert "redan skickats in en gång med andra uppgifter" in response.content.decode()
    assert Verification.objects.filter(text="Tillskott").count() == 1


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("１２３", "siffrorna 0–9"),
        ("١٢٣", "siffrorna 0–9"),
        ("1.000", "punkt används inte"),
        ("1 000 000 000 000", "större än fondens beloppsgräns 500\u00a0000\u00a0000,00\u00a0kr"),
        ("9 999 999 999 999,99", "beloppsgräns"),
    ],
)
def test_capital_form_refuses_foreign_digits_points_and_amounts_above_the_limit(
    client, funded, finance, parts, amount, message
):
    client.force_login(finance)
    url = reverse("accounting:capital-add", args=[funded.slug])
    response = client.post(
        url,
        {
            "capital_part": parts[0].pk,
            "amount": amount,
            "booking_date": "2026-05-04",
            "text": "x",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Verification.objects.count() == 3


def test_finance_changes_the_amount_limit_with_history(client, funded, finance, parts):
    client.force_login(finance)
    page = client.get(reverse("accounting:fund-detail", args=[funded.slug])).content.decode()
    assert "högst 500\u00a0000\u00a0000,00\u00a0kr" in page
    url = reverse("accounting:fund-amount-limit", args=[funded.slug])
    assert url in page
    assert client.post(url, {"amount_limit": "1,5"}).status_code == 302
    funded.refresh_from_db()
    assert funded.amount_limit == D("1.50")
    latest = funded.history.first()
    assert (latest.amount_limit, latest.history_user, latest.history_change_reason) == (
        D("1.50"),
        finance,
        "beloppsgräns",
    )
    transfer = client.post(
        reverse("accounting:capital-transfer", args=[funded.slug]),
        {
            "from_part": parts[0].pk,
            "to_part": parts[1].pk,
            "amount": "2",
            "booking_date": "2026-05-04",
            "text": "x",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    assert "större än fondens beloppsgräns 1,50\u00a0kr" in transfer.content.decode()
    refused = client.post(url, {"amount_limit": "0"})
    assert "större än noll" in refused.content.decode()


def test_administrators_may_change_the_amount_limit_and_readers_may_not(
    client, funded, administrator, secretariat, auditor, initiator
):
    url = reverse("accounting:fund-amount-limit", args=[funded.slug])
    client.force_login(administrator)
    assert client.post(url, {"amount_limit": "300 000 000"}).status_code == 302
    for reader in (secretariat, auditor):
        client.force_login(reader)
        assert client.post(url, {"amount_limit": "1"}).status_code == 403
    client.force_login(initiator)
    assert client.get(url).status_code == 404
    funded.refresh_from_db()
    assert funded.amount_limit == D("300000000.00")
    assert funded.history.first().history_user == administrator


@pytest.mark.django_db(transaction=True)
def test_a_commitment_kept_waiting_on_its_capital_part_says_try_again_and_writes_nothing(
    client, decision, parts, finance
):
    """Two connections: one holds the capital part's lock; the form's request, with a lock timeout,
    answers "try again" (not an error page) and writes nothing; afterwards the same form goes through."""
    import threading

    from django.db import connection, connections, transaction

    from accounting.models import CapitalPart, Commitment
    from core.models import IdempotencyKey

    client.force_login(finance)
    url = reverse("accounting:commitment-create", args=[decision.pk])
    data = {
        "capital_part_1": parts[0].pk,
        "amount_1": "1 000 000",
        "booking_date": "2026-03-01",
        "text": "Beviljat",
        "idempotency_key": _key(client.get(url)),
    }
    posted = Verification.objects.count()
    locked, release = threading.Event(), threading.Event()

    def hold_the_part():
        try:
            with transaction.atomic():
                list(CapitalPart.objects.select_for_update(no_key=True).filter(pk=parts[0].pk))
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_part)
    holder.start()
    assert locked.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        response = client.post(url, data)
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert response.status_code == 200
    assert "ingenting har bokförts. Försök igen om en stund." in response.content.decode()
    assert Verification.objects.count() == posted
    assert not Commitment.objects.exists()
    assert not IdempotencyKey.objects.filter(key=data["idempotency_key"]).exists()
    assert client.post(url, data).status_code == 302
    assert Commitment.objects.get().amount == D("1000000.00")


def test_who_closed_a_year_is_shown_on_its_page_and_in_the_admin_history(
    client, fund, finance, administrator
):
    year = fund.fiscal_years.get(year=2026)
    services.fiscal_year_close(fiscal_year=year, user=finance)
    closing = year.history.first()
    assert closing.history_user == finance and closing.history_change_reason == "årsbokslut"

    client.force_login(finance)
    page = client.get(reverse("accounting:year-detail", args=[fund.slug, 2026])).content.decode()
    assert f"av {finance}" in page
    client.force_login(administrator)
    page = client.get(reverse("admin:accounting_fiscalyear_history", args=[year.pk])).content.decode()
    # simple-history showed the closer's field before the close as "Deleted user (pk=None)"
    assert "pk=None" not in page and "Deleted" not in page
    assert str(finance) in page and "Stängt" in page and ">closed<" not in page
