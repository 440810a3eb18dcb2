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


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgr.settings")
    import django

    django.setup()
    from django.db import transaction

    from core.history import acting_as

    with transaction.atomic(), acting_as(None, "bench dataset"):
        seed_people()
    print("   bench dataset ready")


if __name__ == "__main__":
    main()
