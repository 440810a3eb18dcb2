"""Single sign-on end to end against a real OpenID Connect provider (django-oauth-toolkit in OIDC mode,
its own server process and database: tests/oidc_provider/). Nothing of the protocol is mocked: DGR
discovers the provider, sends the browser there, exchanges the code with PKCE and checks the signed
ID token against the provider's published keys.

DGR runs on `localhost`, the provider on `127.0.0.1`: two host names keep their cookies apart."""

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group

from dgr.settings import oidc_origin
from people import services
from people.models import EmailDomain, Party, User
from people.roles import Role
from tests.browser.conftest import START_PAGE, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
CLIENT_ID = "dgr-test"
CLIENT_SECRET = "dgr-test-secret-0123456789"
PROVIDER_PASSWORD = "leverantorens-losenord-1"
NEW_PASSWORD = "Klarälven-2026-lösen"
# username at the provider, e-mail, first and last name
NEW_PERSON = ("karin", "karin.lund@karlstad.se", "Karin", "Lund")
KNOWN_PERSON = ("erik", "erik.ek@regionvarmland.se", "Erik", "Ek")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """The provider as a server process, knowing DGR's exact redirect URI (the live server's port)."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    people = ";".join(
        f"{username}:{PROVIDER_PASSWORD}:{email}:{first}:{last}"
        for username, email, first, last in (NEW_PERSON, KNOWN_PERSON)
    )
    env = {
        **os.environ,
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_ISSUER": issuer,
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URI": f"{live_server.url}/konto/oidc/sso/login/callback/",
        "OIDC_TEST_PEOPLE": people,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    discovery = f"{issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(discovery, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the test OpenID Connect provider did not start:\n" + process.stderr.read().decode())
        time.sleep(0.3)
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider):
    """DGR configured as the README says (DGR_OIDC_* become this setting)."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Värmlands konto",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": oidc_provider},
                }
            ],
        }
    }
    # The login form posts to DGR, which redirects to the provider: the CSP must allow that target.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], oidc_origin(oidc_provider)]}
    }
    EmailDomain.objects.create(domain="karlstad.se", party=Party.objects.get(slug="karlstad"))
    EmailDomain.objects.create(domain="regionvarmland.se", party=Party.objects.get(slug="region"))


# A sign-in through the provider is three requests and a server-to-server token exchange on the same
# live server: on two shared cores under the parallel suite it has taken more than the default 10 s.
SSO_ROUND_TRIP_MS = 30_000


def sign_in_through_the_provider(page, username):
    page.goto("/logga-in/")
    page.get_by_role("button", name="Logga in med Värmlands konto").click()
    page.wait_for_url("http://127.0.0.1:*/login/**", timeout=SSO_ROUND_TRIP_MS)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()


def test_an_unknown_person_gets_an_inactive_account_that_an_administrator_approves(
    page, browser, live_server, axe, sso, caplog, settings, run_jobs
):
    administrator = UserFactory(username="admin", roles=[Role.ADMINISTRATOR], is_staff=True)
    settings.DGR_BASE_URL = live_server.url  # the mail's link to the accounts page uses it

    sign_in_through_the_provider(page, "karin")
    page.wait_for_url("**/konto/inactive/", timeout=SSO_ROUND_TRIP_MS)
    assert "väntar ditt DGR-konto på att en administratör godkänner det" in page.locator("main").inner_text()
    axe(page)
    person = User.objects.get(email="karin.lund@karlstad.se")
    assert not person.is_active and person.awaiting_approval
    assert (person.first_name, person.last_name, person.party.slug) == ("Karin", "Lund", "karlstad")
    assert not person.has_usable_password()
    assert person.history.first().history_change_reason == "single sign-on: väntar på godkännande"
    [notice] = [m for m in run_jobs() if m.to == [administrator.email]]
    assert notice.subject == "DGR: Konto att godkänna: Karin Lund"
    assert f"{live_server.url}/konton/" in notice.body

    admin_context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    admin_page = admin_context.new_page()
    log_in(admin_page, "admin", PASSWORD)
    admin_page.get_by_role("link", name="Konton").first.click()
    axe(admin_page)
    card = admin_page.locator("section.card", has_text="karin.lund@karlstad.se")
    assert card.get_by_label("Part").input_value() == str(person.party_id)  # from the domain table
    card.get_by_label("Initiativtagare").check()
    card.get_by_role("button", name="Godkänn kontot").click()
    admin_page.wait_for_selector(".alert--success")
    assert "Inga konton väntar på godkännande." in admin_page.locator("main").inner_text()
    admin_context.close()
    person.refresh_from_db()
    assert person.is_active and person.role_names == {Role.INITIATOR}
    assert person.history.first().history_user == administrator

    # The person signs in again: the provider remembers them, DGR lets them in with their party.
    with caplog.at_level(logging.INFO, logger="dgr.security"):
        page.goto("/logga-in/")
        page.get_by_role("button", name="Logga in med Värmlands konto").click()
        page.wait_for_url(START_PAGE, timeout=SSO_ROUND_TRIP_MS)
    assert "Du företräder Karlstad" in page.locator("main").inner_text()
    axe(page)
    logins = [
        r.security for r in caplog.records if r.name == "dgr.security" and r.security["event"] == "login"
    ]
    assert (person.username, "1780") in [(e["user"], e["party"]) for e in logins]

    # Given a finance role, she must add a second factor; with no password in DGR, her SSO login is
    # what confirms it is her.
    settings.DGR_REQUIRE_MFA = True
    person.groups.add(Group.objects.get(name=Role.FINANCE))
    page.goto("/")
    page.wait_for_url("**/konto/2fa/")
    page.get_by_role("link", name="Aktivera").first.click()
    page.wait_for_url("**/konto/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Autentiseringskod").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Aktivera").click()
    page.wait_for_selector("text=Autentiseringsapp aktiverad")
    page.goto("/")
    assert "Ekonomi (Region Värmland)" in page.locator("main").inner_text()


def test_an_invited_person_of_a_listed_domain_lands_in_their_own_account(page, sso, run_jobs):
    administrator = UserFactory(username="admin", roles=[Role.ADMINISTRATOR])
    services.person_invite(
        acting_user=administrator,
        first_name="Erik",
        last_name="Ek",
        email="erik.ek@regionvarmland.se",
        party=Party.objects.get(slug="region"),
        roles=[Role.FINANCE],
    )
    [invitation] = run_jobs()
    token = invitation.body.split("/inbjudan/")[1].split("/")[0]
    erik = services.invitation_accept(token=token, password=NEW_PASSWORD)

    sign_in_through_the_provider(page, "erik")
    page.wait_for_url(START_PAGE, timeout=SSO_ROUND_TRIP_MS)
    assert "Välkommen, Erik" in page.locator("h1").inner_text()
    assert User.objects.filter(email__iexact="erik.ek@regionvarmland.se").count() == 1
    assert erik.socialaccount_set.get().provider == "sso"
    # The address was proven by the invitation, so the password stays: both ways in work.
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, "erik.ek@regionvarmland.se", NEW_PASSWORD)
