"""Changes after the decision (ändringsbegäran) in the browser: more money asked for by the party, taken
through VRAU and Värmlandsrådet, decided by Region Värmland as an amendment of the first decision and
committed by finance; and a longer period decided by the region alone. axe-core on every page visited."""

import datetime
import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from accounting import services
from accounting.models import Decision
from council.models import Body
from initiatives.models import ChangeRequest, ChangeStatus, Initiative
from people.models import Party
from tests.accounting.factories import decide, make_fund, supported_initiative
from tests.browser.conftest import log_in
from tests.council.factories import MeetingFactory
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def running(finance, karlstad, initiator):
    """A decided initiative running 2026–2027 with 2 MSEK committed for 2026."""
    fund = make_fund(finance)
    for part in fund.capital_parts.all():
        services.capital_add(
            capital_part=part,
            amount=Decimal("10000000"),
            booking_date=date(2026, 1, 1),
            text="Ingående kapital",
            user=finance,
        )
    initiative = supported_initiative(party=karlstad, user=initiator, title="Cykelstråk i Värmland")
    decision = decide(fund=fund, initiative=initiative, user=finance)
    services.commitment_create(
        decision=decision,
        shares=[services.Share(fund.capital_parts.get(number=1), Decimal("2000000.00"), 2026)],
        booking_date=date(2026, 2, 10),
        text="Beviljat",
        user=finance,
    )
    Initiative.objects.filter(pk=initiative.pk).update(
        start_date=date(2026, 3, 1), end_date=date(2027, 12, 31)
    )
    return Initiative.objects.get(pk=initiative.pk), decision


def switch_user(page, username):
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def ask_for_change(page, axe, initiative, kind, fill):
    page.goto(initiative.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Begär en ändring").click()
    axe(page)
    page.get_by_label(kind).check()
    page.get_by_label("Skäl till ändringen").fill("Kommunerna vill bygga ut stråket till fler orter.")
    fill(page)
    page.get_by_role("button", name="Lämna in ändringsbegäran").click()
    page.get_by_text("Ändringsbegäran är inlämnad.").wait_for()
    axe(page)


def meeting(slug, day, secretariat):
    return MeetingFactory(
        body=Body.objects.get(slug=slug),
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30))),
        created_by=secretariat,
    )


def put_on_agenda(page, axe, meeting_pk, change):
    page.goto(f"/sammantraden/{meeting_pk}/hantera/")
    axe(page)
    page.get_by_role("combobox", name="Ändringsbegäran").select_option(index=0)
    page.get_by_role("button", name="Lägg till ändringsbegäran").click()
    page.get_by_text("Ändringsbegäran är tillagd på föredragningslistan.").wait_for()
    page.get_by_role("button", name="Publicera kallelsen").click()
    page.get_by_text("Kallelsen är publicerad.").wait_for()
    axe(page)


def test_more_money_through_vrau_and_varmlandsradet_to_the_regions_decision_and_a_commitment(
    page, axe, running, initiator, secretariat, finance
):
    initiative, first = running
    vrau = meeting("vrau", date(2026, 3, 5), secretariat)
    vr = meeting("varmlandsradet", date(2026, 3, 12), secretariat)

    log_in(page, "karlstad", PASSWORD)
    ask_for_change(
        page, axe, initiative, "Utökad finansiering", lambda p: p.get_by_label("Belopp (kr)").fill("800 000")
    )
    change = ChangeRequest.objects.get()

    # VRAU: the secretariat puts it on the agenda; the basis names it; VRAU proposes the amount.
    switch_user(page, "vrag")
    page.get_by_text("Ändringsbegäranden att ta upp i VRAU").first.wait_for()
    axe(page)
    put_on_agenda(page, axe, vrau.pk, change)
    page.get_by_role("link", name=re.compile("^Ändringsbegäran: utökad finansiering")).first.click()
    page.get_by_role("heading", name="Ändringsbegäran: utökad finansiering", exact=True).wait_for()
    axe(page)
    page.get_by_label("Föreslaget belopp (kr)").fill("800 000")
    page.get_by_label("VRAU:s förslag till Värmlandsrådet").fill(
        "VRAU föreslår att Värmlandsrådet står bakom."
    )
    page.get_by_role("button", name="Registrera förslaget").click()
    page.get_by_text(
        "VRAU föreslår att Värmlandsrådet står bakom den utökade finansieringen"
    ).first.wait_for()
    axe(page)

    # Värmlandsrådet: every party present and behind it — consensus on the change request.
    put_on_agenda(page, axe, vr.pk, change)
    for party in Party.objects.active().in_swedish_order():
        page.get_by_label(f"{party.name} närvarande").check()
        page.get_by_label(f"Företrädd av ({party.name})").fill(f"Ledamot för {party.name}")
    page.get_by_role("button", name="Spara närvaron").click()
    page.get_by_text("Närvaron är sparad.").wait_for()
    page.get_by_role("link", name=re.compile("^Ändringsbegäran: utökad finansiering")).first.click()
    axe(page)
    page.get_by_label("Belopp som Värmlandsrådet står bakom (kr)").fill("800 000")
    page.get_by_role("button", name="Registrera ställningstagandena och räkna fram utfallet").click()
    page.get_by_text("Ärendet är avgjort: Konsensus").wait_for()
    axe(page)
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUPPORTED

    # Region Värmland decides, amending the first decision; finance commits the extra amount.
    switch_user(page, "ekonomi")
    page.get_by_role("link", name=re.compile("Ändringsbegäran 1: Utökad finansiering")).first.click()
    axe(page)
    page.get_by_role("combobox", name="Beslutsfattare", exact=True).select_option("board")
    page.get_by_label("Beslutsfattarens namn").fill("Regionstyrelsen")
    page.get_by_label("Beslutsdatum").fill("2026-03-20")
    page.get_by_label("Beslutsnummer eller paragraf").fill("RS 2026/55 § 2")
    page.get_by_label("Beviljat belopp (kr)").fill("800 000")
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("om ändringsbegäran är registrerat").wait_for()
    axe(page)
    page.get_by_role("link", name=first.reference).wait_for()  # the decision it amends
    page.get_by_role("link", name="Bevilja medel").click()
    page.get_by_label("Kapitaldel, rad 1").select_option(index=2)
    page.get_by_label("Belopp, rad 1 (kr)").fill("800 000")
    axe(page)
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("Bokfört som verifikation").wait_for()
    axe(page)
    extra = Decision.objects.get(change_request=change)
    assert extra.amends == first and services.decision_committed(extra) == Decimal("800000.00")

    # The party reads the outcome and the whole trail.
    switch_user(page, "karlstad")
    page.goto(change.get_absolute_url())
    page.get_by_text("Beviljad av Region Värmland").first.wait_for()
    page.get_by_text("Värmlandsrådets arbetsutskott: Förslag till Värmlandsrådet").wait_for()
    page.get_by_text("Värmlandsrådet: Konsensus").wait_for()
    page.get_by_text(re.compile("Region Värmlands beslut RS 2026/55 § 2")).wait_for()
    axe(page)
    # The initiative's page shows the change with its own trail, next to the first decision's money.
    page.goto(initiative.get_absolute_url())
    row = page.get_by_role("region", name="Ändringar efter beslutet").get_by_role("row").nth(1)
    row.get_by_role("link", name="Värmlandsrådet: Konsensus").wait_for()
    row.get_by_role("link", name="RS 2026/55 § 2").wait_for()
    axe(page)


def test_a_longer_period_decided_by_region_varmland(page, axe, running, initiator, finance):
    initiative, _first = running
    log_in(page, "karlstad", PASSWORD)
    ask_for_change(
        page,
        axe,
        initiative,
        "Förlängd period",
        lambda p: p.get_by_label("Nytt slutdatum").fill("2028-06-30"),
    )
    change = ChangeRequest.objects.get()

    switch_user(page, "ekonomi")
    page.goto(change.get_absolute_url())
    axe(page)
    page.get_by_role("link", name="Registrera Region Värmlands beslut").click()
    axe(page)
    page.get_by_role("combobox", name="Beslutsfattare", exact=True).select_option("board")
    page.get_by_label("Beslutsfattarens namn").fill("Regionstyrelsen")
    page.get_by_label("Beslutsdatum").fill("2026-04-01")
    page.get_by_label("Beslutsnummer eller paragraf").fill("RS 2026/40 § 3")
    page.get_by_role("button", name="Bokför").click()
    page.get_by_text("om ändringsbegäran är registrerat").wait_for()
    axe(page)

    switch_user(page, "karlstad")
    page.goto(initiative.get_absolute_url())
    page.get_by_text("Beviljad av Region Värmland").wait_for()
    page.get_by_text("2028-06-30").first.wait_for()
    axe(page)
    initiative.refresh_from_db()
    assert initiative.end_date == date(2028, 6, 30)
