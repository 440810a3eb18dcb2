"""Select boxes open with a Swedish prompt, never Django's "---------" (issue 15: forms that help)."""

import html
from datetime import date

import pytest
from django.urls import reverse

from council import services as council_services
from tests.accounting.factories import make_fund

pytestmark = pytest.mark.django_db


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_capital_forms_ask_for_a_capital_part_in_swedish(client, finance):
    fund = make_fund(finance)
    added = page(client, finance, reverse("accounting:capital-add", args=[fund.slug]))
    assert '<option value="" selected>Välj kapitaldel</option>' in added
    moved = page(client, finance, reverse("accounting:capital-transfer", args=[fund.slug]))
    assert moved.count('<option value="" selected>Välj kapitaldel</option>') == 2  # from and to
    for text in (added, moved):
        assert "---------" not in text


def test_the_import_form_says_no_fund_in_swedish(client, finance):
    make_fund(finance)
    text = page(client, finance, reverse("imports:import-list"))
    assert ">Ingen fond</option>" in text
    assert "---------" not in text


def test_the_agreement_forms_ask_for_a_party_and_an_adoption_in_swedish(client, secretariat, karlstad):
    # One party has adopted without its minutes: the page offers both the other parties and that adoption.
    council_services.adoption_record(
        party=karlstad, adopted_on=date(2021, 11, 1), reference="KF § 1", user=secretariat
    )
    text = page(client, secretariat, reverse("council:agreement"))
    assert '<option value="" selected>Välj part</option>' in text
    assert '<option value="" selected>Välj antagande</option>' in text
    assert "---------" not in text
