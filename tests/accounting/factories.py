"""Ledger test helpers: a fund like DGR's, and initiatives brought to Värmlandsrådet's consensus."""

import datetime
import itertools
from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounting import services
from accounting.models import Fund
from council import services as council_services
from council.models import Body, Position, StanceKind
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition
from people.models import Party, User
from people.roles import Role
from tests.council.factories import agreement_in_force
from tests.factories import UserFactory

PARTS = [
    ("Kommunalförbundet", "Ackumulerat kapital i kommunalförbundet Region Värmland."),
    ("Värmlandstrafik", "Ackumulerat kapital i Värmlandstrafik AB."),
    ("Övrigt", "Övrigt gemensamt kapital."),
]

_serial = itertools.count(1)

PATH_TO_PROPOSED = [Status.SUBMITTED, Status.PREPARED, Status.PROPOSED]


def make_fund(user, *, slug="dgr", opened_on=date(2026, 1, 1)) -> Fund:
    """A fund like DGR's, under an agreement in force (all 17 adoptions): decisions need it."""
    agreement_in_force()
    return services.fund_create(
        slug=slug, name=f"De gemensamma resurserna ({slug})", opened_on=opened_on, parts=PARTS, user=user
    )


def consensus_position(
    *, initiative: Initiative, supported_amount="300000000.00", meeting_day=date(2026, 1, 15)
) -> Position:
    """Värmlandsrådet takes its position on a PROPOSED initiative at a meeting of its own, every party
    present and supporting: the council's own services make the Position (and move it to SUPPORTED).
    The agreement is put in force too (all 17 adoptions): Region Värmland's decision needs it."""
    agreement_in_force()
    secretariat = User.objects.filter(username="ledger-tests-vrag").first() or UserFactory(
        username="ledger-tests-vrag", party=Party.objects.get(slug="region"), roles=[Role.SECRETARIAT]
    )
    meeting = council_services.meeting_create(
        body=Body.objects.get(slug="varmlandsradet"),
        starts_at=timezone.make_aware(datetime.datetime.combine(meeting_day, datetime.time(9, 0))),
        place="Residenset, Karlstad",
        user=secretariat,
    )
    item = council_services.item_add(meeting=meeting, user=secretariat, initiative=initiative)
    council_services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    parties = list(Party.objects.active())
    council_services.attendance_record(
        meeting=meeting, rows=[(p, True, f"Ledamot för {p.name}") for p in parties], user=secretariat
    )
    council_services.item_decide(
        item=item,
        user=secretariat,
        stances=dict.fromkeys(parties, (StanceKind.SUPPORTS, "")),
        supported_amount=Decimal(supported_amount),
    )
    initiative.refresh_from_db()
    return item.position


def supported_initiative(
    *,
    party,
    user,
    title="Ett initiativ för hela Värmland",
    supported_amount="300000000.00",
    meeting_day=date(2026, 1, 15),
) -> Initiative:
    """An initiative Värmlandsrådet supported by consensus (status SUPPORTED, with its real Position):
    taken to PROPOSED through the status table, then decided at a Värmlandsrådet meeting."""
    initiative = Initiative.objects.create(
        party=party,
        title=title,
        created_by=user,
        registration_year=2026,
        registration_serial=next(_serial) + Initiative.objects.count() * 1000,
    )
    for status in PATH_TO_PROPOSED:
        initiative_transition(initiative=initiative, to=status, user=user, reason="test")
    consensus_position(initiative=initiative, supported_amount=supported_amount, meeting_day=meeting_day)
    return initiative


def decide(*, fund, initiative, user, amount="5000000.00", decided_on=date(2026, 2, 1)):
    return services.decision_record(
        fund=fund,
        initiative=initiative,
        maker_kind="board",
        maker_name="Regionstyrelsen",
        delegation_point=None,
        decided_on=decided_on,
        reference="RS 2026/1 § 7",
        amount=Decimal(amount),
        user=user,
    )
