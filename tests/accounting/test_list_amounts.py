"""The initiative list's granted and disbursed columns come from the ledger, for those who may read an
initiative's money: every row for finance, the secretariat and the auditor; a party's own rows for its
people; nothing for a party's other rows."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounting import services

pytestmark = pytest.mark.django_db


def _heading(page: str, text: str) -> bool:
    return re.search(r">\s*" + text + r"\s*<", page) is not None


LIST = reverse("initiatives:initiative-list")


@pytest.fixture
def paid(commitment, finance):
    """2 000 000 granted, 500 000 of it paid out."""
    services.disbursement_record(
        commitment=commitment,
        amount=Decimal("500000.00"),
        booking_date=date(2026, 3, 1),
        text="Första utbetalningen",
        user=finance,
    )
    return commitment.initiative


def _row(page: str, title: str) -> list[str]:
    row = re.search(r"<tr>(?:(?!</tr>).)*" + re.escape(title) + r".*?</tr>", page, re.S).group(0)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    return [re.sub(r"[ \t\n]+", " ", cell).strip(" \t\n") for cell in cells]  # no-break spaces stay


@pytest.mark.parametrize("role", ["finance", "secretariat", "auditor", "initiator"])
def test_readers_of_the_money_see_granted_and_disbursed(client, request, role, paid):
    client.force_login(request.getfixturevalue(role))
    page = client.get(LIST).content.decode()
    assert _heading(page, "Beviljat") and _heading(page, "Utbetalt")
    # requested (none: the factory's initiative has no budget rows), granted, disbursed
    assert _row(page, paid.title) == ["–", "2\u00a0000\u00a0000,00", "500\u00a0000,00"]


def test_another_partys_initiator_sees_no_amounts_of_this_initiative(client, other_initiator, paid):
    client.force_login(other_initiator)
    page = client.get(LIST).content.decode()
    assert _row(page, paid.title)[1:] == ["–", "–"]


def test_the_list_sorts_by_what_was_paid_out(client, finance, paid, karlstad, initiator):
    from tests.accounting.factories import supported_initiative

    supported_initiative(party=karlstad, user=initiator, title="Inget utbetalt ännu")
    client.force_login(finance)
    page = client.get(LIST, {"ordning": "-utbetalt"}).content.decode()
    titles = re.findall(r'<a href="/initiativ/\d+/">([^<]+)</a>', page)
    assert titles == [paid.title, "Inget utbetalt ännu"]  # unknown amounts last, whichever way
    page = client.get(LIST, {"ordning": "utbetalt"}).content.decode()
    assert re.findall(r'<a href="/initiativ/\d+/">([^<]+)</a>', page) == [paid.title, "Inget utbetalt ännu"]
