import pytest

from tests.reports.factories import worked_year


@pytest.fixture
def ledger(finance, karlstad, arvika, initiator, other_initiator):
    return worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )
