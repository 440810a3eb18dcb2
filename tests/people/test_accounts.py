"""Accounts: invitations, password reset, approval of single-sign-on accounts, login by e-mail.

Account mail is queued with core.mail in the request's transaction; the tests that read it commit for
real and let the queue's worker deliver it (`run_jobs`)."""

import logging
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from people import services
from people.models import EmailDomain, Invitation, Party, User
from people.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Vänerns-strand-2026"
LINK = re.compile(r"https?://\S+")


def invite(client, headers=None, **data):
    fields = {
        "first_name": "Karin",
        "last_name": "Lund",
        "email": "Karin.Lund@karlstad.se",
        "title": "Utvecklingsstrateg",
        "party": Party.objects.get(slug="karlstad").pk,
        "roles": [Role.INITIATOR],
    } | data
    return client.post(
        reverse("people:person-invite"), {k: v for k, v in fields.items() if v is not None}, headers=headers
    )


def link_in(message) -> str:
    return LINK.search(message.body).group(0)


@pytest.mark.django_db(transaction=True)
def test_an_administrator_invites_a_person_who_gets_a_swedish_mail_with_a_one_time_link(
    client, administrator, run_jobs
):
    client.force_login(administrator)
    response = invite(client)
    assert response.status_code == 302
    person = User.objects.get(email="karin.lund@karlstad.se")
    assert person.username == "karin.lund@karlstad.se"
    assert person.party.slug == "karlstad"
    assert person.role_names == {Role.INITIATOR}
    assert not person.has_usable_password()
    assert person.history.first().history_user == administrator
    invitation = person.invitations.get()
    assert invitation.invited_by == administrator
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    [message] = run_jobs()
    assert message.to == ["karin.lund@karlstad.se"]
    assert message.subject == "DGR: Du är inbjuden till DGR"
    assert "Hej Karin!" in message.body and "Du företräder Karlstad." in message.body
    link = link_in(message)
    assert link.startswith("http://testserver/inbjudan/")
    # The invitation keeps only the token's hash: the link cannot be rebuilt from it. (The queued mail's
    # text keeps the link, which stops working once used, replaced or expired.)
    assert link.rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash


@pytest.mark.django_db(transaction=True)
def test_the_invited_person_sets_a_password_once_and_logs_in_with_the_e_mail_address(
    client, administrator, run_jobs
):
    client.force_login(administrator)
    invite(client)
    [message] = run_jobs()
    link = link_in(message)
    client.logout()

    page = client.get(link)
    assert page.status_code == 200
    assert "Välj ett lösenord för Karin Lund" in page.content.decode()
    assert Invitation.objects.get().accepted_at is None  # a GET changes nothing

    too_short = client.post(link, {"password1": "kort", "password2": "kort"})
    assert too_short.status_code == 400
    assert not User.objects.get(email="karin.lund@karlstad.se").has_usable_password()

    done = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    person = User.objects.get(email="karin.lund@karlstad.se")
    assert person.check_password(NEW_PASSWORD)
    assert Invitation.objects.get().accepted_at is not None
    assert person.emailaddress_set.get().verified

    login = client.post(reverse("login"), {"login": "karin.lund@karlstad.se", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.get(reverse("start")).context["user"] == person

    # The link was used: it never works again.
    client.logout()
    reused = client.get(link)
    assert reused.status_code == 410
    assert "Inbjudan är redan använd" in reused.content.decode()
    again = client.post(link, {"password1": "Annat-lösenord-99", "password2": "Annat-lösenord-99"})
    assert again.status_code == 410
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


@pytest.mark.django_db(transaction=True)
def test_an_expired_invitation_says_so_and_a_new_one_replaces_the_old_link(client, administrator, run_jobs):
    client.force_login(administrator)
    invite(client)
    [first] = run_jobs()
    old_link = link_in(first)
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(days=1)
    )
    expired = client.get(old_link)
    assert expired.status_code == 410
    assert "Länken har gått ut. Be administratören skicka en ny inbjudan." in expired.content.decode()

    listing = client.get(reverse("people:account-list")).content.decode()
    assert "Skicka ny inbjudan till Karin Lund" in listing
    client.post(reverse("people:invitation-resend", args=[invitation.person_id]))
    [second] = run_jobs()
    assert second.to == ["karin.lund@karlstad.se"]
    new_link = link_in(second)
    assert new_link != old_link
    assert "ersatts av en nyare inbjudan" in client.get(old_link).content.decode()
    assert client.get(new_link).status_code == 200
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.history.first().history_user == administrator


@pytest.mark.django_db(transaction=True)
def test_an_invitation_mail_is_queued_with_its_change_and_a_rolled_back_one_mails_nothing(
    client, administrator, karlstad, run_jobs, mailoutbox
):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.person_invite(
            acting_user=administrator,
            first_name="Nils",
            last_name="Nord",
            email="nils.nord@karlstad.se",
            party=karlstad,
            roles=[Role.INITIATOR],
        )
        assert OutgoingMail.objects.filter(recipient="nils.nord@karlstad.se").exists()
        raise RuntimeError("the rest of the change failed")
    assert not User.objects.filter(email="nils.nord@karlstad.se").exists()
    assert not OutgoingMail.objects.exists()
    assert run_jobs() == []

    client.force_login(administrator)
    invite(client)
    assert mailoutbox == []  # the request only queued it: a slow SMTP server does not hold up the page
    queued = OutgoingMail.objects.get()
    assert (queued.recipient, queued.status) == ("karin.lund@karlstad.se", OutgoingMail.Status.WAITING)
    assert queued.subject == "DGR: Du är inbjuden till DGR"
    assert link_in(queued).startswith("http://testserver/inbjudan/")
    [message] = run_jobs()
    assert (message.to, message.subject, message.body) == (
        ["karin.lund@karlstad.se"],
        queued.subject,
        queued.body,
    )
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT


def test_an_unknown_link_changes_nothing(client):
    response = client.post(
        reverse("people:invitation-accept", args=["gissad-token"]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 410
    assert "Länken gäller inte" in response.content.decode()


def test_bad_invitations_are_refused_next_to_the_field_and_create_nothing(client, administrator, initiator):
    client.force_login(administrator)
    taken = invite(client, email=initiator.email.upper())
    assert taken.status_code == 400
    assert "Det finns redan ett konto med den här e-postadressen." in taken.content.decode()
    no_party = invite(client, email="ny@karlstad.se", party="")
    assert "måste tillhöra en part" in no_party.content.decode()
    bad_email = invite(client, email="inte-en-adress")
    assert "Fyll i en giltig e-postadress" in bad_email.content.decode()
    assert not User.objects.filter(email__in=["ny@karlstad.se", "inte-en-adress"]).exists()
    assert not Invitation.objects.exists() and not OutgoingMail.objects.exists()


def test_only_administrators_manage_accounts(client, finance, initiator):
    for user in (finance, initiator):
        client.force_login(user)
        assert client.get(reverse("people:account-list")).status_code == 403
        assert invite(client).status_code == 403
    assert not User.objects.filter(email="karin.lund@karlstad.se").exists()
    with pytest.raises(PermissionDenied):
        services.person_invite(
            acting_user=finance,
            first_name="A",
            last_name="B",
            email="a@b.se",
            party=None,
            roles=[],
        )


def test_the_database_refuses_to_delete_an_invitation(administrator):
    invitation = services.person_invite(
        acting_user=administrator,
        first_name="Karin",
        last_name="Lund",
        email="karin@karlstad.se",
        party=Party.objects.get(slug="karlstad"),
        roles=[Role.INITIATOR],
    )
    with (
        pytest.raises(IntegrityError, match="never deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM people_invitation WHERE id = %s", [invitation.pk])


# --- Password reset --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_password_reset_by_e_mail_works_once(client, initiator, run_jobs):
    login_page = client.get(reverse("login")).content.decode()
    assert "Glömt lösenord?" in login_page
    response = client.post(reverse("account_reset_password"), {"email": initiator.email})
    assert response.status_code == 302
    [message] = run_jobs()
    assert message.to == [initiator.email]
    assert message.subject == "DGR: Nytt lösenord till DGR"
    assert "Ditt användarnamn: karlstad" in message.body
    link = link_in(message)
    assert link.startswith("http://testserver/konto/")
    form = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form.content.decode()
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    initiator.refresh_from_db()
    assert initiator.check_password(NEW_PASSWORD)
    assert client.post(reverse("login"), {"login": "karlstad", "password": NEW_PASSWORD}).status_code == 302

    client.logout()
    reused = client.get(link, follow=True).content.decode()
    assert "Länken för att återställa lösenordet har redan använts eller gått ut" in reused


@pytest.mark.django_db(transaction=True)
def test_mailed_links_use_the_configured_address_not_the_requests_host(
    client, administrator, initiator, settings, run_jobs
):
    """Whoever asks for a reset chooses the request's Host header: a link built from it could point to
    another server and hand over the one-time key. Links come from DGR_BASE_URL only."""
    settings.DGR_BASE_URL = "https://dgr.example.invalid"
    client.post(reverse("account_reset_password"), {"email": initiator.email}, headers={"host": "localhost"})
    client.force_login(administrator)
    invite(client, headers={"host": "127.0.0.1"})
    reset, invitation = sorted(run_jobs(), key=lambda message: message.to[0] != initiator.email)
    assert link_in(reset).startswith("https://dgr.example.invalid/konto/")
    assert link_in(invitation).startswith("https://dgr.example.invalid/inbjudan/")


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, initiator):
    response = client.post(reverse("account_reset_password"), {"email": "okand@example.invalid"}, follow=True)
    assert "Om adressen hör till ett konto i DGR" in response.content.decode()
    assert not OutgoingMail.objects.exists()


# --- Login paths -----------------------------------------------------------------------------------


def test_login_by_e_mail_address_also_works(client, initiator):
    response = client.post(reverse("login"), {"login": initiator.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(initiator.pk)


def test_login_by_e_mail_is_throttled_for_that_person(client, initiator):
    for _ in range(5):
        client.post(reverse("login"), {"login": initiator.email, "password": "fel"})
    locked = client.post(reverse("login"), {"login": initiator.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


# --- Single sign-on: domains and approval -----------------------------------------------------------


def test_the_party_of_an_e_mail_address_comes_from_its_domain(karlstad):
    EmailDomain.objects.create(domain="karlstad.se", party=karlstad)
    assert EmailDomain.objects.party_for("Karin.Lund@Karlstad.SE") == karlstad
    assert EmailDomain.objects.party_for("someone@evil-karlstad.se") is None
    assert EmailDomain.objects.party_for("") is None
    with pytest.raises(IntegrityError), transaction.atomic():
        EmailDomain.objects.create(domain="Arvika.se", party=karlstad)  # upper case refused


def test_an_administrator_edits_the_domain_table_in_the_admin_with_history(client, administrator, karlstad):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:people_emaildomain_add"), {"domain": " Karlstad.se ", "party": karlstad.pk}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    domain = EmailDomain.objects.get()
    assert domain.domain == "karlstad.se"
    assert domain.history.first().history_user == administrator


def test_an_account_awaiting_approval_cannot_be_active(karlstad):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(party=karlstad, awaiting_approval=True, is_active=True)


def test_an_administrator_approves_an_sso_account_with_party_and_roles(client, administrator, karlstad):
    person = UserFactory(
        username="karin.lund@karlstad.se", party=karlstad, awaiting_approval=True, is_active=False
    )
    client.force_login(administrator)
    listing = client.get(reverse("people:account-list")).content.decode()
    assert "Väntar på godkännande" in listing and person.email in listing
    refused = client.post(
        reverse("people:person-approve", args=[person.pk]),
        {f"p{person.pk}-party": "", f"p{person.pk}-roles": [Role.INITIATOR]},
    )
    assert refused.status_code == 400
    assert "måste tillhöra en part" in refused.content.decode()
    person.refresh_from_db()
    assert not person.is_active

    response = client.post(
        reverse("people:person-approve", args=[person.pk]),
        {f"p{person.pk}-party": karlstad.pk, f"p{person.pk}-roles": [Role.INITIATOR]},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active and not person.awaiting_approval
    assert person.role_names == {Role.INITIATOR}
    latest = person.history.first()
    assert latest.history_user == administrator and latest.history_change_reason == "approved"
    with pytest.raises(ValidationError):
        services.person_approve(acting_user=administrator, person=person, party=karlstad, roles=[])


@pytest.mark.django_db(transaction=True)
def test_an_expired_reset_link_says_so_and_changes_nothing(client, initiator, settings, run_jobs):
    client.post(reverse("account_reset_password"), {"email": initiator.email})
    [message] = run_jobs()
    link = link_in(message)
    settings.PASSWORD_RESET_TIMEOUT = -1  # the day has passed
    page = client.get(link, follow=True)
    assert "Länken för att återställa lösenordet har redan använts eller gått ut" in page.content.decode()
    client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    initiator.refresh_from_db()
    assert initiator.check_password(PASSWORD)


def test_a_forged_single_sign_on_callback_is_refused_in_swedish_and_logged(client, settings, caplog):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Värmlands konto",
                    "client_id": "dgr",
                    "secret": "hemligt",
                    "settings": {"server_url": "https://idp.example.invalid"},
                }
            ]
        }
    }
    assert "Logga in med Värmlands konto" in client.get(reverse("login")).content.decode()
    with caplog.at_level(logging.WARNING, logger="dgr.security"):
        response = client.get("/konto/oidc/sso/login/callback/?code=stulen&state=gissad")
    assert "Inloggningen misslyckades" in response.content.decode()
    assert "_auth_user_id" not in client.session
    [failure] = [r.security for r in caplog.records if r.name == "dgr.security" and r.security.get("method")]
    assert (failure["event"], failure["method"], failure["provider"]) == ("login_failed", "sso", "sso")
