"""A full meeting cycle in the browser (issue 12), as its people live it, on one pair of meetings:

1. VRAG plans a VRAU meeting, puts two prepared initiatives (with their basis and a document) and an
   information item on the agenda and publishes the notice: each current VRAU member, ordinary or
   substitute, gets the notice PDF and a calendar invitation through the mail queue and a real SMTP
   server; a member whose term ended gets nothing.
2. At VRAU: one initiative proposed for support with an amount, one for rejection, the information item
   placed on file; the chair and the adjuster each sign the minutes.
3. At Värmlandsrådet: the notice out, a member enters Karlstad's stance in advance (per capsulam); one
   party absent, so the quorum warning shows before anything is recorded; the recording is annulled, the
   attendance reopened with a reason and put right, the item recorded again; a member's jäv is recorded.
4. The chair and both adjusters each log in and sign; the signed protocol names who signed and when.
5. Refused, in Swedish on the page: an attendance change after a recording without reopening (from a tab
   opened before), and Region Värmland's decision above its delegation point's amount limit.

axe-core on every page visited."""

import datetime
import io
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounting import services as accounting_services
from accounting.models import Decision, MakerKind
from council.membership import membership_add
from council.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    MembershipRole,
    Outcome,
    Proposal,
    Recusal,
    RulesOfProcedure,
    Stance,
    StanceKind,
)
from initiatives.models import BudgetYear, Preparation, Status
from people.models import Party
from people.roles import Role
from tests.accounting.factories import make_fund
from tests.browser.conftest import log_in
from tests.council.factories import InitiativeFactory, body
from tests.council.test_notices import parts, pdf_text, subject
from tests.factories import PASSWORD, UserFactory
from tests.test_permission_matrix import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARGING = "Laddinfrastruktur längs stråken"
ARENA = "Gemensam evenemangsarena"
INFORMATION = "Årsrapport om fondens utfall"
RECORD = "Registrera ställningstagandena och räkna fram utfallet"


@contextmanager
def logged_in(browser, live_server, username):
    """Another person at their own computer: a browser context of their own, logged in."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        log_in(page, username, PASSWORD)
        yield page
    finally:
        context.close()


def sign(browser, live_server, axe, username, meeting):
    with logged_in(browser, live_server, username) as page:
        page.goto(f"/sammantraden/{meeting.pk}/")
        axe(page)
        page.get_by_role("button", name="Justera protokollet").click()
        page.get_by_role("dialog").get_by_role("button", name="Justera", exact=True).click()
        page.get_by_text("Du har justerat protokollet.").wait_for()
        axe(page)


def hold(page, axe, *, chair, adjusters):
    """The meeting opened with the choice of chair and adjusters; closed once every item is decided."""
    page.get_by_role("link", name="Välj ordförande och justerare").click()
    axe(page)
    page.get_by_role("combobox", name="Ordförande").select_option(label=chair)
    for adjuster in adjusters:
        page.get_by_label(adjuster).check()
    page.get_by_role("button", name="Välj ordförande och justerare").click()
    page.get_by_text("Ordförande och justerare är valda.").wait_for()
    page.get_by_role("button", name="Avsluta sammanträdet").click()
    page.get_by_role("dialog").get_by_role("button", name="Avsluta sammanträdet").click()
    page.get_by_text("Protokollet väntar på justering").wait_for()
    axe(page)


def plan(page, axe, *, organ, day, time, place, initiatives):
    page.get_by_role("link", name="Sammanträden").first.click()
    axe(page)
    page.get_by_role("link", name="Planera ett sammanträde").click()
    axe(page)
    page.get_by_label("Organ").select_option(label=organ)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Klockan").fill(time)
    page.get_by_label("Plats").fill(place)
    page.get_by_role("button", name="Planera sammanträdet").click()
    page.wait_for_url("**/hantera/")
    axe(page)
    for initiative in initiatives:
        page.get_by_role("combobox", name="Initiativ").select_option(
            label=f"{initiative.registration_number} {initiative.title} ({initiative.party.name})"
        )
        page.get_by_role("button", name="Lägg till initiativet").click()
        page.get_by_text("Initiativet är tillagt på föredragningslistan.").wait_for()
    return Meeting.objects.latest("pk")


def fill_attendance(page, parties, *, absent=()):
    for party in parties:
        if party.slug in absent:
            continue
        page.get_by_label(f"{party.name} närvarande").check()
        page.get_by_label(f"Företrädd av ({party.name})").fill(f"Ledamot för {party.name}")


def pdf_download(page, link, tmp_path) -> str:
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link).click()
    path = tmp_path / "download.pdf"
    download_info.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    return re.sub(r"\s+", " ", text).replace("\xa0", " ")


@pytest.fixture
def cycle():
    """The people and the two prepared initiatives; the members of both bodies for this year."""
    today = timezone.localdate()
    region, karlstad, arvika, filipstad = (
        Party.objects.get(slug=slug) for slug in ("region", "karlstad", "arvika", "filipstad")
    )
    vrag = UserFactory(
        username="vrag", first_name="Vera", last_name="Ragnarsson", party=region, roles=[Role.SECRETARIAT]
    )
    finance = UserFactory(
        username="ekonomi", first_name="Eva", last_name="Konom", party=region, roles=[Role.FINANCE]
    )
    representative = [Role.COUNCIL_REPRESENTATIVE]
    regina = UserFactory(
        username="vr-region",
        first_name="Regina",
        last_name="Rådström",
        email="regina@regionvarmland.se",
        party=region,
        roles=representative,
    )
    karl = UserFactory(
        username="vr-karlstad",
        first_name="Karl",
        last_name="Stadén",
        email="karl@karlstad.se",
        party=karlstad,
        roles=representative,
    )
    arne = UserFactory(
        username="vr-arvika",
        first_name="Arne",
        last_name="Vik",
        email="arne@arvika.se",
        party=arvika,
        roles=representative,
    )
    former = UserFactory(first_name="Fia", last_name="Filip", email="fia@filipstad.se", party=filipstad)
    start = datetime.date(today.year, 1, 1)
    vrau_roles = (
        (regina, MembershipRole.ORDINARY),
        (karl, MembershipRole.ORDINARY),
        (arne, MembershipRole.SUBSTITUTE),
    )
    for person, role in vrau_roles:
        membership_add(
            body=body("vrau"), party=person.party, person=person, role=role, starts_on=start, user=vrag
        )
        membership_add(
            body=body("varmlandsradet"),
            party=person.party,
            person=person,
            role=MembershipRole.ORDINARY,
            starts_on=start,
            user=vrag,
        )
    membership_add(
        body=body("vrau"),
        party=filipstad,
        person=former,
        role=MembershipRole.ORDINARY,
        starts_on=datetime.date(today.year - 2, 1, 1),
        ends_on=datetime.date(today.year - 1, 12, 31),
        user=vrag,
    )
    # Värmlandsrådet's rules of this year let the members enter their party's stance in advance.
    RulesOfProcedure.objects.create(
        body=body("varmlandsradet"), version=2, valid_from=start, per_capsulam_allowed=True
    )
    charging = InitiativeFactory(
        title=CHARGING, party=karlstad, summary="Laddplatser längs de regionala stråken i hela länet."
    )
    BudgetYear.objects.create(
        initiative=charging,
        year=today.year,
        total_cost=Decimal("3000000.00"),
        requested_amount=Decimal("2500000.00"),
    )
    Preparation.objects.create(
        initiative=charging,
        assessment="Gäller hela Värmland och kan inte drivas av en part ensam.",
        proposed_position=Preparation.Position.SUPPORT,
        proposed_amount=Decimal("2500000.00"),
        prepared_by=vrag,
    )
    arena = InitiativeFactory(title=ARENA, party=arvika, summary="En arena för evenemang i Arvika.")
    Preparation.objects.create(
        initiative=arena,
        assessment="Gynnar främst en kommun.",
        proposed_position=Preparation.Position.NOT_SUPPORT,
        prepared_by=vrag,
    )
    return {
        "vrag": vrag,
        "finance": finance,
        "regina": regina,
        "karl": karl,
        "arne": arne,
        "charging": charging,
        "arena": arena,
    }


def test_a_meeting_cycle_from_vrau_notice_to_region_varmland_s_decision(
    page, browser, live_server, axe, cycle, smtp, run_jobs, tmp_path
):
    page.set_default_timeout(30_000)
    today = timezone.localdate()
    parties = list(Party.objects.active().in_swedish_order())
    charging, arena = cycle["charging"], cycle["arena"]

    # --- 1. VRAG plans the VRAU meeting and publishes its notice ---------------------------------------
    log_in(page, "vrag", PASSWORD)
    vrau = plan(
        page,
        axe,
        organ="Värmlandsrådets arbetsutskott",
        day=today,
        time="08:00",
        place="Regionens hus, Karlstad",
        initiatives=[charging, arena],
    )
    page.get_by_label("Rubrik").fill(INFORMATION)
    page.get_by_label("Anmälningsärende").check()
    page.get_by_role("button", name="Lägg till ärendet").click()
    page.get_by_text("Ärendet är tillagt på föredragningslistan.").wait_for()
    # The initiative's basis: its project plan for the members to read.
    page.get_by_role("combobox", name="Ärende").select_option(label=f"1. {CHARGING}")
    page.get_by_label("Handlingens titel").fill("Projektplan")
    page.get_by_label(re.compile(r"^Fil\s*\*?$")).set_input_files(
        {"name": "projektplan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Ladda upp handlingen").click()
    page.get_by_text("Handlingen är uppladdad.").wait_for()
    axe(page)
    page.get_by_role("button", name="Publicera kallelsen").click()
    page.get_by_text("Kallelsen är publicerad.").wait_for()
    axe(page)

    run_jobs()
    messages = sorted(smtp.mailbox.messages, key=lambda m: m["To"])
    # The current members, ordinary and substitute, one mail each; not the member whose term ended.
    assert [m["To"] for m in messages] == ["arne@arvika.se", "karl@karlstad.se", "regina@regionvarmland.se"]
    for message in messages:
        assert subject(message) == f"Kallelse: Värmlandsrådets arbetsutskott {today.isoformat()} 08:00"
        filenames = [p.get_filename() for p in message.walk() if p.get_filename()]
        assert filenames == [f"kallelse-vrau-{today.isoformat()}.pdf", "kallelse.ics"]
        text, pdf, calendar = parts(message)
        assert pdf.startswith(b"%PDF-")
        assert f"http://testserver/sammantraden/{vrau.pk}/" in text
        assert calendar["METHOD"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["ATTENDEE"]) == f"mailto:{message['To']}"
        assert str(event["UID"]) == f"dgr-sammantrade-{vrau.pk}@testserver"
    roles = {m["To"]: parts(m)[2].walk("VEVENT")[0]["ATTENDEE"].params["ROLE"] for m in messages}
    assert roles["arne@arvika.se"] == "OPT-PARTICIPANT"  # the substitute
    assert roles["karl@karlstad.se"] == "REQ-PARTICIPANT"
    content = re.sub(r"\s+", " ", pdf_text(parts(messages[0])[1], tmp_path))
    assert CHARGING in content and ARENA in content and INFORMATION in content
    assert "Projektplan" in content
    assert "VRAG föreslår att VRAU tillstyrker initiativet med 2 500 000,00 kr." in content

    # --- 2. The VRAU meeting is held -------------------------------------------------------------------
    fill_attendance(page, [p for p in parties if p.slug in ("region", "karlstad", "arvika")])
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()
    axe(page)

    page.get_by_role("link", name=CHARGING, exact=True).click()
    # The basis the committee proposes on.
    page.get_by_text("Laddplatser längs de regionala stråken i hela länet.").wait_for()
    assert page.get_by_text("Gäller hela Värmland och kan inte drivas av en part ensam.").is_visible()
    assert page.get_by_role("link", name="Projektplan").is_visible()
    axe(page)
    page.get_by_label("Stå bakom initiativet", exact=True).check()
    page.get_by_label("Föreslaget belopp (kr)").fill("2 000 000")
    page.get_by_label("VRAU:s förslag till Värmlandsrådet").fill(
        "Satsningen gäller hela länet; beloppet sänks till det som kan upphandlas i år."
    )
    page.get_by_role("button", name="Registrera förslaget").click()
    page.get_by_text("Ärendet är avgjort: VRAU föreslår att Värmlandsrådet står bakom initiativet").wait_for()

    page.get_by_role("link", name=ARENA, exact=True).click()
    axe(page)
    page.get_by_label("Inte stå bakom initiativet (avslag)").check()
    page.get_by_label("VRAU:s förslag till Värmlandsrådet").fill("Satsningen gynnar främst en kommun.")
    page.get_by_role("button", name="Registrera förslaget").click()
    page.get_by_text("Ärendet är avgjort: VRAU föreslår att Värmlandsrådet inte står bakom").wait_for()

    page.get_by_role("link", name=INFORMATION, exact=True).click()
    axe(page)
    page.get_by_role("button", name="Notera").click()
    page.get_by_text("Ärendet är avgjort: Anmälan läggs till handlingarna.").wait_for()
    axe(page)

    hold(page, axe, chair="Regina Rådström (Region Värmland)", adjusters=["Karl Stadén (Karlstad)"])
    for username in ("vr-region", "vr-karlstad"):
        sign(browser, live_server, axe, username, vrau)
    vrau.refresh_from_db()
    assert vrau.status == MeetingStatus.MINUTES_SIGNED
    assert {
        (p.initiative.title, p.recommendation, p.proposed_amount)
        for p in Proposal.objects.select_related("initiative")
    } == {
        (CHARGING, Proposal.Recommendation.SUPPORT, Decimal("2000000.00")),
        (ARENA, Proposal.Recommendation.REJECT, None),
    }
    charging.refresh_from_db()
    arena.refresh_from_db()
    assert charging.status == arena.status == Status.PROPOSED

    # --- 3. Värmlandsrådet: the notice, and Karlstad's stance in advance ---------------------------------
    page.goto("/")
    vr = plan(
        page,
        axe,
        organ="Värmlandsrådet",
        day=today + datetime.timedelta(days=14),
        time="09:30",
        place="Residenset, Karlstad",
        initiatives=[charging, arena],
    )
    page.get_by_role("button", name="Publicera kallelsen").click()
    page.get_by_text("Kallelsen är publicerad.").wait_for()
    page.get_by_role("link", name="Visa sammanträdet som andra ser det").click()
    # The notice states VRAU's proposal for each item: support with its amount, or rejection.
    page.get_by_text(
        "VRAU föreslår att Värmlandsrådet står bakom initiativet med 2\xa0000\xa0000,00\xa0kr."
    ).first.wait_for()
    assert page.get_by_text(
        "VRAU föreslår att Värmlandsrådet inte står bakom initiativet (avslag)."
    ).first.is_visible()
    axe(page)
    page.get_by_role("link", name="Tid, plats och kallelse").click()
    axe(page)
    page.get_by_label(
        "Ledamöterna får lämna sin parts ställningstagande före sammanträdet (per capsulam)"
    ).check()
    page.get_by_role("button", name="Spara inställningen").click()
    page.get_by_text("Inställningen är sparad.").wait_for()
    axe(page)
    run_jobs()
    assert sorted(m["To"] for m in smtp.mailbox.messages if "Värmlandsrådet " in subject(m)) == [
        "arne@arvika.se",
        "karl@karlstad.se",
        "regina@regionvarmland.se",
    ]

    with logged_in(browser, live_server, "vr-karlstad") as member:
        member.goto(f"/sammantraden/{vr.pk}/")
        axe(member)
        member.get_by_role("link", name=re.compile(rf"Lämna ställningstagande\s*:\s*{ARENA}")).click()
        axe(member)
        member.get_by_label("Motsätter sig").check()
        member.get_by_label("Motivering").fill("Arenan gynnar en kommun, inte hela Värmland.")
        member.get_by_role("button", name="Registrera ställningstagandet").click()
        member.get_by_text("Ställningstagandet för Karlstad är registrerat.").wait_for()
        axe(member)

    # The meeting's day comes. (The live server's clock cannot be moved, so the meeting is: its notice is
    # out and the stance in advance entered, as they would be two weeks ahead.)
    Meeting.objects.filter(pk=vr.pk).update(starts_at=timezone.now())

    page.goto(f"/sammantraden/{vr.pk}/hantera/")
    axe(page)
    fill_attendance(page, parties, absent=("eda",))
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()
    # A second tab, opened while the attendance could still be changed.
    stale = page.context.new_page()
    stale.goto(f"/sammantraden/{vr.pk}/hantera/")
    axe(stale)

    page.get_by_role("link", name=CHARGING, exact=True).click()
    page.get_by_text("16 av 17 parter närvarande – beslut kan inte fattas.").wait_for()
    assert page.get_by_text("Satsningen gäller hela länet; beloppet sänks").is_visible()  # VRAU's proposal
    axe(page)
    page.get_by_role("button", name=RECORD).click()
    page.get_by_text("Kryssa i att ärendet registreras som ej beslutbart").first.wait_for()
    assert not AgendaItem.objects.filter(meeting=vr).exclude(outcome="").exists()
    axe(page)
    page.get_by_label("Registrera ändå som ej beslutbart om för få parter deltar").check()
    page.get_by_role("button", name=RECORD).click()
    page.get_by_text("Ärendet är avgjort: Ej beslutbart").wait_for()

    # --- 5. (first refusal) Eda turns out to be there: the old tab cannot change the fixed attendance -----
    stale.get_by_label("Eda närvarande").check()
    stale.get_by_label("Företrädd av (Eda)").fill("Ledamot för Eda")
    stale.get_by_role("button", name="Spara närvaron").click()
    stale.get_by_text(
        "Närvaron är fastställd sedan ett ärende registrerades. Öppna närvaron igen, med skäl, för att "
        "ändra den."
    ).first.wait_for()
    axe(stale)
    stale.close()
    assert not Attendance.objects.get(meeting=vr, party__slug="eda").present

    # Annulled with its reason, the attendance reopened with its reason and put right, recorded again.
    page.get_by_role("link", name=re.compile(rf"^Annullera\s*:\s*{CHARGING}")).click()
    axe(page)
    page.get_by_label("Varför annulleras registreringen?").fill(
        "Eda var närvarande men fördes som frånvarande."
    )
    page.get_by_role("button", name="Annullera registreringen").click()
    page.get_by_text("Registreringen är annullerad.").wait_for()
    page.get_by_role("link", name="Öppna närvaron igen").click()
    axe(page)
    page.get_by_label("Varför ändras närvaron?").fill("Eda var närvarande från början.")
    page.get_by_role("button", name="Öppna närvaron igen").click()
    page.get_by_text("Närvaron är öppnad igen.").wait_for()
    page.get_by_text("Eda var närvarande från början.").wait_for()  # the reason, with who and when
    page.get_by_label("Eda närvarande").check()
    page.get_by_label("Företrädd av (Eda)").fill("Ledamot för Eda")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()
    axe(page)

    page.get_by_role("link", name=CHARGING, exact=True).click()
    page.get_by_text("17 parter närvarande, 17 krävs – beslut kan fattas.").wait_for()
    axe(page)
    # The amount starts from VRAU's proposal.
    amount = page.get_by_label("Belopp som Värmlandsrådet står bakom (kr)")
    assert amount.input_value() == "2\xa0000\xa0000,00"
    page.get_by_role("button", name=RECORD).click()
    page.get_by_text("Ärendet är avgjort: Konsensus").wait_for()

    # The arena: Arne Vik declares jäv; Karlstad's stance from before the meeting blocks.
    page.get_by_role("link", name=ARENA, exact=True).click()
    page.get_by_text("Inget: VRAU föreslår avslag").wait_for()  # the basis: VRAU's rejection
    axe(page)
    page.get_by_role("link", name="Jäv i ärendet").click()
    axe(page)
    page.get_by_role("combobox", name="Person som anmäler jäv").select_option(label="Arne Vik (Arvika)")
    page.get_by_label("Grund för jävet").fill("Styrelseledamot i arenabolaget.")
    page.get_by_role("button", name="Registrera jävet").click()
    page.get_by_text("Jävet är registrerat.").wait_for()
    assert page.get_by_text("Arne Vik anmälde jäv och deltog inte i handläggningen.").is_visible()
    axe(page)
    page.get_by_role("link", name="Tillbaka till ärendet").click()
    page.get_by_text("Karlstad: Motsätter sig (Arenan gynnar en kommun, inte hela Värmland.)").wait_for()
    assert page.get_by_label("Ställningstagande: Karlstad").count() == 0  # not asked again
    page.get_by_label("Ställningstagande: Arvika").select_option(label="Jäv (deltar inte)")
    page.get_by_label("Avslutas (ej tillstyrkt)").check()
    axe(page)
    page.get_by_role("button", name=RECORD).click()
    page.get_by_text("Ärendet är avgjort: Ingen konsensus, blockerat av Karlstad").wait_for()
    axe(page)

    # --- 4. Chair and adjusters chosen; each signs --------------------------------------------------------
    hold(
        page,
        axe,
        chair="Regina Rådström (Region Värmland)",
        adjusters=["Karl Stadén (Karlstad)", "Arne Vik (Arvika)"],
    )
    for username in ("vr-region", "vr-karlstad", "vr-arvika"):
        sign(browser, live_server, axe, username, vr)

    vr.refresh_from_db()
    assert vr.status == MeetingStatus.MINUTES_SIGNED
    charging.refresh_from_db()
    arena.refresh_from_db()
    assert (charging.status, arena.status) == (Status.SUPPORTED, Status.NOT_SUPPORTED)
    assert [i.outcome for i in vr.items.filter(initiative=charging).order_by("pk")] == [
        Outcome.NOT_DECIDABLE,
        Outcome.CONSENSUS,
    ]
    stance = Stance.objects.get(item__meeting=vr, party__slug="karlstad", in_advance=True)
    assert (stance.kind, stance.recorded_by) == (StanceKind.OBJECTS, cycle["karl"])
    assert Recusal.objects.get().person == cycle["arne"]

    page.goto(f"/sammantraden/{vr.pk}/")
    axe(page)
    assert page.get_by_role("button", name="Justera protokollet").count() == 0
    for name in ("Regina Rådström (Region Värmland)", "Karl Stadén (Karlstad)", "Arne Vik (Arvika)"):
        assert re.search(
            rf"{re.escape(name)}:\s+Justerat \d{{4}}-\d\d-\d\d \d\d:\d\d", page.locator("main").inner_text()
        )
    text = pdf_download(page, "Protokoll (PDF)", tmp_path)
    signed = r"Justerat i DGR \d{4}-\d\d-\d\d \d\d:\d\d"
    assert re.search(rf"Ordförande: Regina Rådström, Region Värmland {signed}", text)
    assert re.search(rf"Justerare: Karl Stadén, Karlstad {signed}", text)
    assert re.search(rf"Justerare: Arne Vik, Arvika {signed}", text)
    assert "Värmlandsrådet står bakom initiativet med 2 000 000,00 kr" in text
    assert "blockerat av Karlstad" in text
    assert "Arne Vik anmälde jäv och deltog inte i handläggningen (Styrelseledamot i arenabolaget.)" in text
    assert "Ej beslutbart" not in text  # the annulled recording is not among the decisions

    # --- 5. (second refusal) Region Värmland's decision above the delegation point's limit --------------
    finance = cycle["finance"]
    fund = make_fund(finance, opened_on=datetime.date(today.year, 1, 1))
    for part in fund.capital_parts.all():
        accounting_services.capital_add(
            capital_part=part,
            amount=Decimal("10000000"),
            booking_date=datetime.date(today.year, 1, 1),
            text="Ingående kapital",
            user=finance,
        )
    point = accounting_services.delegation_point_add(
        code="3.2.1",
        description="Beslut om medel ur de gemensamma resurserna efter Värmlandsrådets tillstyrkan.",
        maker_kind=MakerKind.DELEGATE,
        maker_name="Regiondirektören",
        amount_limit=Decimal("1000000.00"),
        valid_from=datetime.date(today.year, 1, 1),
        user=finance,
    )
    with logged_in(browser, live_server, "ekonomi") as economist:
        economist.get_by_role("link", name="Beslut och åtaganden").first.click()
        axe(economist)
        economist.get_by_role("link", name=re.compile(rf"Registrera beslut\s+för\s+{CHARGING}")).click()
        axe(economist)
        economist.get_by_role("combobox", name="Beslutsfattare", exact=True).select_option("delegate")
        economist.get_by_label("Beslutsfattarens namn").fill("Regiondirektören")
        economist.get_by_label("Punkt i delegationsordningen").select_option(str(point.pk))
        economist.get_by_label("Beslutsdatum").fill(today.isoformat())
        economist.get_by_label("Beslutsnummer eller paragraf").fill(f"RD {today.year}/17")
        economist.get_by_label("Beviljat belopp (kr)").fill("1 500 000")
        economist.get_by_role("button", name="Bokför").click()
        economist.locator(".field--error").get_by_text(
            "Beloppet överstiger beloppsgränsen 1\xa0000\xa0000,00\xa0kr i punkt 3.2.1 "
            "i delegationsordningen."
        ).wait_for()
        axe(economist)
        assert not Decision.objects.exists()
        economist.get_by_label("Beviljat belopp (kr)").fill("1 000 000")
        economist.get_by_role("button", name="Bokför").click()
        economist.get_by_text(f"Beslutet RD {today.year}/17 är registrerat.").wait_for()
        axe(economist)
    decision = Decision.objects.get()
    assert (decision.amount, decision.delegation_point) == (Decimal("1000000.00"), point)
    charging.refresh_from_db()
    assert charging.status == Status.DECIDED
