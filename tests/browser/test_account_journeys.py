"""Account journeys in the browser: an invitation, a forgotten password, two-factor enrolment and login."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache

from people.models import Party, User
from people.roles import Role
from tests.browser.conftest import START_PAGE, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Frykensjön-2026-lösen"
LINK = re.compile(r"https?://\S+")


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_an_administrator_invites_a_person_who_sets_a_password_and_logs_in(
    page, browser, live_server, axe, run_jobs, settings
):
    settings.DGR_BASE_URL = live_server.url  # the address people reach DGR at: the mail's links use it
    UserFactory(username="admin", party=None, roles=[Role.ADMINISTRATOR], is_staff=True)
    log_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Konton").first.click()
    axe(page)
    page.get_by_role("link", name="Bjud in en person").click()
    page.get_by_role("button", name="Skicka inbjudan").click()
    assert page.locator(".field--error").count() >= 3  # name, e-mail: each next to its field
    axe(page)
    page.get_by_label("Förnamn").fill("Anna")
    page.get_by_label("Efternamn").fill("Säll")
    page.get_by_label("E-postadress").fill("anna.sall@saffle.se")
    page.get_by_label("Part").select_option(label="Säffle")
    page.get_by_label("Initiativtagare").check()
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.wait_for_selector(".alert--success")
    assert "Inbjudan är skickad till anna.sall@saffle.se" in page.locator(".messages").inner_text()
    assert "Anna Säll" in page.locator("table").inner_text()
    axe(page)

    [message] = run_jobs()  # the queue's worker delivers what the invitation queued
    assert message.to == ["anna.sall@saffle.se"]
    link = LINK.search(message.body).group(0)
    assert link.startswith(f"{live_server.url}/inbjudan/")
    person_context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    person = person_context.new_page()
    person.goto(link)
    assert "Välj ett lösenord för Anna Säll" in person.locator("main").inner_text()
    axe(person)
    person.get_by_label("Nytt lösenord").fill("123")
    person.get_by_label("Upprepa lösenordet").fill("123")
    person.get_by_role("button", name="Spara lösenordet").click()
    assert person.locator(".field--error").count() >= 1
    axe(person)
    person.get_by_label("Nytt lösenord").fill(NEW_PASSWORD)
    person.get_by_label("Upprepa lösenordet").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Spara lösenordet").click()
    person.wait_for_url("**/logga-in/")
    assert "Lösenordet är sparat" in person.locator(".messages").inner_text()
    axe(person)
    log_in(person, "anna.sall@saffle.se", NEW_PASSWORD)
    assert "Du företräder Säffle" in person.locator("main").inner_text()
    person.get_by_role("button", name="Logga ut").click()

    # The link is used up.
    person.goto(link)
    assert "Inbjudan är redan använd" in person.locator("main").inner_text()
    axe(person)
    person_context.close()
    assert User.objects.get(email="anna.sall@saffle.se").party == Party.objects.get(slug="saffle")


def test_a_forgotten_password_is_reset_from_the_mailed_link_once(
    page, live_server, axe, initiator, run_jobs, settings
):
    settings.DGR_BASE_URL = live_server.url
    page.goto("/logga-in/")
    page.get_by_role("link", name="Glömt lösenord?").click()
    axe(page)
    page.get_by_label("E-post").fill(initiator.email)
    page.get_by_role("button", name="Skicka länken").click()
    page.wait_for_selector("text=Kolla din e-post")
    axe(page)

    [message] = run_jobs()
    assert message.to == [initiator.email]
    link = LINK.search(message.body).group(0)
    assert link.startswith(f"{live_server.url}/konto/")
    page.goto(link)
    page.wait_for_selector("text=Välj nytt lösenord")
    axe(page)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_selector("text=Lösenordet är bytt")
    axe(page)
    log_in(page, "karlstad", NEW_PASSWORD)
    page.get_by_role("button", name="Logga ut").click()

    page.goto(link)
    assert "redan använts eller gått ut" in page.locator("main").inner_text()
    axe(page)


def test_finance_is_made_to_enrol_an_authenticator_app_and_then_logs_in_with_a_code(
    page, axe, finance, settings
):
    settings.DGR_REQUIRE_MFA = True
    cache.clear()
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("ekonomi")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/2fa/")
    assert "Din roll kräver tvåstegsverifiering" in page.locator(".messages").inner_text()
    axe(page)
    page.goto("/ekonomi/")  # nothing else opens before a second factor exists
    page.wait_for_url("**/konto/2fa/")

    page.get_by_role("link", name="Aktivera").first.click()
    if "/reauthenticate/" in page.url:  # allauth asks for the password again before a change
        axe(page)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Verifiera").click()
    page.wait_for_url("**/konto/2fa/totp/activate/")
    axe(page)
    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Autentiseringskod").fill("000000")
    page.get_by_role("button", name="Aktivera").click()
    assert page.locator(".errorlist").count() == 1
    page.get_by_label("Autentiseringskod").fill(totp_code(secret))
    page.get_by_role("button", name="Aktivera").click()
    page.wait_for_url(re.compile(r".*/konto/2fa/(recovery-codes/)?$"))
    axe(page)
    page.goto("/")
    assert "Ekonomi (Region Värmland)" in page.locator("main").inner_text()
    page.get_by_role("button", name="Logga ut").click()

    # The next login asks for the code. A code counts once: the test's codes share one 30-second window.
    cache.clear()
    page.get_by_label("Användarnamn").fill("ekonomi")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/2fa/authenticate/")
    axe(page)
    page.get_by_label("Kod").fill("111111")
    page.get_by_role("button", name="Logga in").click()
    assert "Fel kod" in page.locator("main").inner_text()
    axe(page)
    page.get_by_label("Kod").fill(totp_code(secret))
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(START_PAGE)
    page.get_by_role("link", name="Mitt konto").click()
    assert "Aktiverad" in page.locator("main").inner_text()
    axe(page)


def test_an_administrator_adds_a_security_key_and_logs_in_with_it(page, axe, administrator, settings):
    """WebAuthn for real: Chromium's virtual authenticator answers the browser's credential requests."""
    settings.DGR_REQUIRE_MFA = True
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the live server is http://localhost
    cache.clear()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("admin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/2fa/")
    page.get_by_role("link", name="Lägg till").click()
    if "/reauthenticate/" in page.url:
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Verifiera").click()
    page.wait_for_url("**/konto/2fa/webauthn/add/")
    axe(page)
    page.locator("#id_name").fill("Nyckel i plånboken")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(re.compile(r".*/konto/2fa/(recovery-codes/|webauthn/)?$"))
    page.goto("/")
    assert "Administratör" in page.locator("main").inner_text()
    page.get_by_role("button", name="Logga ut").click()

    page.get_by_label("Användarnamn").fill("admin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.get_by_role("button", name="Använd säkerhetsnyckel").click()
    page.wait_for_url(START_PAGE)
    assert "Administratör" in page.locator("main").inner_text()
