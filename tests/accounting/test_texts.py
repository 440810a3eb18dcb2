"""The ledger's texts read once: one way to write a verification number, no doubled prefixes or labels."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting import services

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def post_with_key(client, url, data):
    """A posting form sent as a browser sends it: with the idempotency key the form was given."""
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page(client, url)).group(1)
    return client.post(url, {**data, "idempotency_key": key})


def test_a_verification_number_is_written_one_way_on_every_page_and_in_the_reversal_text(
    client, commitment, finance
):
    paid = services.disbursement_record(
        commitment=commitment,
        amount=Decimal("10.00"),
        booking_date=date(2026, 4, 1),
        text="Utbetalning: Ett initiativ för hela Värmland",
        user=finance,
    )
    number = f"{paid.series}{paid.number} 2026"
    assert str(paid) == paid.number_label == number
    client.force_login(finance)
    fund = commitment.fund.slug
    pages = [
        reverse("accounting:verification-list", args=[fund]),
        reverse("accounting:verification-detail", args=[fund, paid.pk]),
        reverse("accounting:commitment-detail", args=[commitment.pk]),
        reverse("accounting:decision-detail", args=[commitment.decision_id]),
        reverse("accounting:initiative-money", args=[commitment.initiative_id]),
    ]
    for url in pages:
        text = page(client, url)
        assert number in text, url
        assert not re.search(r"\b[A-Z]+ \d{4}:\d+", text), url  # the other form ("A 2026:3") is gone
    reverse_form = page(client, reverse("accounting:verification-reverse", args=[fund, paid.pk]))
    assert f"Rättelse av verifikation {number}" in reverse_form  # the text that goes on into SIE


def test_the_commitments_postings_do_not_double_the_kind_in_front_of_the_text(client, commitment, finance):
    services.disbursement_record(
        commitment=commitment,
        amount=Decimal("10.00"),
        booking_date=date(2026, 4, 1),
        text="Utbetalning: Ett initiativ för hela Värmland",
        user=finance,
    )
    client.force_login(finance)
    for url in (
        reverse("accounting:commitment-detail", args=[commitment.pk]),
        reverse("accounting:decision-detail", args=[commitment.decision_id]),
    ):
        text = re.sub(r"<[^>]+>", "", page(client, url))
        assert "Utbetalning: Ett initiativ för hela Värmland" in text
        assert not re.search(r"Utbetalning:?\s+Utbetalning", text)  # neither in the text nor tag + text
        assert re.search(r"Åtagande\s+Beviljat", text)  # a text that does not name its kind keeps the tag


def test_the_decision_names_its_maker_without_repeating_the_kind(client, decision, finance):
    client.force_login(finance)
    text = page(client, reverse("accounting:decision-detail", args=[decision.pk]))
    assert "Regionstyrelsen" in text
    assert "Regionstyrelsen (Regionstyrelsen)" not in text
    decision.maker_name = "Regiondirektören"
    assert decision.maker == "Regiondirektören (Regionstyrelsen)"


def test_the_commit_form_shows_what_each_capital_part_has_available_and_a_real_placeholder(
    client, decision, finance, parts
):
    client.force_login(finance)
    url = reverse("accounting:commitment-create", args=[decision.pk])
    text = page(client, url)
    assert "---------" not in text
    assert '<option value="" selected>Välj kapitaldel</option>' in text
    assert "Ingen (raden används inte)" in text
    # The funded fixture: 55, 101 and 44 MSEK of opening capital, nothing committed yet.
    assert "1. Kommunalförbundet – tillgängligt 55 000 000,00 kr" in text
    assert "2. Värmlandstrafik – tillgängligt 101 000 000,00 kr" in text
    assert "3. Övrigt – tillgängligt 44 000 000,00 kr" in text
    # Committing from a part lowers what the form offers next time; the chosen part still posts.
    response = post_with_key(
        client,
        url,
        {
            "capital_part_1": parts[0].pk,
            "amount_1": "2 000 000",
            "booking_date": "2026-03-02",
            "text": "Beviljat",
        },
    )
    assert response.status_code == 302
    assert "1. Kommunalförbundet – tillgängligt 53 000 000,00 kr" in page(client, url)


def test_the_commit_form_lists_each_capital_part_with_its_available_amount_above_the_form(
    client, decision, finance
):
    client.force_login(finance)
    text = page(client, reverse("accounting:commitment-create", args=[decision.pk]))
    table = text[text.index("Tillgängligt per kapitaldel") : text.index("</table>")]
    cells = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="num">([^<]+)</td>', table)
    assert cells == [
        ("1. Kommunalförbundet", "55 000 000,00"),
        ("2. Värmlandstrafik", "101 000 000,00"),
        ("3. Övrigt", "44 000 000,00"),
    ]


def test_the_year_close_check_names_an_unbalanced_verification_the_one_way(funded, finance):
    from django.db import transaction

    from accounting.models import FiscalYear, Kind, Verification

    fiscal_year = FiscalYear.objects.get(fund=funded, year=2026)

    class Undo(Exception):
        pass

    # Without lines it cannot balance. The deferred balance trigger fires only at COMMIT (which the test
    # never reaches; the savepoint's rollback drops its pending check), so the year-close check sees it.
    with pytest.raises(Undo), transaction.atomic():
        Verification.objects.create(
            fund=funded,
            fiscal_year=fiscal_year,
            number=999,
            booking_date=date(2026, 6, 1),
            author=finance,
            text="Utan rader",
            kind=Kind.CAPITAL,
        )
        problems = services.fiscal_year_checks(fiscal_year)
        raise Undo
    assert "Verifikation A999 2026 balanserar inte." in problems


def test_the_delegation_order_names_a_maker_once_when_name_and_kind_agree(client, finance):
    for code, kind, name in (("1.1", "board", "Regionstyrelsen"), ("3.2.1", "delegate", "Regiondirektören")):
        services.delegation_point_add(
            code=code,
            description="Beslut om medel ur DGR",
            maker_kind=kind,
            maker_name=name,
            amount_limit=None,
            valid_from=date(2022, 1, 1),
            user=finance,
        )
    client.force_login(finance)
    text = page(client, reverse("accounting:delegation-point-list"))
    assert "<td>Regionstyrelsen</td>" in text
    assert "Regionstyrelsen (Regionstyrelsen)" not in text
    assert "<td>Regiondirektören (Delegat (tjänsteperson))</td>" in text


def test_the_transfer_form_shows_what_each_capital_part_has_available(client, funded, finance, parts):
    client.force_login(finance)
    url = reverse("accounting:capital-transfer", args=[funded.slug])
    text = page(client, url)
    for label in (
        "1. Kommunalförbundet – tillgängligt 55 000 000,00 kr",
        "2. Värmlandstrafik – tillgängligt 101 000 000,00 kr",
    ):
        assert text.count(f">{label}</option>") == 2, label  # in both "from" and "to"
    response = post_with_key(
        client,
        url,
        {
            "from_part": parts[0].pk,
            "to_part": parts[1].pk,
            "amount": "5 000 000",
            "booking_date": "2026-03-02",
            "text": "Överföring mellan kapitaldelar",
        },
    )
    assert response.status_code == 302
    text = page(client, url)
    assert "1. Kommunalförbundet – tillgängligt 50 000 000,00 kr" in text
    assert "2. Värmlandstrafik – tillgängligt 106 000 000,00 kr" in text
