"""The bodies' members in the browser: the secretariat keeps the member list (a wrong entry explained
next to its field), opens a meeting for stances in advance, and a member of Värmlandsrådet enters their
own party's stance per capsulam. axe-core on every page visited."""

import datetime

import pytest
from django.utils import timezone

from council import services
from council.membership import membership_add
from council.models import Membership, MembershipRole, RulesOfProcedure, Stance, StanceKind
from people.models import Party
from people.roles import Role
from tests.browser.conftest import log_in
from tests.council.factories import MeetingFactory, body, proposed_initiative
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def vrag():
    return UserFactory(
        username="vrag",
        first_name="Vera",
        last_name="Ragnarsson",
        party=Party.objects.get(slug="region"),
        roles=[Role.SECRETARIAT],
    )


def test_the_secretariat_keeps_the_member_list(page, axe, vrag):
    karlstad = Party.objects.get(slug="karlstad")
    UserFactory(first_name="Karl", last_name="Stadén", party=karlstad, roles=[Role.COUNCIL_REPRESENTATIVE])
    log_in(page, "vrag", PASSWORD)
    page.get_by_role("link", name="Ledamöter").first.click()
    page.wait_for_url("**/ledamoter/varmlandsradet/")
    axe(page)

    # Karl belongs to Karlstad, not Arvika: refused next to the field, nothing stored.
    page.get_by_label("Part").select_option(label="Arvika")
    page.get_by_label("Person").select_option(label="Karl Stadén (Karlstad)")
    page.get_by_label("Ordinarie ledamot").check()
    page.get_by_label("Från").fill("2026-01-01")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.get_by_text("Karl Stadén tillhör inte Arvika.", exact=True).wait_for()
    axe(page)
    assert not Membership.objects.exists()

    page.get_by_label("Part").select_option(label="Karlstad")
    page.get_by_role("button", name="Lägg till", exact=True).click()
    page.get_by_text("Ledamoten är tillagd.").wait_for()
    axe(page)
    row = page.get_by_role("row", name="Karl Stadén")
    assert "Ordinarie ledamot" in row.inner_text() and "tills vidare" in row.inner_text()

    karl = page.get_by_role("row", name="Karl Stadén")
    # Ending the term before it began is refused; then it ends on the last day of the year.
    karl.get_by_label("Sista dag").fill("2025-12-31")
    karl.get_by_role("button", name="Avsluta").click()
    page.get_by_text("Mandatperioden kan inte sluta före den börjar (2026-01-01).").wait_for()
    axe(page)
    karl.get_by_label("Sista dag").fill("2026-12-31")
    karl.get_by_role("button", name="Avsluta").click()
    page.get_by_text("Mandatperioden är avslutad.").wait_for()
    axe(page)
    assert Membership.objects.get().ends_on == datetime.date(2026, 12, 31)
    assert "2026-01-01 – 2026-12-31" in page.get_by_role("row", name="Karl Stadén").inner_text()


def test_a_member_enters_their_party_s_stance_per_capsulam(page, browser, live_server, axe, vrag):
    karlstad = Party.objects.get(slug="karlstad")
    RulesOfProcedure.objects.create(
        body=body("varmlandsradet"),
        version=2,
        valid_from=datetime.date(2026, 1, 1),
        per_capsulam_allowed=True,
    )
    member = UserFactory(
        username="vr-karlstad",
        first_name="Karl",
        last_name="Stadén",
        party=karlstad,
        roles=[Role.COUNCIL_REPRESENTATIVE],
    )
    membership_add(
        body=body("varmlandsradet"),
        party=karlstad,
        person=member,
        role=MembershipRole.ORDINARY,
        starts_on=datetime.date(2026, 1, 1),
        user=vrag,
    )
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=7), created_by=vrag)
    initiative = proposed_initiative(user=vrag, title="Laddinfrastruktur längs stråken")
    services.item_add(meeting=meeting, user=vrag, initiative=initiative)
    services.meeting_publish_agenda(meeting=meeting, user=vrag)

    # The secretariat opens the meeting for stances in advance.
    log_in(page, "vrag", PASSWORD)
    page.goto(f"/sammantraden/{meeting.pk}/")
    page.get_by_role("link", name="Tid, plats och kallelse").click()
    axe(page)
    page.get_by_label(
        "Ledamöterna får lämna sin parts ställningstagande före sammanträdet (per capsulam)"
    ).check()
    page.get_by_role("button", name="Spara inställningen").click()
    page.get_by_text("Inställningen är sparad.").wait_for()
    axe(page)

    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    other = context.new_page()
    log_in(other, "vr-karlstad", PASSWORD)
    other.goto(f"/sammantraden/{meeting.pk}/")
    axe(other)
    other.get_by_role("link", name="Lämna ställningstagande").click()
    axe(other)
    other.get_by_label("Motsätter sig").check()
    other.get_by_role("button", name="Registrera ställningstagandet").click()
    other.get_by_text("En part som motsätter sig måste ange skälet.", exact=True).wait_for()
    axe(other)
    assert not Stance.objects.exists()
    other.get_by_label("Avstår").check()
    other.get_by_role("button", name="Registrera ställningstagandet").click()
    other.get_by_text("Ställningstagandet för Karlstad är registrerat.").wait_for()
    axe(other)
    assert (
        "Avstår" in other.get_by_role("region", name="Ställningstaganden i förväg för Karlstad").inner_text()
    )
    context.close()
    stance = Stance.objects.get()
    assert (stance.party, stance.kind, stance.recorded_by, stance.in_advance) == (
        karlstad,
        StanceKind.STANDS_ASIDE,
        member,
        True,
    )
