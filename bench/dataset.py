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
# Where seed_initiatives() notes the initiative whose page is measured (its id is known only after seeding).
DETAIL_FILE = ROOT / "var" / "bench-initiative-detail.txt"
# A decided initiative: its page adds the council panel (17 stances), the money and the outcome panels.
DECIDED_FILE = ROOT / "var" / "bench-initiative-decided.txt"
INITIATIVES = 2000


def PAGES() -> list[tuple[str, str | None, str]]:
    """(label, username or None for anonymous, path) for every page measured."""
    return [
        ("login page (anonymous)", None, "/logga-in/"),
        ("start page", "bench-initiator", "/"),
        ("start page", "bench-secretariat", "/"),
        ("party list", "bench-secretariat", "/parter/"),
        ("initiative list (2,000)", "bench-secretariat", "/initiativ/"),
        ("initiative list, page 40", "bench-initiator", "/initiativ/?sida=40"),
        ("initiative list, Swedish search", "bench-secretariat", "/initiativ/?q=kollektivtrafiken"),
        ("initiative list, filtered by area", "bench-secretariat", "/initiativ/?area=1&status=prepared"),
        ("initiative detail", "bench-initiator", f"/initiativ/{_detail_pk()}/"),
        ("initiative detail", "bench-secretariat", f"/initiativ/{_detail_pk()}/"),
        *(
            [
                ("initiative detail, decided", "bench-secretariat", f"/initiativ/{_decided_pk()}/"),
                ("initiative detail, decided", "bench-finance", f"/initiativ/{_decided_pk()}/"),
            ]
            if DECIDED_FILE.exists()
            else []
        ),
        *COUNCIL_PAGES(),
        ("fund overview", "bench-finance", "/ekonomi/fond/bench/"),
        ("journal (first page)", "bench-finance", "/ekonomi/fond/bench/huvudbok/"),
        ("journal (year filter)", "bench-finance", "/ekonomi/fond/bench/huvudbok/?year=2026"),
    ]


def _detail_pk() -> str:
    return DETAIL_FILE.read_text().strip() if DETAIL_FILE.exists() else "1"


def _decided_pk() -> str:
    return DECIDED_FILE.read_text().strip()


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

    from council import membership, minutes, services
    from council.models import Body, Meeting, MembershipRole, StanceKind
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
    # Held (paragraphs numbered, minutes awaiting sign-off): every logged-in user may read it. The chair
    # and the adjuster are members of the body for parties present (council.protocol).
    for username in ("bench-vr-region", "bench-vr-karlstad"):
        person = User.objects.get(username=username)
        membership.membership_add(
            body=meeting.body,
            party=person.party,
            person=person,
            role=MembershipRole.ORDINARY,
            starts_on=datetime.date(2025, 1, 1),
            user=secretariat,
        )
    minutes.meeting_open(
        meeting=meeting,
        chair=User.objects.get(username="bench-vr-region"),
        adjusters=[User.objects.get(username="bench-vr-karlstad")],
        user=secretariat,
    )
    services.meeting_hold(meeting=meeting, user=secretariat)
    BENCH_MEETING_FILE.parent.mkdir(exist_ok=True)
    BENCH_MEETING_FILE.write_text(str(meeting.pk))


def seed_people() -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from people.accounts import TWO_FACTOR_ROLES
    from people.models import Party, User
    from people.roles import Role

    karlstad = Party.objects.get(slug="karlstad")
    region = Party.objects.get(slug="region")
    for username, party, role in (
        ("bench-initiator", karlstad, Role.INITIATOR),
        ("bench-secretariat", region, Role.SECRETARIAT),
        ("bench-finance", region, Role.FINANCE),
        # The bench meeting's chair and adjuster (chosen among representatives of parties present).
        ("bench-vr-region", region, Role.COUNCIL_REPRESENTATIVE),
        ("bench-vr-karlstad", karlstad, Role.COUNCIL_REPRESENTATIVE),
    ):
        user, created = User.objects.get_or_create(username=username, defaults={"party": party})
        if created:
            user.set_password(BENCH_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name=role))
        # Production requires a second factor of finance and the secretariat (people.middleware).
        has_totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        if role in TWO_FACTOR_ROLES and not has_totp:
            TOTP.activate(user, generate_totp_secret())


TITLES = [
    "Kollektivtrafiken i {party}: fler turer på landsbygden",
    "Kompetensförsörjning inom vården i {party}",
    "Besöksnäring och evenemang i {party}",
    "Bredband och digital infrastruktur i {party}",
    "Innovationsarena för industrin i {party}",
    "Cykelvägar mellan {party} och grannkommunerna",
]
STATUSES = [
    "submitted",
    "complement_requested",
    "prepared",
    "proposed",
    "supported",
    "decided",
    "not_supported",
    "not_eligible",
    "completed",
    "withdrawn",
]


def seed_initiatives() -> None:
    """2,000 submitted initiatives over three years from every party, every tenth with alignment and a
    budget, and one with the full content whose page is measured. Plain creates (the signals write the
    history rows); the registration counters are set to match."""
    import datetime
    from decimal import Decimal

    from initiatives import services
    from initiatives.models import (
        ActionArea,
        AreaAlignment,
        BudgetYear,
        CoFinancing,
        Initiative,
        RegistrationCounter,
    )
    from people.models import Party, User

    initiator = User.objects.get(username="bench-initiator")
    secretariat = User.objects.get(username="bench-secretariat")
    existing = Initiative.objects.filter(title__startswith="[bench]").count()
    if existing < INITIATIVES:
        parties = list(Party.objects.order_by("code"))
        areas = list(ActionArea.objects.order_by("order"))
        serials: dict[int, int] = {}
        for year, last in RegistrationCounter.objects.values_list("year", "last_serial"):
            serials[year] = last
        for n in range(existing, INITIATIVES):
            year = 2024 + n % 3
            serials[year] = serials.get(year, 0) + 1
            party = parties[n % len(parties)]
            initiative = Initiative.objects.create(
                party=party,
                title="[bench] " + TITLES[n % len(TITLES)].format(party=party.name) + f" ({n})",
                summary="En satsning för hela Värmland: kollektivtrafiken, kompetensen och platserna.",
                description="Bakgrund, mål, genomförande och uppföljning. " * 20,
                kind="project",
                status=STATUSES[n % len(STATUSES)],
                registration_year=year,
                registration_serial=serials[year],
                submitted_at=datetime.datetime(year, 3, 1, tzinfo=datetime.UTC),
                start_date=datetime.date(year + 1, 1, 1),
                end_date=datetime.date(year + 2, 12, 31),
                created_by=initiator,
            )
            if n % 10 == 0:
                AreaAlignment.objects.create(
                    initiative=initiative, action_area=areas[n % 4], motivation="Ja."
                )
                BudgetYear.objects.create(
                    initiative=initiative,
                    year=year + 1,
                    total_cost=Decimal("2000000.00"),
                    requested_amount=Decimal("1000000.00"),
                )
        for year, last in serials.items():
            RegistrationCounter.objects.update_or_create(year=year, defaults={"last_serial": last})
    detail = Initiative.objects.filter(title="Bench: initiativ med fullt innehåll").first()
    if detail is None:
        karlstad = initiator.party
        detail = services.initiative_create(
            user=initiator,
            data={
                "title": "Bench: initiativ med fullt innehåll",
                "summary": "Sammanfattning.",
                "description": "Beskrivning. " * 200,
                "kind": "operation",
                "contact_name": "Bench Person",
                "whole_varmland_motivation": "Hela länet.",
                "start_date": datetime.date(2027, 1, 1),
                "end_date": datetime.date(2030, 12, 31),
            },
            co_parties=list(Party.objects.exclude(pk=karlstad.pk)[:5]),
            alignments={area.pk: "Motivering." for area in ActionArea.objects.all()},
        )
        for year in range(2027, 2031):
            services.budget_year_add(
                initiative=detail,
                user=initiator,
                year=year,
                total_cost=Decimal("3000000.00"),
                requested_amount=Decimal("1000000.00"),
            )
            for source in ("state", "eu", "municipality"):
                services.co_financing_add(
                    initiative=detail,
                    user=initiator,
                    year=year,
                    source=source,
                    funder=f"Finansiär {source}",
                    state=CoFinancing.State.APPLIED,
                    amount=Decimal("250000.00"),
                )
        services.initiative_submit(initiative=detail, user=initiator, token=detail.submission_token)
        for n in range(10):
            services.message_post(
                initiative=detail, user=secretariat if n % 2 else initiator, body=f"Meddelande {n}."
            )
    DETAIL_FILE.parent.mkdir(exist_ok=True)
    DETAIL_FILE.write_text(str(detail.pk))


def seed_accounting() -> None:
    """A fund with its capital, 100 decided initiatives, each committed and paid twice (about 400
    verifications); bench/ledger.py measures the figures on journals of 100 000 and 1 000 000 lines."""
    import datetime
    from datetime import date
    from decimal import Decimal

    from django.utils import timezone

    from accounting import services
    from accounting.models import Fund
    from council import services as council_services
    from council.models import Body, StanceKind
    from initiatives.models import Initiative, Status
    from initiatives.services import initiative_transition
    from people.models import Party, User

    if Fund.objects.filter(slug="bench").exists():
        return
    finance = User.objects.get(username="bench-finance")
    # Decisions and commitments need the agreement in force: all 17 parties have adopted it.
    from council.models import Agreement

    agreement = Agreement.objects.order_by("pk").first()
    adopted = set(agreement.adoptions.values_list("party_id", flat=True))
    for party in Party.objects.active().exclude(pk__in=adopted):
        council_services.adoption_record(
            party=party,
            adopted_on=date(2021, 11, 30),
            reference=f"KF {party.slug}",
            user=User.objects.get(username="bench-secretariat"),
        )
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
    # A decision rests on Värmlandsrådet's consensus position: one meeting takes it on all 100.
    secretariat = User.objects.get(username="bench-secretariat")
    parties = list(Party.objects.active())
    meeting = council_services.meeting_create(
        body=Body.objects.get(slug="varmlandsradet"),
        starts_at=timezone.make_aware(datetime.datetime(2026, 1, 20, 9, 0)),
        place="Bench: ställningstaganden för huvudboken",
        user=secretariat,
    )
    initiatives = []
    for i in range(100):
        initiative = Initiative.objects.create(
            party=karlstad,
            title=f"Bench-initiativ {i}",
            created_by=finance,
            registration_year=2025,
            registration_serial=9100 + i,  # after seed_council's 9000–9019
        )
        for status in (Status.SUBMITTED, Status.PREPARED, Status.PROPOSED):
            initiative_transition(initiative=initiative, to=status, user=finance)
        council_services.item_add(meeting=meeting, user=secretariat, initiative=initiative)
        initiatives.append(initiative)
    council_services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    council_services.attendance_record(
        meeting=meeting, rows=[(p, True, f"Ledamot för {p.name}") for p in parties], user=secretariat
    )
    for item in meeting.items.order_by("order"):
        council_services.item_decide(
            item=item,
            user=secretariat,
            stances=dict.fromkeys(parties, (StanceKind.SUPPORTS, "")),
            supported_amount=Decimal("100000"),
        )
    for i, initiative in enumerate(initiatives):
        decision = services.decision_record(
            fund=fund,
            initiative=initiative,
            maker_kind="board",
            maker_name="Regionstyrelsen",
            delegation_point=None,
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
        seed_initiatives()
        seed_council()
        seed_accounting()
    from initiatives.models import Initiative

    DECIDED_FILE.write_text(str(Initiative.objects.get(title="Bench-initiativ 0").pk))
    print("   bench dataset ready")


if __name__ == "__main__":
    main()
