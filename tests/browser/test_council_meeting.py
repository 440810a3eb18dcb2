"""The secretariat runs a Värmlandsrådet meeting from agenda to signed minutes; two adjusters sign;
the protocol excerpt downloads. axe-core on every page visited."""

import shutil
import subprocess

import pytest

from council.models import Meeting, MeetingStatus, Outcome
from initiatives.models import Status
from people.models import Party
from people.roles import Role
from tests.browser.conftest import log_in
from tests.council.factories import proposed_initiative, seat
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    region, karlstad = Party.objects.get(slug="region"), Party.objects.get(slug="karlstad")
    vrag = UserFactory(
        username="vrag", first_name="Vera", last_name="Ragnarsson", party=region, roles=[Role.SECRETARIAT]
    )
    adjusters = [
        UserFactory(
            username="vr-region",
            first_name="Regina",
            last_name="Rådström",
            party=region,
            roles=[Role.COUNCIL_REPRESENTATIVE],
        ),
        UserFactory(
            username="vr-karlstad",
            first_name="Karl",
            last_name="Stadén",
            party=karlstad,
            roles=[Role.COUNCIL_REPRESENTATIVE],
        ),
    ]
    for person in adjusters:  # chair and adjusters are chosen among the body's members
        seat(person, "varmlandsradet")
    return vrag, adjusters


def test_a_council_meeting_from_agenda_to_signed_minutes(page, browser, live_server, axe, people, tmp_path):
    vrag, adjusters = people
    blocked = proposed_initiative(user=vrag, title="Gemensam kompetensplattform")
    supported = proposed_initiative(user=vrag, title="Laddinfrastruktur längs stråken")
    parties = list(Party.objects.active().in_swedish_order())

    log_in(page, "vrag", PASSWORD)
    page.get_by_role("link", name="Sammanträden").first.click()
    axe(page)
    page.get_by_role("link", name="Planera ett sammanträde").click()
    axe(page)
    page.get_by_label("Organ").select_option(label="Värmlandsrådet")
    page.get_by_label("Datum").fill("2026-05-20")
    page.get_by_label("Klockan").fill("09:30")
    page.get_by_label("Plats").fill("Residenset, Karlstad")
    page.get_by_role("button", name="Planera sammanträdet").click()
    page.wait_for_url("**/hantera/")
    axe(page)

    for initiative in (blocked, supported):
        page.get_by_role("combobox", name="Initiativ").select_option(
            label=f"{initiative.registration_number} {initiative.title} (Karlstad)"
        )
        page.get_by_role("button", name="Lägg till initiativet").click()
        page.get_by_text("Initiativet är tillagt på föredragningslistan.").wait_for()
    page.get_by_role("button", name="Publicera kallelsen").click()
    page.get_by_text("Kallelsen är publicerad.").wait_for()
    axe(page)

    for party in parties:
        page.get_by_label(f"{party.name} närvarande").check()
        page.get_by_label(f"Företrädd av ({party.name})").fill(f"Ledamot för {party.name}")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()

    # 16 support and Arvika objects, with its reason: blocked, back to preparation.
    page.get_by_role("link", name=blocked.title).click()
    axe(page)
    page.get_by_label("Ställningstagande: Arvika").select_option("objects")
    page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet").click()
    page.get_by_text("En part som motsätter sig måste ange skälet.").first.wait_for()
    axe(page)
    page.get_by_label("Motivering: Arvika").fill("Satsningen gynnar inte hela länet.")
    page.get_by_label("Åter till beredning").check()
    page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet").click()
    page.get_by_text("Ingen konsensus, blockerat av Arvika").wait_for()

    # All 17 support: consensus with the supported amount.
    page.get_by_role("link", name=supported.title).click()
    page.get_by_label("Belopp som Värmlandsrådet står bakom (kr)").fill("2 000 000")
    page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet").click()
    page.get_by_text("Ärendet är avgjort: Konsensus").wait_for()
    axe(page)

    # The meeting opened with the choice of chair and adjusters (among representatives of parties present).
    page.get_by_role("link", name="Välj ordförande och justerare").click()
    axe(page)
    page.get_by_role("combobox", name="Ordförande").select_option(label="Regina Rådström (Region Värmland)")
    page.get_by_label("Karl Stadén (Karlstad)").check()
    page.get_by_role("button", name="Välj ordförande och justerare").click()
    page.get_by_text("Ordförande och justerare är valda.").wait_for()
    page.get_by_role("button", name="Avsluta sammanträdet").click()
    page.get_by_role("dialog").get_by_role("button", name="Avsluta sammanträdet").click()
    page.get_by_text("Protokollet väntar på justering").wait_for()
    axe(page)
    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.HELD

    for adjuster in adjusters:
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        other = context.new_page()
        log_in(other, adjuster.username, PASSWORD)
        other.goto(f"/sammantraden/{meeting.pk}/")
        axe(other)
        other.get_by_role("button", name="Justera protokollet").click()
        other.get_by_role("dialog").get_by_role("button", name="Justera", exact=True).click()
        other.get_by_text("Du har justerat protokollet.").wait_for()
        axe(other)
        context.close()

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_SIGNED
    blocked.refresh_from_db()
    supported.refresh_from_db()
    assert blocked.status == Status.SUBMITTED and supported.status == Status.SUPPORTED
    assert meeting.items.get(initiative=supported).outcome == Outcome.CONSENSUS

    page.goto(f"/sammantraden/{meeting.pk}/")
    axe(page)
    assert page.get_by_role("button", name="Justera protokollet").count() == 0
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Protokollsutdrag § 3 (PDF)").click()
    path = tmp_path / "utdrag.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(  # noqa: S603 - poppler on a file we wrote
        [shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Rätt utdraget intygar" in text
    assert "Satsningen gynnar inte hela länet." in text
