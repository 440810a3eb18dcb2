"""Demo initiatives in every state, from several parties, with budgets, co-financing and a thread.

Built through the services, so the audit trail, the registration numbers and the revisions are real.
Idempotent: an initiative whose title exists is left alone. Some stay PREPARED and some move on to
PROPOSED/SUPPORTED/DECIDED (through `initiative_transition`, as the council and ledger apps will), so
those apps have material.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group

from initiatives import services
from initiatives.models import ActionArea, CoFinancing, Initiative, Preparation, Status
from people.models import Party, User
from people.roles import Role

EXTRA_INITIATORS = [
    ("torsby", "Tove", "Älvsdal", "Landsbygdsutvecklare", "torsby"),
    ("regionen", "Rasmus", "Regnell", "Strateg, regional utveckling", "region"),
]

# title, initiator, final status, co-party slugs, area numbers (1-4), transport plan, years,
# requested per year
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
        Status.PROPOSED,
        ["munkfors", "hagfors"],
        [1],
        True,
        3,
        "2 500 000",
    ),
    (
        "Värmländsk innovationsarena för skogsindustrin",
        "regionen",
        Status.SUPPORTED,
        ["karlstad", "grums"],
        [4, 2],
        False,
        3,
        "4 000 000",
    ),
    (
        "Bredband till sista hushållet",
        "karlstad",
        Status.NOT_SUPPORTED,
        ["forshaga"],
        [3],
        False,
        2,
        "5 000 000",
    ),
    (
        "Klimatanpassning av Klarälvens stränder",
        "regionen",
        Status.DECIDED,
        ["karlstad", "forshaga", "munkfors"],
        [3, 1],
        False,
        2,
        "1 800 000",
    ),
    (
        "Gemensam rekryteringskampanj för lärare",
        "arvika",
        Status.COMPLETED,
        ["arjang", "eda", "saffle"],
        [2],
        False,
        1,
        "600 000",
    ),
    ("Evenemangsbuss till Sunne", "torsby", Status.WITHDRAWN, ["sunne"], [3], True, 1, "300 000"),
]

# The path to each final status, after submission.
PATHS = {
    Status.PROPOSED: [Status.PROPOSED],
    Status.SUPPORTED: [Status.PROPOSED, Status.SUPPORTED],
    Status.NOT_SUPPORTED: [Status.PROPOSED, Status.NOT_SUPPORTED],
    Status.DECIDED: [Status.PROPOSED, Status.SUPPORTED, Status.DECIDED],
    Status.COMPLETED: [Status.PROPOSED, Status.SUPPORTED, Status.DECIDED, Status.COMPLETED],
}


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
    title, username, final, co_slugs, area_numbers, transport, years, requested = spec
    user = people[username]
    start = datetime.date(2027, 1, 1)
    end = datetime.date(2027 + years - 1, 12, 31)
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
            year=2027 + offset,
            total_cost=amount * 2,
            requested_amount=amount,
        )
        services.co_financing_add(
            initiative=initiative,
            user=user,
            year=2027 + offset,
            source=CoFinancing.Source.MUNICIPALITY,
            funder=user.party.name,
            state=CoFinancing.State.GRANTED,
            amount=amount / 2,
        )
        if offset == 0:
            services.co_financing_add(
                initiative=initiative,
                user=user,
                year=2027,
                source=CoFinancing.Source.STATE,
                funder="Tillväxtverket",
                state=CoFinancing.State.APPLIED,
                amount=amount / 4,
            )
    if final == Status.DRAFT:
        return
    initiative.refresh_from_db()
    services.initiative_submit(initiative=initiative, user=user, token=initiative.submission_token)
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
    for step in PATHS.get(final, []):
        services.initiative_transition(initiative=initiative, to=step, user=secretariat, reason="demo data")


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
