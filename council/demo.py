"""Demo: the council's part of one story, told through the council's services.

The initiatives demo leaves its initiatives at most PREPARED and names in `COUNCIL_STORY` what happens
to each at VRAU and Värmlandsrådet. Here:
- 2022, the fund's first year: a VRAU meeting (February) proposes the ledger's initiatives, and a
  Värmlandsrådet meeting (March) reaches consensus on four of them and closes one that a party blocks;
  both with signed minutes (sealed at once, council/sealing.py). The ledger demo then records Region
  Värmland's decisions on the four.
- 2026: a VRAU meeting proposes three initiatives; at Värmlandsrådet one reaches consensus (it waits for
  Region Värmland's decision), one is blocked with a reason and goes back to preparation, and one is
  deferred to a coming meeting, still planned.
- All 17 parties' adoptions of the agreement (autumn 2021).
Idempotent: each year's meetings are made only if that year's VRAU meeting is not there.
"""

import datetime

from django.utils import timezone

from core.pdf import worker_base_url
from council import minutes, sealing, services
from council.models import Agreement, BlockResolution, Body, Meeting, StanceKind
from initiatives.demo import BLOCKED_BACK, BLOCKED_CLOSED, CONSENSUS, COUNCIL_STORY, DEFERRED
from initiatives.models import Initiative, Status
from people.models import Party, User

CHAIR, SECRETARY = "Regina Rådström", "Vera Ragnarsson"
PRESENTER = "Vera Ragnarsson, VRAG"


def _aware(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _attendance(meeting, user, parties, names):
    services.attendance_record(
        meeting=meeting,
        rows=[(p, True, names.get(p.slug, f"Ledamot för {p.name}")) for p in parties],
        user=user,
    )


def _story(year: int) -> list[tuple[Initiative, str]]:
    """The year's initiatives of the story, in its order, with what happens to them."""
    by_title = {i.title: i for i in Initiative.objects.filter(title__in=[t for t, y, _o in COUNCIL_STORY])}
    return [(by_title[title], what) for title, y, what in COUNCIL_STORY if y == year and title in by_title]


def _meeting(body, when, place, secretariat):
    return services.meeting_create(
        body=body, starts_at=when, place=place, user=secretariat, chair=CHAIR, secretary=SECRETARY
    )


def _propose(vrau, when, story, secretariat, parties, names, adjusters):
    """VRAU proposes each prepared initiative with the amount its preparation proposed."""
    meeting = _meeting(vrau, when, "Regionens hus, Karlstad", secretariat)
    for initiative, _what in story:
        if initiative.status == Status.PREPARED:
            services.item_add(meeting=meeting, user=secretariat, initiative=initiative, presenter=PRESENTER)
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    _attendance(meeting, secretariat, parties, names)
    for item in meeting.items.select_related("initiative__preparation"):
        services.proposal_record(
            item=item,
            proposed_amount=item.initiative.preparation.proposed_amount,
            text="VRAU föreslår att Värmlandsrådet står bakom initiativet.",
            user=secretariat,
        )
    _hold_and_sign(meeting, secretariat, adjusters)


def _take_positions(meeting, story, secretariat, parties, names, adjusters, *, coming=None, report=""):
    """Värmlandsrådet's positions, by consensus, on the story's proposed initiatives; signed minutes."""
    items = []
    for initiative, what in story:
        initiative.refresh_from_db()
        if initiative.status == Status.PROPOSED:
            item = services.item_add(
                meeting=meeting, user=secretariat, initiative=initiative, presenter=PRESENTER
            )
            items.append((item, initiative, what))
    other = (
        services.item_add(meeting=meeting, user=secretariat, title=report, presenter=SECRETARY)
        if report
        else None
    )
    services.meeting_publish_agenda(meeting=meeting, user=secretariat)
    _attendance(meeting, secretariat, parties, names)
    everyone = dict.fromkeys(parties, (StanceKind.SUPPORTS, ""))
    by_slug = {p.slug: p for p in parties}
    for index, (item, initiative, what) in enumerate(items):
        proposal = initiative.council_proposals.current().first()
        if what == CONSENSUS:
            aside = parties[(3 * index + 5) % len(parties)]
            services.item_decide(
                item=item,
                user=secretariat,
                stances={**everyone, aside: (StanceKind.STANDS_ASIDE, "")},
                supported_amount=proposal.proposed_amount,
                statement="Värmlandsrådet står bakom initiativet.",
            )
        elif what in (BLOCKED_BACK, BLOCKED_CLOSED):
            back = what == BLOCKED_BACK
            objector, reason = (
                ("kil", "Satsningen gynnar främst en del av länet; den bör breddas till hela Värmland.")
                if back
                else ("storfors", "Utbyggnaden är en kommunal uppgift och ska inte bekostas ur fonden.")
            )
            services.item_decide(
                item=item,
                user=secretariat,
                stances={**everyone, by_slug[objector]: (StanceKind.OBJECTS, reason)},
                resolution=BlockResolution.BACK_TO_PREPARATION if back else BlockResolution.CLOSE,
                statement=(
                    "Initiativet går åter till beredning."
                    if back
                    else "Initiativet avslutas utan Värmlandsrådets stöd."
                ),
            )
        elif what == DEFERRED:
            services.item_defer(
                item=item, user=secretariat, to_meeting=coming, reason="Trafikverkets yttrande inväntas."
            )
    if other is not None:
        services.item_note(
            item=other, statement="Värmlandsrådet lägger rapporten till handlingarna.", user=secretariat
        )
    _hold_and_sign(meeting, secretariat, adjusters)


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
    _members(council, vrau, secretariat)
    made = 0

    # 2022: the fund's first initiatives. (Without the initiatives demo's initiatives, no meetings.)
    story = _story(2022)
    if story and not Meeting.objects.filter(body=vrau, starts_at=_aware(2022, 2, 3)).exists():
        _propose(vrau, _aware(2022, 2, 3), story, secretariat, parties, names, adjusters)
        meeting = _meeting(council, _aware(2022, 3, 10), "Residenset, Karlstad", secretariat)
        _take_positions(meeting, story, secretariat, parties, names, adjusters)
        made += 2

    # 2026: one consensus, one blocked, one deferred to the coming meeting.
    story = _story(2026)
    if story and not Meeting.objects.filter(body=vrau, starts_at=_aware(2026, 2, 5)).exists():
        _propose(vrau, _aware(2026, 2, 5), story, secretariat, parties, names, adjusters)
        coming = _meeting(council, _aware(2026, 6, 11), "Residenset, Karlstad", secretariat)
        meeting = _meeting(council, _aware(2026, 3, 12), "Residenset, Karlstad", secretariat)
        _take_positions(
            meeting,
            story,
            secretariat,
            parties,
            names,
            adjusters,
            coming=coming,
            report="VRAG:s rapport om utfallet 2025",
        )
        made += 3
    stdout.write(f"  {made} nya sammanträden (VRAU och Värmlandsrådet), 17 antaganden")


# VRAU, the working committee: Region Värmland and four municipalities (the demo's choice).
VRAU_SEATS = ("region", "karlstad", "arvika", "kristinehamn", "torsby")


def _members(council, vrau, secretariat):
    """Each party's demo representative (`vr-<party>`) sits in Värmlandsrådet from the fund's start; five
    of them in VRAU too. Chair and adjusters are chosen among a body's members."""
    from council.membership import membership_add
    from council.models import MembershipRole

    people = User.objects.filter(username__startswith="vr-", party__isnull=False).select_related("party")
    for body, wanted in ((council, None), (vrau, VRAU_SEATS)):
        seated = set(body.memberships.values_list("person_id", flat=True))
        for person in people:
            if person.pk in seated or (wanted is not None and person.party.slug not in wanted):
                continue
            membership_add(
                body=body,
                party=person.party,
                person=person,
                role=MembershipRole.ORDINARY,
                starts_on=datetime.date(2022, 1, 1),
                user=secretariat,
            )


def _hold_and_sign(meeting, secretariat, adjusters):
    # The meeting opened with Region Värmland's representative in the chair and the other adjusting.
    chair = next(a for a in adjusters if a.username == "vr-region")
    minutes.meeting_open(
        meeting=meeting, chair=chair, adjusters=[a for a in adjusters if a != chair], user=secretariat
    )
    services.meeting_hold(meeting=meeting, user=secretariat)
    for adjuster in adjusters:
        services.minutes_sign(meeting=meeting, user=adjuster)
    # The sealed copies at once, as the worker makes them (its job, queued by the last signature, then
    # finds them made): the demo's signed minutes are downloaded sealed without waiting for a worker.
    sealing.minutes_seal(meeting_id=meeting.pk, base_url=worker_base_url())


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
