import datetime

import pytest

from tests.accounting.factories import decide, make_fund, supported_initiative


@pytest.fixture
def funded(finance, karlstad, initiator):
    """Karlstad's initiative, 2026-03-01 to 2027-12-31, granted 1 000 000 kr on 2026-02-01: a progress report
    is due 2027-02-15, the final report 90 days after the end."""
    fund = make_fund(finance)
    initiative = supported_initiative(party=karlstad, user=initiator, title="Cykelstråk")
    initiative.start_date = datetime.date(2026, 3, 1)
    initiative.end_date = datetime.date(2027, 12, 31)
    initiative.contact_email = "kontakt@example.invalid"
    initiative.save()
    decide(
        fund=fund,
        initiative=initiative,
        user=finance,
        amount="1000000.00",
        decided_on=datetime.date(2026, 2, 1),
    )
    initiative.refresh_from_db()
    return initiative
