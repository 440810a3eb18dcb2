"""The pages that open a fund and edit its description: who may, and what bad input shows."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting import services
from accounting.models import Fund, Verification

pytestmark = pytest.mark.django_db
D = Decimal
OPEN = reverse("accounting:fund-open")


def _key(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', response.content.decode()).group(1)


def _post_data(key, rows, **fund):
    data = {
        "idempotency_key": key,
        "name": "De gemensamma resurserna",
        "slug": "dgr",
        "organisation": "Region Värmland",
        "opened_on": "2022-01-01",
        "description": "",
        "parts-TOTAL_FORMS": "5",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "0",
        "parts-MAX_NUM_FORMS": "9",
        **fund,
    }
    for i in range(5):
        name, origin, capital = rows[i] if i < len(rows) else ("", "", "")
        data |= {
            f"parts-{i}-name": name,
            f"parts-{i}-origin": origin,
            f"parts-{i}-order": str(i + 1),
            f"parts-{i}-capital": capital,
        }
    return data


DGR_ROWS = [
    ("Kommunalförbundet", "Region Värmlands kommunalförbund", "55 000 000"),
    ("Värmlandstrafik", "Värmlandstrafik AB", "101 000 000"),
    ("Övrigt", "", "44 000 000,00"),
]


def test_finance_opens_a_fund_with_swedish_amounts_and_skips_empty_rows(client, finance):
    client.force_login(finance)
    form = client.get(OPEN)
    assert form.status_code == 200
    response = client.post(OPEN, _post_data(_key(form), DGR_ROWS))
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounting:fund-detail", args=["dgr"]
    )
    fund = Fund.objects.get()
    assert fund.capital_parts.count() == 3
    page = client.get(response["Location"]).content.decode()
    assert "200\u00a0000\u00a0000,00\u00a0kr" in page
    assert "är öppnad med sitt ingående kapital" in page


def test_a_resent_form_opens_the_fund_once(client, finance):
    client.force_login(finance)
    data = _post_data(_key(client.get(OPEN)), DGR_ROWS)
    assert client.post(OPEN, data).status_code == 302
    assert client.post(OPEN, data).status_code == 302
    assert Fund.objects.count() == 1 and Verification.objects.count() == 3


def test_an_administrator_may_open_a_fund_and_others_may_not(
    client, administrator, secretariat, auditor, initiator
):
    client.force_login(administrator)
    assert client.post(OPEN, _post_data(_key(client.get(OPEN)), DGR_ROWS)).status_code == 302
    for user in (secretariat, auditor, initiator):
        client.force_login(user)
        assert client.get(OPEN).status_code == 403
        data = _post_data("8c3f0f55-3b2e-4b8e-9a51-5a1f4d0f0b11", DGR_ROWS, slug="annan", name="Annan")
        assert client.post(OPEN, data).status_code == 403
    assert Fund.objects.count() == 1


def test_bad_input_is_shown_next_to_its_field_and_nothing_is_created(client, finance):
    client.force_login(finance)
    services.fund_open(
        name="Befintlig",
        slug="dgr",
        organisation="Region Värmland",
        opened_on=date(2022, 1, 1),
        description="",
        parts=[services.FoundingPart("Del", "", 1, D("1.00"))],
        user=finance,
    )
    rows = [("Kommunalförbundet", "", "0"), ("", "", "5 000"), ("Övrigt", "", "-3")]
    response = client.post(OPEN, _post_data(_key(client.get(OPEN)), rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Beloppet måste vara större än noll.") >= 2
    assert "Ange kapitaldelens namn." in page
    assert Fund.objects.count() == 1
    # The rows are right; the service refuses the taken short name, next to the short name.
    response = client.post(OPEN, _post_data(_key(response), DGR_ROWS))
    assert re.search(r'field--error">\s*<label for="id_slug"', response.content.decode())
    assert "Kortnamnet används redan av en annan fond." in response.content.decode()
    assert Fund.objects.count() == 1 and Verification.objects.count() == 1


def test_no_parts_at_all_is_refused_with_a_message(client, finance):
    client.force_login(finance)
    response = client.post(OPEN, _post_data(_key(client.get(OPEN)), []))
    assert response.status_code == 200
    assert "Ange minst en kapitaldel och det kapital den för in." in response.content.decode()
    assert not Fund.objects.exists()


def test_the_empty_fund_list_offers_opening_a_fund_to_those_who_may(client, finance, auditor):
    client.force_login(finance)
    page = client.get(reverse("accounting:fund-list")).content.decode()
    assert "Det finns ingen fond ännu." in page and f'href="{OPEN}"' in page
    client.force_login(auditor)
    page = client.get(reverse("accounting:fund-list")).content.decode()
    assert "Det finns ingen fond ännu." in page and f'href="{OPEN}"' not in page
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert f'href="{OPEN}"' not in page
    client.force_login(finance)
    assert f'href="{OPEN}"' in client.get(reverse("reports:dashboard")).content.decode()


def test_fund_edit_saves_the_description_for_finance_only(client, funded, finance, auditor, initiator):
    url = reverse("accounting:fund-edit", args=[funded.slug])
    client.force_login(initiator)
    assert client.get(url).status_code == 404
    client.force_login(auditor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "X", "organisation": "Y", "description": ""}).status_code == 403
    client.force_login(finance)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "DGR-fonden", "organisation": "Region Värmland", "description": "Gemensam fond."}
    )
    assert response.status_code == 302
    funded.refresh_from_db()
    assert (funded.name, funded.description, funded.history.first().history_user) == (
        "DGR-fonden",
        "Gemensam fond.",
        finance,
    )
    response = client.post(url, {"name": "", "organisation": "Region Värmland", "description": ""})
    assert response.status_code == 200 and "field--error" in response.content.decode()
    funded.refresh_from_db()
    assert funded.name == "DGR-fonden"


def test_capital_part_edit_for_finance_only(client, funded, finance, auditor, initiator):
    url = reverse("accounting:capital-part-edit", args=[funded.slug, 1])
    client.force_login(initiator)
    assert client.get(url).status_code == 404
    client.force_login(auditor)
    assert client.get(url).status_code == 403
    client.force_login(finance)
    assert (
        f'href="{url}"' in client.get(reverse("accounting:fund-detail", args=[funded.slug])).content.decode()
    )
    assert client.get(reverse("accounting:capital-part-edit", args=[funded.slug, 9])).status_code == 404
    response = client.post(url, {"name": "Kommunalförbundet Region Värmland", "origin": "Före 2019."})
    assert response.status_code == 302
    assert funded.capital_parts.get(number=1).name == "Kommunalförbundet Region Värmland"


def test_a_short_name_with_swedish_letters_is_explained(client, finance):
    client.force_login(finance)
    response = client.post(OPEN, _post_data(_key(client.get(OPEN)), DGR_ROWS, slug="förlikning"))
    assert "Använd bara bokstäverna a–z (utan å, ä, ö), siffror och bindestreck." in response.content.decode()
    assert not Fund.objects.exists()
