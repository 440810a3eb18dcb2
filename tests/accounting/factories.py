"""Ledger test helpers: a fund like DGR's, and initiatives brought to Värmlandsrådet's consensus."""

import itertools
from datetime import date
from decimal import Decimal

from accounting import services
from accounting.models import Fund
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition

PARTS = [
    ("Kommunalförbundet", "Ackumulerat kapital i kommunalförbundet Region Värmland."),
    ("Värmlandstrafik", "Ackumulerat kapital i Värmlandstrafik AB."),
    ("Övrigt", "Övrigt gemensamt kapital."),
]

_serial = itertools.count(1)

PATH_TO_SUPPORTED = [Status.SUBMITTED, Status.PREPARED, Status.PROPOSED, Status.SUPPORTED]


def make_fund(user, *, slug="dgr", opened_on=date(2026, 1, 1)) -> Fund:
    return services.fund_create(
        slug=slug, name=f"De gemensamma resurserna ({slug})", opened_on=opened_on, parts=PARTS, user=user
    )


def supported_initiative(*, party, user, title="Ett initiativ för hela Värmland") -> Initiative:
    """An initiative Värmlandsrådet supported by consensus (status SUPPORTED), through the status table."""
    initiative = Initiative.objects.create(
        party=party,
        title=title,
        created_by=user,
        registration_year=2026,
        registration_serial=next(_serial) + Initiative.objects.count() * 1000,
    )
    for status in PATH_TO_SUPPORTED:
        initiative_transition(initiative=initiative, to=status, user=user, reason="test")
    return initiative


def decide(*, fund, initiative, user, amount="5000000.00", decided_on=date(2026, 2, 1)):
    return services.decision_record(
        fund=fund,
        initiative=initiative,
        maker_kind="board",
        maker_name="Regionstyrelsen",
        delegation_point="3.2",
        decided_on=decided_on,
        reference="RS 2026/1 § 7",
        amount=Decimal(amount),
        user=user,
    )
