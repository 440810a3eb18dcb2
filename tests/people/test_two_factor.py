"""Two-factor authentication: required for finance, the secretariat and administrators, offered to all."""

import logging
import time

import pytest
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.DGR_REQUIRE_MFA = True
    cache.clear()  # allauth counts wrong codes and used codes in the cache


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def reauthenticate(client):
    """Removing a second factor asks for the password again (allauth's reauthentication)."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


def log_in(client, user):
    return client.post(reverse("login"), {"login": user.username, "password": PASSWORD})


@pytest.mark.parametrize("role", ["finance", "secretariat", "administrator"])
def test_powerful_roles_are_sent_to_activate_a_second_factor(client, role, request):
    user = request.getfixturevalue(role)
    assert log_in(client, user).status_code == 302
    response = client.get(reverse("start"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_index")
    page = client.get(reverse("mfa_index"), follow=True).content.decode()
    assert "Din roll kräver tvåstegsverifiering" in page
    # Other pages stay closed; logging out works.
    assert client.get(reverse("people:party-list"))["Location"] == reverse("mfa_index")
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_initiators_and_auditors_are_offered_it_not_forced(client, initiator, auditor):
    for user in (initiator, auditor):
        client.force_login(user)
        assert client.get(reverse("start")).status_code == 200
        account = client.get(reverse("people:my-account")).content.decode()
        assert "Inte aktiverad" in account and reverse("mfa_index") in account


def test_without_the_setting_nobody_is_forced(client, finance, settings):
    settings.DGR_REQUIRE_MFA = False
    client.force_login(finance)
    assert client.get(reverse("start")).status_code == 200


def test_login_with_a_second_factor_asks_for_the_code_and_then_lets_finance_in(client, finance):
    secret = with_totp(finance)
    response = log_in(client, finance)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone does not log in
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Fel kod" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(finance.pk)
    assert client.get(reverse("start")).status_code == 200


def test_wrong_codes_are_throttled_even_when_the_right_one_follows(client, finance, caplog):
    secret = with_totp(finance)
    log_in(client, finance)
    with caplog.at_level(logging.WARNING, logger="dgr.security"):
        for _ in range(5):
            client.post(reverse("mfa_authenticate"), {"code": "123456"})
    failures = [r.security for r in caplog.records if r.name == "dgr.security"]
    assert [(f["event"], f["method"], f["user"], f["ip"]) for f in failures] == [
        ("login_failed", "second_factor", "ekonomi", "127.0.0.1")
    ] * 5
    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert "För många felaktiga koder" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_is_accepted_once(client, finance):
    secret = with_totp(finance)
    log_in(client, finance)
    code = totp_code(secret)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("logout"))
    log_in(client, finance)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in client.session
    assert replay.status_code == 200


def test_the_last_second_factor_of_a_powerful_role_cannot_be_removed(client, finance, initiator):
    with_totp(finance)
    adapter = get_mfa_adapter()
    totp = Authenticator.objects.get(user=finance, type=Authenticator.Type.TOTP)
    assert not adapter.can_delete_authenticator(totp)
    key = Authenticator.objects.create(
        user=finance, type=Authenticator.Type.WEBAUTHN, data={"name": "Nyckel"}
    )
    assert adapter.can_delete_authenticator(totp) and adapter.can_delete_authenticator(key)

    # Through the pages: the security key goes, the app then stays.
    client.force_login(finance)
    reauthenticate(client)
    client.post(reverse("mfa_remove_webauthn", args=[key.pk]))
    assert not Authenticator.objects.filter(pk=key.pk).exists()
    refused = client.post(reverse("mfa_deactivate_totp"), follow=True)
    assert "Din roll kräver tvåstegsverifiering: lägg först till en annan metod" in refused.content.decode()
    assert Authenticator.objects.filter(pk=totp.pk).exists()

    with_totp(initiator)
    assert adapter.can_delete_authenticator(Authenticator.objects.get(user=initiator))


def test_the_last_security_key_of_a_powerful_role_cannot_be_removed(client, secretariat):
    key = Authenticator.objects.create(
        user=secretariat, type=Authenticator.Type.WEBAUTHN, data={"name": "Nyckel"}
    )
    client.force_login(secretariat)
    reauthenticate(client)
    response = client.post(reverse("mfa_remove_webauthn", args=[key.pk]), follow=True)
    assert "Din roll kräver tvåstegsverifiering" in response.content.decode()
    assert Authenticator.objects.filter(pk=key.pk).exists()


def test_the_requirement_costs_no_query_once_seen(client, finance, django_assert_max_num_queries):
    with_totp(finance)
    client.force_login(finance)
    client.get(reverse("ping"))
    # Session, user (with party and roles) and the ping's own query; the second factor is remembered.
    with django_assert_max_num_queries(3):
        client.get(reverse("ping"))
