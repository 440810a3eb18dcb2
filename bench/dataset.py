#!/usr/bin/env python3
"""The bench dataset and the pages the benchmark measures.

Run by bench/run.py against the `dgr_bench` database. Idempotent: a second run adds nothing. Each app
that has pages to measure adds its part here: a `seed_<app>()` step and its entries in PAGES().
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_PASSWORD = "bench-password-not-secret"


def PAGES() -> list[tuple[str, str | None, str]]:
    """(label, username or None for anonymous, path) for every page measured."""
    return [
        ("login page (anonymous)", None, "/logga-in/"),
        ("start page", "bench-initiator", "/"),
        ("start page", "bench-secretariat", "/"),
        ("party list", "bench-secretariat", "/parter/"),
        *COUNCIL_PAGES(),
    ]


BENCH_MEETING_PLACE = "Bench: 17 parter × 20 ärenden"


# bench/run.py reads PAGES() without Django set up: the seed writes the meeting's id here.
BENCH_MEETING_FILE = ROOT / "var" / "bench-council-meeting.txt"


def COUNCIL_PAGES() -> list[tuple[str, str | None, str]]:
    pages = [("meetings list", "bench-secretariat", "/sammantraden/")]
    if BENCH_MEETING_FILE.exists():
        pk = BENCH_MEETING_FILE.read_text().strip()
        pages += [
            ("meeting page, 17 parties × 20 items", "bench-secretariat", f"/sammantraden/{pk}/"),
            ("meeting page, 17 parties × 20 items", "bench-initiator", f"/sammantraden/{pk}/"),
            (
                "meeting management, 17 parties × 20 items",
                "bench-secretariat",
                f"/sammantraden/{pk}/hantera/",
            ),
        ]
    return pages


def seed_council() -> None:
    """A Värmlandsrådet meeting with 20 initiatives, all 17 parties present and a stance on every item."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from council import services
    from council.models import Body, Meeting, StanceKind
    from initiatives.models import Initiative, Status
    from initiatives.services import initiative_transition
    from people.models import Party, User

    existing = Meeting.objects.filter(place=BENCH_MEETING_PLACE).first()
    if existing is not None:
        BENCH_MEETING_FILE.parent.mkdir(exist_ok=True)
        BENCH_MEETING_FILE.write_text(str(existing.pk))
        return
    secretariat = User.objects.get(username="bench-secretariat")
    parties = list(Party.objects.active().in_swedish_order())
    meeting = services.meeting_create(
        body=Body.objects.get(slug="varmlandsradet"),
        starts_at=timezone.make_aware(datetime.datetime(2025, 11, 20, 9, 0)),
        place=BENCH_MEETING_PLACE,
        user=secretariat,
    )
    for n in range(20):
        initiative = Initiative(
            party=parties[n % 17],
            title=f"Bench-satsning {n + 1}",
            status=Status.PREPARED,
            registration_year=2025,
            registration_serial=9000 + n,
            created_by=secretariat,
        )
        initiative.save()
        initiative_transition(initiative=initiative, to=Status.PROPOSED, user=secretariat, reason="bench")
        services.item_add(meeting=meeting, user=secretariat, initiative=initiative, presenter="VRAG")
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    services.attendance_record(
        meeting=meeting, rows=[(p, True, f"Ledamot för {p.name}") for p in parties], user=secretariat
    )
    for n, item in enumerate(meeting.items.order_by("order")):
        stances = dict.fromkeys(parties, (StanceKind.SUPPORTS, ""))
        if n % 5 == 0:
            stances[parties[n % 17]] = (StanceKind.OBJECTS, "Bench: en invändning med skäl.")
        services.item_decide(
            item=item,
            user=secretariat,
            stances=stances,
            supported_amount=Decimal("1000000.00"),
            resolution="back_to_preparation",
        )
    # Held (paragraphs numbered, minutes awaiting sign-off): every logged-in user may read it.
    services.meeting_hold(meeting=meeting, adjusters=[secretariat], user=secretariat)
    BENCH_MEETING_FILE.parent.mkdir(exist_ok=True)
    BENCH_MEETING_FILE.write_text(str(meeting.pk))


def seed_people() -> None:
    from django.contrib.auth.models import Group

    from people.models import Party, User
    from people.roles import Role

    karlstad = Party.objects.get(slug="karlstad")
    region = Party.objects.get(slug="region")
    for username, party, role in (
        ("bench-initiator", karlstad, Role.INITIATOR),
        ("bench-secretariat", region, Role.SECRETARIAT),
        ("bench-finance", region, Role.FINANCE),
    ):
        user, created = User.objects.get_or_create(username=username, defaults={"party": party})
        if created:
            user.set_password(BENCH_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name=role))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgr.settings")
    import django

    django.setup()
    from django.db import transaction

    from core.history import acting_as

    with transaction.atomic(), acting_as(None, "bench dataset"):
        seed_people()
        seed_council()
    print("   bench dataset ready")


if __name__ == "__main__":
    main()
