"""Protocol integrity as the secretariat lives it (issue 12, items 3 and 5): a Värmlandsrådet meeting
with one party absent warns before recording; the 'ej beslutbart' recording is annulled, the attendance
reopened and put right, the item recorded again; the chair and the adjuster each sign; the minutes PDF
names who signed and when. axe-core on every page visited."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from council import services
from council.models import AgendaItem, Meeting, MeetingStatus, Outcome
from initiatives.models import BudgetYear, Preparation, Status
from people.models import Party
from people.roles import Role
from tests.browser.conftest import log_in
from tests.council.factories import MeetingFactory, proposed_initiative, seat
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_absent_party_warning_annul_reopen_record_again_and_sign(page, browser, live_server, axe, tmp_path):
    region, karlstad = Party.objects.get(slug="region"), Party.objects.get(slug="karlstad")
    vrag = UserFactory(
        username="vrag", first_name="Vera", last_name="Ragnarsson", party=region, roles=[Role.SECRETARIAT]
    )
    chair = UserFactory(
        username="vr-region",
        first_name="Regina",
        last_name="Rådström",
        party=region,
        roles=[Role.COUNCIL_REPRESENTATIVE],
    )
    adjuster = UserFactory(
        username="vr-karlstad",
        first_name="Karl",
        last_name="Stadén",
        party=karlstad,
        roles=[Role.COUNCIL_REPRESENTATIVE],
    )
    for person in (chair, adjuster):  # chair and adjusters are chosen among the body's members
        seat(person, "varmlandsradet")
    initiative = proposed_initiative(
        user=vrag, title="Laddinfrastruktur längs stråken", summary="Laddplatser i hela länet."
    )
    BudgetYear.objects.create(
        initiative=initiative,
        year=2026,
        total_cost=Decimal("3000000.00"),
        requested_amount=Decimal("2500000.00"),
    )
    Preparation.objects.create(
        initiative=initiative,
        assessment="Gäller hela Värmland.",
        proposed_position="support",
        proposed_amount=Decimal("2500000.00"),
        prepared_by=vrag,
    )
    meeting = MeetingFactory(created_by=vrag)
    services.item_add(meeting=meeting, user=vrag, initiative=initiative)
    services.meeting_publish_agenda(meeting=meeting, user=vrag)
    parties = list(Party.objects.active().in_swedish_order())

    log_in(page, "vrag", PASSWORD)
    page.goto(f"/sammantraden/{meeting.pk}/hantera/")
    axe(page)
    for party in parties:
        if party.slug == "eda":
            continue
        page.get_by_label(f"{party.name} närvarande").check()
        page.get_by_label(f"Företrädd av ({party.name})").fill(f"Ledamot för {party.name}")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()

    # The item page: the basis, and the warning before anything is recorded.
    page.get_by_role("link", name=initiative.title).click()
    page.get_by_text("16 av 17 parter närvarande – beslut kan inte fattas.").wait_for()
    assert page.get_by_text("Laddplatser i hela länet.").is_visible()
    assert page.get_by_text("Gäller hela Värmland.").is_visible()
    axe(page)
    record = page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet")
    record.click()
    page.get_by_text("Kryssa i att ärendet registreras som ej beslutbart").first.wait_for()
    assert AgendaItem.objects.get().outcome == ""  # refused: nothing recorded
    axe(page)
    page.get_by_label("Registrera ändå som ej beslutbart om för få parter deltar").check()
    page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet").click()
    page.get_by_text("Ärendet är avgjort: Ej beslutbart").wait_for()

    # The attendance is fixed now; the wrong recording is annulled, the attendance reopened and put right.
    page.get_by_text("Närvaron är fastställd").wait_for()
    axe(page)
    page.get_by_role("link", name="Annullera").click()
    axe(page)
    page.get_by_role("button", name="Annullera registreringen").click()
    page.get_by_text("Detta fält måste fyllas i.").or_(
        page.get_by_text("This field is required.")
    ).first.wait_for()
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
    page.get_by_label("Eda närvarande").check()
    page.get_by_label("Företrädd av (Eda)").fill("Ledamot för Eda")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()
    axe(page)

    # Recorded again, with all 17: the amount starts from VRAG's proposed amount.
    page.get_by_role("link", name=initiative.title).click()
    page.get_by_text("17 parter närvarande, 17 krävs – beslut kan fattas.").wait_for()
    assert (
        page.get_by_label("Belopp som Värmlandsrådet står bakom (kr)").input_value() == "2\xa0500\xa0000,00"
    )
    page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet").click()
    page.get_by_text("Ärendet är avgjort: Konsensus").wait_for()

    page.get_by_role("link", name="Välj ordförande och justerare").click()
    page.get_by_role("combobox", name="Ordförande").select_option(label="Regina Rådström (Region Värmland)")
    page.get_by_label("Karl Stadén (Karlstad)").check()
    page.get_by_role("button", name="Välj ordförande och justerare").click()
    page.get_by_text("Ordförande och justerare är valda.").wait_for()
    page.get_by_role("button", name="Avsluta sammanträdet").click()
    page.get_by_role("dialog").get_by_role("button", name="Avsluta sammanträdet").click()  # confirmed
    page.get_by_text("Protokollet väntar på justering").wait_for()
    axe(page)
    # The annulled recording is shown as annulled, beside the item recorded in its place.
    assert page.get_by_text("Annullerad registrering").is_visible()

    for person in (chair, adjuster):
        context = browser.new_context(base_url=live_server.url, locale="sv-SE")
        other = context.new_page()
        log_in(other, person.username, PASSWORD)
        other.goto(f"/sammantraden/{meeting.pk}/")
        axe(other)
        other.get_by_role("button", name="Justera protokollet").click()
        other.get_by_role("dialog").get_by_role("button", name="Justera", exact=True).click()
        other.get_by_text("Du har justerat protokollet.").wait_for()
        context.close()

    meeting = Meeting.objects.get()
    assert meeting.status == MeetingStatus.MINUTES_SIGNED
    initiative.refresh_from_db()
    assert initiative.status == Status.SUPPORTED
    assert [i.outcome for i in meeting.items.order_by("pk")] == [Outcome.NOT_DECIDABLE, Outcome.CONSENSUS]

    page.goto(f"/sammantraden/{meeting.pk}/")
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Protokoll (PDF)").click()
    path = tmp_path / "protokoll.pdf"
    download_info.value.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "§ 1 Val av ordförande" in text and "§ 2 Val av justerare" in text
    assert re.search(
        r"Ordförande: Regina Rådström, Region Värmland Justerat i DGR \d{4}-\d\d-\d\d \d\d:\d\d", text
    )
    assert re.search(r"Justerare: Karl Stadén, Karlstad Justerat i DGR \d{4}-\d\d-\d\d \d\d:\d\d", text)
    assert "står bakom initiativet med 2 500 000,00 kr" in text.replace("\xa0", " ")
    assert "Ej beslutbart" not in text  # the annulled recording is not among the decisions
    assert text.count("står bakom initiativet med") == 1  # no decision text repeated
