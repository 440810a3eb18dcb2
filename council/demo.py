"""Demo: a VRAU meeting that proposes three initiatives, a Värmlandsrådet meeting where one reaches
consensus, one is blocked with a reason and one is deferred (both with signed minutes), a coming
Värmlandsrådet meeting with the deferred item, and all 17 parties' adoptions of the agreement."""

import datetime
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from council import services
from council.models import Agreement, BlockResolution, Body, Meeting, StanceKind
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition
from people.models import Party, User

DEMO_INITIATIVES = [
    # title, party slug, summary, proposed amount
    (
        "Laddinfrastruktur längs Värmlands stråk",
        "karlstad",
        "Snabbladdare vid de regionala stråken så att hela länet kan resa fossilfritt.",
        "2000000.00",
    ),
    (
        "Gemensam kompetensplattform för industrin",
        "arvika",
        "En plattform där länets företag och skolor möts kring kompetensförsörjning.",
        "1500000.00",
    ),
    (
        "Kollektivtrafik på landsbygden: anropsstyrd trafik",
        "torsby",
        "Försök med anropsstyrd trafik i glesbygd i linje med Målbild 2040.",
        "800000.00",
    ),
]


def _aware(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def demo_initiatives(*, user: User) -> list[Initiative]:
    """Prepared initiatives for the council's demo, made only if they are not there (by title)."""
    made = []
    for title, slug, summary, _amount in DEMO_INITIATIVES:
        initiative = Initiative.objects.filter(title=title).first()
        if initiative is None:
            year = 2026
            serial = (
                Initiative.objects.filter(registration_year=year).aggregate(m=Max("registration_serial"))["m"]
                or 0
            ) + 1
            initiative = Initiative(
                party=Party.objects.get(slug=slug),
                title=title,
                summary=summary,
                registration_year=year,
                registration_serial=serial,
                created_by=user,
            )
            initiative._history_user = user
            initiative.save()
            initiative_transition(initiative=initiative, to=Status.SUBMITTED, user=user, reason="demo")
            initiative_transition(initiative=initiative, to=Status.PREPARED, user=user, reason="demo")
            initiative.refresh_from_db()
        made.append(initiative)
    return made


def _attendance(meeting, user, parties, names):
    services.attendance_record(
        meeting=meeting,
        rows=[(p, True, names.get(p.slug, f"Ledamot för {p.name}")) for p in parties],
        user=user,
    )


def load(*, password: str, stdout) -> None:
    secretariat = User.objects.get(username="vrag")
    parties = list(Party.objects.active().in_swedish_order())
    names = {
        u.party.slug: u.get_full_name()
        for u in User.objects.filter(username__startswith="vr-").select_related("party")
    }
    adjusters = list(User.objects.filter(username__in=["vr-region", "vr-karlstad"]).order_by("username"))
    vrau, council = Body.objects.get(slug="vrau"), Body.objects.get(slug="varmlandsradet")
    _adoptions(secretariat, parties)
    if Meeting.objects.filter(body=vrau, starts_at=_aware(2026, 2, 5)).exists():
        stdout.write("  sammanträden finns redan")
        return
    first, second, third = demo_initiatives(user=secretariat)
    amounts = {
        i.title: Decimal(a)
        for i, (_t, _s, _m, a) in zip((first, second, third), DEMO_INITIATIVES, strict=True)
    }

    # VRAU prepares and proposes.
    meeting = services.meeting_create(
        body=vrau,
        starts_at=_aware(2026, 2, 5),
        place="Regionens hus, Karlstad",
        user=secretariat,
        chair="Regina Rådström",
        secretary="Vera Ragnarsson",
    )
    for initiative in (first, second, third):
        if initiative.status != Status.PREPARED:
            continue
        services.item_add(
            meeting=meeting, user=secretariat, initiative=initiative, presenter="Vera Ragnarsson, VRAG"
        )
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    _attendance(meeting, secretariat, parties, names)
    for item in meeting.items.select_related("initiative"):
        services.proposal_record(
            item=item,
            proposed_amount=amounts[item.initiative.title],
            text="VRAU föreslår att Värmlandsrådet står bakom initiativet.",
            user=secretariat,
        )
    _hold_and_sign(meeting, secretariat, adjusters)

    # Värmlandsrådet takes its positions.
    coming = services.meeting_create(
        body=council,
        starts_at=_aware(2026, 6, 11),
        place="Residenset, Karlstad",
        user=secretariat,
        chair="Regina Rådström",
        secretary="Vera Ragnarsson",
    )
    meeting = services.meeting_create(
        body=council,
        starts_at=_aware(2026, 3, 12),
        place="Residenset, Karlstad",
        user=secretariat,
        chair="Regina Rådström",
        secretary="Vera Ragnarsson",
    )
    items = [
        services.item_add(meeting=meeting, user=secretariat, initiative=i, presenter="Vera Ragnarsson, VRAG")
        for i in (first, second, third)
    ]
    report = services.item_add(
        meeting=meeting,
        user=secretariat,
        title="VRAG:s rapport om utfallet 2025",
        presenter="Vera Ragnarsson",
    )
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    _attendance(meeting, secretariat, parties, names)
    everyone = dict.fromkeys(parties, (StanceKind.SUPPORTS, ""))
    hammaro = next(p for p in parties if p.slug == "hammaro")
    services.item_decide(
        item=items[0],
        user=secretariat,
        stances={**everyone, hammaro: (StanceKind.STANDS_ASIDE, "")},
        supported_amount=amounts[first.title],
        statement="Värmlandsrådet står bakom initiativet.",
    )
    kil_blocks = {
        **everyone,
        next(p for p in parties if p.slug == "kil"): (
            StanceKind.OBJECTS,
            "Satsningen gynnar främst en del av länet; den bör breddas till hela Värmland.",
        ),
    }
    services.item_decide(
        item=items[1],
        user=secretariat,
        stances=kil_blocks,
        resolution=BlockResolution.BACK_TO_PREPARATION,
        statement="Initiativet går åter till beredning.",
    )
    services.item_defer(
        item=items[2], user=secretariat, to_meeting=coming, reason="Trafikverkets yttrande inväntas."
    )
    services.item_note(
        item=report, statement="Värmlandsrådet lägger rapporten till handlingarna.", user=secretariat
    )
    _hold_and_sign(meeting, secretariat, adjusters)
    stdout.write("  3 sammanträden (VRAU och Värmlandsrådet), justerade protokoll, 17 antaganden")


def _hold_and_sign(meeting, secretariat, adjusters):
    services.meeting_hold(meeting=meeting, adjusters=adjusters, user=secretariat)
    for adjuster in adjusters:
        services.minutes_sign(meeting=meeting, user=adjuster)


def _adoptions(secretariat, parties):
    agreement = Agreement.objects.order_by("pk").first()
    adopted = set(agreement.adoptions.values_list("party_id", flat=True))
    for index, party in enumerate(parties):
        if party.pk in adopted:
            continue
        day = datetime.date(2021, 10, 25) + datetime.timedelta(days=3 * index)
        services.adoption_record(
            party=party, adopted_on=day, reference=f"KF {day:%Y-%m-%d} § {40 + index}", user=secretariat
        )
