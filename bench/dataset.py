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
        ("fund overview", "bench-finance", "/ekonomi/fond/bench/"),
        ("journal (first page)", "bench-finance", "/ekonomi/fond/bench/huvudbok/"),
        ("journal (year filter)", "bench-finance", "/ekonomi/fond/bench/huvudbok/?year=2026"),
    ]


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


def seed_accounting() -> None:
    """A fund with its capital, 100 decided initiatives, each committed and paid twice (about 400
    verifications); bench/ledger.py measures the figures on journals of 100 000 and 1 000 000 lines."""
    from datetime import date
    from decimal import Decimal

    from accounting import services
    from accounting.models import Fund
    from initiatives.models import Initiative, Status
    from initiatives.services import initiative_transition
    from people.models import Party, User

    if Fund.objects.filter(slug="bench").exists():
        return
    finance = User.objects.get(username="bench-finance")
    fund = services.fund_create(
        slug="bench",
        name="Bench-fonden",
        opened_on=date(2026, 1, 1),
        parts=[("A", ""), ("B", ""), ("C", "")],
        user=finance,
    )
    parts = list(fund.capital_parts.order_by("number"))
    for part in parts:
        services.capital_add(
            capital_part=part,
            amount=Decimal("100000000"),
            booking_date=date(2026, 1, 1),
            text="Kapital",
            user=finance,
        )
    karlstad = Party.objects.get(slug="karlstad")
    for i in range(100):
        initiative = Initiative.objects.create(
            party=karlstad,
            title=f"Bench-initiativ {i}",
            created_by=finance,
            registration_year=2025,
            registration_serial=9000 + i,
        )
        for status in (Status.SUBMITTED, Status.PREPARED, Status.PROPOSED, Status.SUPPORTED):
            initiative_transition(initiative=initiative, to=status, user=finance)
        decision = services.decision_record(
            fund=fund,
            initiative=initiative,
            maker_kind="board",
            maker_name="Regionstyrelsen",
            delegation_point="",
            decided_on=date(2026, 2, 1),
            reference=f"RS 2026/{i}",
            amount=Decimal("100000"),
            user=finance,
        )
        commitment = services.commitment_create(
            decision=decision,
            shares=[services.Share(parts[i % 3], Decimal("100000"))],
            booking_date=date(2026, 2, 2),
            text=f"Beviljat {i}",
            user=finance,
        ).commitment
        for month in (3, 6):
            services.disbursement_record(
                commitment=commitment,
                amount=Decimal("25000"),
                booking_date=date(2026, month, 1),
                text=f"Utbetalning {i}",
                user=finance,
            )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgr.settings")
    import django

    django.setup()
    from django.db import transaction

    from core.history import acting_as

    with transaction.atomic(), acting_as(None, "bench dataset"):
        seed_people()
        seed_accounting()
    print("   bench dataset ready")


if __name__ == "__main__":
    main()
