from datetime import date
from decimal import Decimal

import pytest

from accounting import services
from tests.accounting.factories import decide, make_fund, supported_initiative


@pytest.fixture
def fund(finance):
    return make_fund(finance)


@pytest.fixture
def parts(fund):
    return list(fund.capital_parts.order_by("number"))


@pytest.fixture
def funded(fund, parts, finance):
    """The fund with 55 + 101 + 44 MSEK of opening capital."""
    for part, amount in zip(parts, ["55000000.00", "101000000.00", "44000000.00"], strict=True):
        services.capital_add(
            capital_part=part,
            amount=Decimal(amount),
            booking_date=date(2026, 1, 1),
            text="Ingående kapital",
            user=finance,
        )
    return fund


@pytest.fixture
def initiative(karlstad, initiator):
    return supported_initiative(party=karlstad, user=initiator)


@pytest.fixture
def decision(funded, initiative, finance):
    return decide(fund=funded, initiative=initiative, user=finance)


@pytest.fixture
def commitment(decision, parts, finance):
    verification = services.commitment_create(
        decision=decision,
        shares=[services.Share(parts[0], Decimal("2000000.00"), 2026)],
        booking_date=date(2026, 2, 10),
        text="Beviljat",
        user=finance,
    )
    return verification.commitment
