"""Demo initiatives in every state, from several parties, with budgets, co-financing and a thread.

Built through the services, so the audit trail, the registration numbers and the revisions are real.
Idempotent: an initiative whose title exists is left alone. This demo takes an initiative at most to
PREPARED; those meant to go further are named in COUNCIL_STORY, which the council demo takes to
VRAU and Värmlandsrådet (and the ledger demo on to Region Värmland's decision), through their services.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from initiatives import services
from initiatives.models import ActionArea, CoFinancing, Initiative, Preparation, Status
from people.models import Party, User
from people.roles import Role

EXTRA_INITIATORS = [
    ("torsby", "Tove", "Älvsdal", "Landsbygdsutvecklare", "torsby"),
    ("regionen", "Rasmus", "Regnell", "Strateg, regional utveckling", "region"),
]

# What the council demo does with the initiatives this demo leaves PREPARED (council/demo.py reads it):
# title, the year of Värmlandsrådet's meeting, and what happens there. The 2022 ones are the ledger's
# history (submitted in 2022, numbered DGR 2022/…); the consensus ones are decided in accounting/demo.py,
# except the 2026 one, which waits for Region Värmland's decision.
CONSENSUS, BLOCKED_CLOSED, BLOCKED_BACK, DEFERRED = "consensus", "blocked_closed", "blocked_back", "deferred"
COUNCIL_STORY = [
    ("Klimatanpassning av Klarälvens stränder", 2022, CONSENSUS),
    ("Besöksnäring i norra Värmland", 2022, CONSENSUS),
    ("Gemensam rekryteringskampanj för lärare", 2022, CONSENSUS),
    ("Laddinfrastruktur längs E18", 2022, CONSENSUS),
    ("Bredband till sista hushållet", 2022, BLOCKED_CLOSED),
    ("Värmländsk innovationsarena för skogsindustrin", 2026, CONSENSUS),
    ("Värmlandsbanan: förstudie om dubbelspår", 2026, BLOCKED_BACK),
    ("Anropsstyrd kollektivtrafik på landsbygden", 2026, DEFERRED),
]

# title, initiator, status this demo takes it to (at most PREPARED), co-party slugs, area numbers (1-4),
# transport plan, years, requested per year, first year, submitted on (None: today)
SPECS = [
    ("Snabbladdare längs E18 och E45", "karlstad", Status.DRAFT, ["arvika"], [4], True, 2, "1 500 000"),
    (
        "Kompetenslyft för vård och omsorg i Värmland",
        "arvika",
        Status.SUBMITTED,
        ["saffle", "eda"],
        [2],
        False,
        3,
        "2 000 000",
    ),
    (
        "Gemensam besöksnäringsportal Visit Värmland",
        "karlstad",
        Status.COMPLEMENT_REQUESTED,
        ["hammaro"],
        [3],
        False,
        2,
        "750 000",
    ),
    (
        "Värmlandsbanan: förstudie om dubbelspår",
        "regionen",
        Status.PREPARED,
        ["karlstad", "kristinehamn"],
        [4],
        True,
        2,
        "3 000 000",
    ),
    (
        "Psykisk hälsa bland unga i glesbygd",
        "torsby",
        Status.PREPARED,
        ["hagfors", "sunne"],
        [1],
        False,
        3,
        "1 200 000",
    ),
    (
        "Regional satsning på Ljusnarsbergs gruvarv",
        "arvika",
        Status.NOT_ELIGIBLE,
        [],
        [3],
        False,
        1,
        "400 000",
    ),
    (
        "Anropsstyrd kollektivtrafik på landsbygden",
        "torsby",
        Status.PREPARED,
        ["munkfors", "hagfors"],
        [1],
        True,
        3,
        "2 500 000",
    ),
    (
        "Värmländsk innovationsarena för skogsindustrin",
        "regionen",
        Status.PREPARED,
        ["karlstad", "grums"],
        [4, 2],
        False,
        3,
        "4 000 000",
    ),
    ("Evenemangsbuss till Sunne", "torsby", Status.WITHDRAWN, ["sunne"], [3], True, 1, "300 000"),
    # The ledger's history: submitted in January 2022, the fund's first month.
    (
        "Klimatanpassning av Klarälvens stränder",
        "regionen",
        Status.PREPARED,
        ["karlstad", "forshaga", "munkfors"],
        [3, 1],
        False,
        2,
        "4 000 000",
        2022,
        datetime.date(2022, 1, 10),
    ),
    (
        "Besöksnäring i norra Värmland",
        "torsby",
        Status.PREPARED,
        ["hagfors", "sunne"],
        [3, 4],
        False,
        2,
        "2 000 000",
        2022,
        datetime.date(2022, 1, 12),
    ),
    (
        "Gemensam rekryteringskampanj för lärare",
        "arvika",
        Status.PREPARED,
        ["arjang", "eda", "saffle"],
        [2],
        False,
        2,
        "3 000 000",
        2023,
        datetime.date(2022, 1, 14),
    ),
    (
        "Laddinfrastruktur längs E18",
        "karlstad",
        Status.PREPARED,
        ["arvika", "eda", "kil"],
        [4],
        True,
        2,
        "5 000 000",
        2024,
        datetime.date(2022, 1, 17),
    ),
    (
        "Bredband till sista hushållet",
        "karlstad",
        Status.PREPARED,
        ["forshaga"],
        [3],
        False,
        2,
        "5 000 000",
        2022,
        datetime.date(2022, 1, 19),
    ),
]


def _initiators(password: str) -> dict[str, User]:
    group = Group.objects.get(name=Role.INITIATOR)
    for username, first, last, title, slug in EXTRA_INITIATORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, title=title)
            user.party = Party.objects.get(slug=slug)
            user.email = f"{username}@demo.dgr.invalid"
            user.set_password(password)
            user.save()
            user.groups.add(group)
    return {
        u.username: u for u in User.objects.filter(username__in=["karlstad", "arvika", "torsby", "regionen"])
    }


def _build(spec, people: dict[str, User], secretariat: User, areas: list[ActionArea]) -> None:
    title, username, final, co_slugs, area_numbers, transport, years, requested, *when = spec
    first_year, submitted_on = when or (2027, None)
    user = people[username]
    start = datetime.date(first_year, 1, 1)
    end = datetime.date(first_year + years - 1, 12, 31)
    initiative = services.initiative_create(
        user=user,
        data={
            "title": title,
            "summary": f"{title}: en satsning som stärker hela Värmland.",
            "description": (
                f"{title}. Satsningen genomförs gemensamt av flera parter under {years} år, "
                "med en styrgrupp där alla medverkande parter ingår och en årlig uppföljning till VRAG."
            ),
            "kind": "project" if years < 3 else "operation",
            "contact_name": f"{user.first_name} {user.last_name}",
            "contact_email": user.email,
            "contact_phone": "054-701 00 00",
            "whole_varmland_motivation": (
                "Behovet finns i hela länet, och ingen enskild kommun har resurser eller rådighet "
                "att lösa det ensam."
            ),
            "transport_plan": transport,
            "transport_plan_motivation": "Bidrar till målbild 2040 för kollektivtrafiken."
            if transport
            else "",
            "start_date": start,
            "end_date": end,
        },
        co_parties=list(Party.objects.filter(slug__in=co_slugs)),
        alignments={
            areas[n - 1].pk: f"Satsningen bidrar till att {areas[n - 1].name.lower()}." for n in area_numbers
        },
    )
    amount = Decimal(requested.replace(" ", ""))
    for offset in range(years):
        services.budget_year_add(
            initiative=initiative,
            user=user,
            year=first_year + offset,
            total_cost=amount * 2,
            requested_amount=amount,
        )
        services.co_financing_add(
            initiative=initiative,
            user=user,
            year=first_year + offset,
            source=CoFinancing.Source.MUNICIPALITY,
            funder=user.party.name,
            state=CoFinancing.State.GRANTED,
            amount=amount / 2,
        )
        if offset == 0:
            services.co_financing_add(
                initiative=initiative,
                user=user,
                year=first_year,
                source=CoFinancing.Source.STATE,
                funder="Tillväxtverket",
                state=CoFinancing.State.APPLIED,
                amount=amount / 4,
            )
    if final == Status.DRAFT:
        return
    initiative.refresh_from_db()
    submitted_at = (
        timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(10, 0)))
        if submitted_on
        else None
    )
    services.initiative_submit(
        initiative=initiative, user=user, token=initiative.submission_token, submitted_at=submitted_at
    )
    if final == Status.WITHDRAWN:
        services.initiative_withdraw(initiative=initiative, user=user, reason="Evenemanget är inställt.")
        return
    services.message_post(
        initiative=initiative,
        user=secretariat,
        body="Tack, vi har tagit emot initiativet och börjar bereda det.",
    )
    if final == Status.SUBMITTED:
        return
    if final == Status.COMPLEMENT_REQUESTED:
        services.initiative_request_complement(
            initiative=initiative,
            user=secretariat,
            message="Komplettera med en tidplan och beskriv hur de medverkande kommunerna bidrar.",
        )
        services.message_post(
            initiative=initiative, user=user, body="Vi återkommer med tidplanen nästa vecka."
        )
        return
    if final == Status.NOT_ELIGIBLE:
        services.initiative_mark_not_eligible(
            initiative=initiative,
            user=secretariat,
            reason="Satsningen gäller en enskild kommun och har inte betydelse för hela Värmland.",
        )
        return
    checklist = dict.fromkeys(services.CHECKLIST_FIELDS, True)
    services.initiative_mark_prepared(
        initiative=initiative,
        user=secretariat,
        checklist=checklist,
        assessment="Initiativet uppfyller överenskommelsens krav och har bred förankring bland parterna.",
        proposed_position=Preparation.Position.SUPPORT,
        proposed_amount=amount * years,
    )


def load(*, password: str, stdout) -> None:
    people = _initiators(password)
    secretariat = User.objects.get(username="vrag")
    areas = list(ActionArea.objects.order_by("order"))
    created = 0
    for spec in SPECS:
        if Initiative.objects.filter(title=spec[0]).exists():
            continue
        _build(spec, people, secretariat, areas)
        created += 1
    stdout.write(f"  {created} demoinitiativ (av {len(SPECS)})")
