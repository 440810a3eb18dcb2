"""Forms that help (issue 15): the right action on a draft, the same date input as every form, boxes before
their labels, motivations tied to their boxes, and the message after preparation naming VRAU."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import ActionArea, Status
from tests.factories import initiative_draft, initiative_submitted

pytestmark = pytest.mark.django_db


def test_a_draft_offers_to_give_it_up_not_to_recall_it(client, initiator):
    draft = initiative_draft(initiator)
    client.force_login(initiator)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Lägg ner utkastet" in page
    assert "Återkalla" not in page
    form = client.get(reverse("initiatives:initiative-withdraw", args=[draft.pk])).content.decode()
    assert "Lägg ner utkastet" in form and "Återkalla" not in form
    response = client.post(
        reverse("initiatives:initiative-withdraw", args=[draft.pk]), {"reason": ""}, follow=True
    )
    assert "Utkastet är nedlagt." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN  # kept, with its history: nothing is deleted


def test_a_submitted_initiative_is_still_recalled(client, initiator):
    initiative = initiative_submitted(initiator)
    client.force_login(initiator)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert "Återkalla" in page and "Lägg ner utkastet" not in page


def test_the_initiative_dates_are_date_inputs_like_every_other_forms(client, initiator):
    draft = initiative_draft(initiator)
    client.force_login(initiator)
    page = client.get(reverse("initiatives:initiative-edit", args=[draft.pk])).content.decode()
    for name in ("start_date", "end_date"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'type="date"' in tag
    assert 'value="2027-01-01"' in page
    # An ISO date saves; US order is refused with a Swedish message next to the field.
    response = client.post(
        reverse("initiatives:initiative-edit", args=[draft.pk]),
        {"title": draft.title, "start_date": "1/5/2027", "end_date": "2028-12-31"},
    )
    assert "Välj datum eller skriv år-månad-dag" in response.content.decode()


def test_a_checkbox_comes_before_its_label_and_its_motivation_follows_it(client, initiator):
    draft = initiative_draft(initiator)
    client.force_login(initiator)
    page = client.get(reverse("initiatives:initiative-edit", args=[draft.pk])).content.decode()
    group = re.search(r'<div class="field field--checkbox">\s*<div class="checkbox">(.*?)</div>', page, re.S)
    assert group, "a single checkbox is rendered in its own row"
    box = re.search(r'<input type="checkbox"[^>]*id="(id_[^"]+)"', group.group(1))
    label = re.search(r'<label for="([^"]+)"', group.group(1))
    assert box and label and box.group(1) == label.group(1)
    assert box.start() < label.start()  # the box first, then its label beside it
    # Each motivation directly follows its box, marked so the stylesheet shows it only while ticked.
    transport = re.search(
        r'id="id_transport_plan".*?</div>\s*</div>\s*<div class="field field--shown-when-ticked">\s*'
        r'<label for="id_transport_plan_motivation">',
        page,
        re.S,
    )
    assert transport
    area = ActionArea.objects.order_by("order").first()
    assert re.search(
        rf'id="id_area_{area.pk}".*?</div>\s*</div>\s*<div class="field field--shown-when-ticked">\s*'
        rf'<label for="id_area_{area.pk}_motivation">',
        page,
        re.S,
    )


def test_after_preparation_the_initiative_goes_to_vrau(client, initiator, secretariat):
    initiative = initiative_submitted(initiator)
    client.force_login(secretariat)
    response = client.post(
        reverse("initiatives:initiative-prepare", args=[initiative.pk]),
        {
            "action": "prepared",
            **{f"prep-{name}": "on" for name in services.CHECKLIST_FIELDS},
            "prep-assessment": "Uppfyller kraven.",
            "prep-proposed_position": "support",
            "prep-proposed_amount": "750 000",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "kan föras till VRAU" in page
    assert "kan föras till Värmlandsrådet." not in page


def test_each_budget_year_is_listed_once_with_its_change_and_remove_actions(client, initiator):
    draft = initiative_draft(initiator)  # budget rows for 2027 and 2028
    client.force_login(initiator)
    page = client.get(draft.get_absolute_url()).content.decode()
    budget = page[page.index('id="budget"') : page.index('id="medfinansiering"')]
    assert "Budgetrader" not in budget
    for row in draft.budget_years.all():
        assert budget.count(f'<th scope="row">{row.year}</th>') == 1
        assert reverse("initiatives:budget-year-edit", args=[draft.pk, row.pk]) in budget
        assert reverse("initiatives:budget-year-remove", args=[draft.pk, row.pk]) in budget


def test_a_budget_year_is_changed_through_the_service_with_history(client, initiator):
    draft = initiative_draft(initiator)
    row = draft.budget_years.get(year=2027)
    url = reverse("initiatives:budget-year-edit", args=[draft.pk, row.pk])
    client.force_login(initiator)
    form = client.get(url).content.decode()
    assert "Ändra budgetåret 2027" in form and 'value="1 000 000,00"' in form.replace("\xa0", " ")

    refused = client.post(url, {"budget-total_cost": "100 000", "budget-requested_amount": "200 000"})
    assert refused.status_code == 400
    assert "Det sökta beloppet kan inte vara större än den totala kostnaden." in refused.content.decode()
    row.refresh_from_db()
    assert row.requested_amount == Decimal("400000.00")  # nothing changed

    response = client.post(url, {"budget-total_cost": "1 200 000", "budget-requested_amount": "500 000,50"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.total_cost, row.requested_amount) == (Decimal("1200000.00"), Decimal("500000.50"))
    change = row.history.latest()
    assert change.history_user == initiator and change.history_change_reason == "budget year changed"


def test_another_party_cannot_change_a_budget_year(client, initiator, other_initiator):
    draft = initiative_draft(initiator)
    row = draft.budget_years.get(year=2027)
    client.force_login(other_initiator)
    url = reverse("initiatives:budget-year-edit", args=[draft.pk, row.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"budget-total_cost": "1", "budget-requested_amount": "1"}).status_code == 404
