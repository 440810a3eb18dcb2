"""The pages of a change request (ändringsbegäran): asking on the initiative's page, reading the decision
trail, Region Värmland's decision form, the list — with the refusals next to their fields, and the query
budget."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounting import services
from accounting.models import Decision
from initiatives import changes
from initiatives.models import ChangeKind, ChangeRequest, ChangeStatus, Initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(commitment):
    Initiative.objects.filter(pk=commitment.initiative_id).update(
        start_date=date(2026, 3, 1), end_date=date(2027, 12, 31)
    )
    return Initiative.objects.get(pk=commitment.initiative_id)


def _extension(initiative, user):
    return changes.change_request_submit(
        initiative=initiative,
        kind=ChangeKind.EXTENDED_PERIOD,
        reason="Leveranserna är försenade.",
        new_end_date=date(2028, 6, 30),
        user=user,
    )


def _field_errors(page: str, name: str) -> str:
    """The text of the error list Django renders next to the field `name` ("" if none)."""
    marker = f'id="id_{name}_error"'
    if marker not in page:
        return ""
    errors = page[page.index(marker) :]
    return re.sub(r"<[^>]+>", "", errors[errors.index(">") + 1 : errors.index("</ul>")]).strip()


def test_the_initiative_page_offers_the_party_to_ask_for_a_change(
    client, running, initiator, other_initiator
):
    client.force_login(initiator)
    page = client.get(running.get_absolute_url()).content.decode()
    assert "Ändringar efter beslutet" in page
    assert reverse("initiatives:change-request-create", args=[running.pk]) in page
    client.force_login(other_initiator)
    page = client.get(running.get_absolute_url()).content.decode()
    assert reverse("initiatives:change-request-create", args=[running.pk]) not in page


def test_asking_for_a_change_through_the_form(client, running, initiator):
    client.force_login(initiator)
    url = reverse("initiatives:change-request-create", args=[running.pk])
    response = client.post(
        url,
        {"kind": "move_between_years", "reason": "Etapp 2 senare.", "from_year": "2026", "to_year": "2031"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    # Each refusal stands in its own field's error list, in Swedish.
    assert _field_errors(page, "to_year") == "Året måste ligga inom initiativets period 2026–2027."
    assert _field_errors(page, "amount") == "Ange beloppet."
    assert _field_errors(page, "from_year") == ""
    assert not ChangeRequest.objects.exists()
    response = client.post(
        url,
        {
            "kind": "move_between_years",
            "reason": "Etapp 2 senare.",
            "from_year": "2026",
            "to_year": "2027",
            "amount": "500 000",
        },
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert (change.amount, change.submitted_by) == (Decimal("500000.00"), initiator)


def test_the_change_request_page_shows_its_decision_trail(client, running, initiator, finance, decision):
    change = _extension(running, initiator)
    client.force_login(finance)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Registrera Region Värmlands beslut" in page
    response = client.post(
        reverse("accounting:change-decision-create", args=[change.pk]),
        {
            "idempotency_key": "2f0c2b1e-8a51-4d6c-9d3e-3b1f7c2a9e10",
            "approved": "1",
            "maker_kind": "board",
            "maker_name": "Regionstyrelsen",
            "decided_on": "2026-04-01",
            "reference": "RS 2026/40 § 3",
        },
    )
    made = Decision.objects.get(change_request=change)
    assert response.status_code == 302 and response["Location"] == reverse(
        "accounting:decision-detail", args=[made.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert reverse("accounting:decision-detail", args=[decision.pk]) in detail  # amends the first decision
    assert change.get_absolute_url() in detail
    client.force_login(initiator)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Beviljad av Region Värmland" in page
    assert "RS 2026/40 § 3" in page
    # The initiator does not read the ledger's decision page: the trail links to the initiative's money.
    assert reverse("accounting:initiative-money", args=[running.pk]) in page
    assert reverse("accounting:decision-detail", args=[made.pk]) not in page


def test_the_decision_form_puts_a_refusal_next_to_its_field(client, running, initiator, finance):
    change = _extension(running, initiator)
    client.force_login(finance)
    response = client.post(
        reverse("accounting:change-decision-create", args=[change.pk]),
        {
            "idempotency_key": "7d7c1c8e-0a51-4d6c-9d3e-3b1f7c2a9e11",
            "approved": "1",
            "maker_kind": "delegate",
            "maker_name": "Regiondirektören",
            "decided_on": "2026-04-01",
            "reference": "D 2026/1",
        },
    )
    assert "Välj den punkt i delegationsordningen" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def test_the_party_withdraws_its_request(client, running, initiator):
    change = _extension(running, initiator)
    client.force_login(initiator)
    response = client.post(reverse("initiatives:change-request-withdraw", args=[change.pk]))
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.WITHDRAWN
    assert client.get(reverse("initiatives:change-request-create", args=[running.pk])).status_code == 200


def test_the_history_of_the_initiative_lists_its_change_requests(client, running, initiator, auditor):
    _extension(running, initiator)
    client.force_login(auditor)
    page = client.get(reverse("initiatives:initiative-history", args=[running.pk])).content.decode()
    assert "Ändringsbegäran 1" in page


def test_change_request_pages_keep_to_the_query_budget(client, running, initiator, finance):
    client.force_login(finance)
    for n in (1, 6):
        while ChangeRequest.objects.count() < n:
            change = changes.change_request_submit(
                initiative=running,
                kind=ChangeKind.REDUCED_SCOPE,
                reason="Mindre.",
                amount="1000.00",
                user=initiator,
            )
            changes.change_request_withdraw(change_request=change, user=initiator)
        urls = [
            running.get_absolute_url(),
            change.get_absolute_url(),
            reverse("initiatives:change-request-list"),
            reverse("accounting:change-decision-create", args=[change.pk]),
            reverse("initiatives:initiative-history", args=[running.pk]),
        ]
        counts = {}
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            counts[url] = len(queries)
        assert max(counts.values()) <= 12, counts


def test_the_initiative_page_shows_each_change_with_its_own_decision_trail(
    client, running, initiator, secretariat, finance, funded, decision
):
    from tests.accounting.test_change_requests import _to_council

    extension = _extension(running, initiator)
    more = changes.change_request_submit(
        initiative=running,
        kind=ChangeKind.ADDITIONAL_FUNDING,
        reason="Fler orter.",
        amount="800000.00",
        user=initiator,
    )
    item = _to_council(more, secretariat)
    extra = services.decision_record(
        fund=funded,
        initiative=running,
        change_request=more,
        maker_kind="board",
        maker_name="Regionstyrelsen",
        delegation_point=None,
        decided_on=date(2026, 3, 20),
        reference="RS 2026/55 § 2",
        amount=Decimal("800000.00"),
        user=finance,
    )
    client.force_login(initiator)
    page = client.get(running.get_absolute_url()).content.decode()
    panel = page[page.index('id="changes-heading"') :]
    panel = panel[: panel.index("</section>")]
    rows = panel.split("<tr>")[2:]  # the header row first
    assert len(rows) == 2
    first, second = rows
    # The longer period waits for Region Värmland: no council step, no decision yet.
    assert extension.get_absolute_url() in first and "Förlängd period" in first
    assert "Värmlandsrådet" not in first and "RS 2026/55" not in first
    # More money: VRAU's proposal, Värmlandsrådet's position, and the region's decision amending the first.
    assert more.get_absolute_url() in second
    vrau_at, varmlandsradet_at, region_at = (
        second.index("Värmlandsrådets arbetsutskott:"),
        second.index("Värmlandsrådet:"),
        second.index("RS 2026/55 § 2"),
    )
    assert vrau_at < varmlandsradet_at < region_at
    assert reverse("council:meeting-detail", args=[item.meeting_id]) in second
    assert reverse("accounting:initiative-money", args=[running.pk]) in second  # the party's link
    assert extra.amends == decision
