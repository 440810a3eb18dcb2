"""The security log (core/security_log.py): one escaped, structured line per event."""

import datetime
import logging

import pytest
from django.urls import reverse

from core.security_log import escape
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
CLIENT = "203.0.113.9"


@pytest.fixture
def security_events(caplog):
    """The events written to `dgr.security` while the test runs: (fields, rendered line)."""
    caplog.set_level(logging.INFO, logger="dgr.security")

    def events(kind=None):
        return [
            r.security
            for r in caplog.records
            if r.name == "dgr.security" and (kind is None or r.security["event"] == kind)
        ]

    events.lines = lambda: [r.getMessage() for r in caplog.records if r.name == "dgr.security"]
    return events


@pytest.fixture
def behind_proxy(settings):
    settings.DGR_PROXY_COUNT = 1
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"192.0.2.1, {CLIENT}"}


def login(client, username, password=PASSWORD, **headers):
    return client.post(reverse("login"), {"login": username, "password": password}, **headers)


def test_a_login_line_names_user_party_client_path_and_utc_time(
    client, initiator, security_events, behind_proxy
):
    login(client, "karlstad", **behind_proxy)
    [event] = security_events("login")
    assert event["user"] == "karlstad"
    assert event["party"] == "1780"
    assert event["ip"] == CLIENT  # the client behind the proxy, not the proxy nor the spoofed entry
    assert event["path"] == "/logga-in/"
    logged_at = datetime.datetime.fromisoformat(event["time"])
    assert logged_at.utcoffset() == datetime.timedelta(0)
    assert abs(datetime.datetime.now(datetime.UTC) - logged_at) < datetime.timedelta(minutes=1)
    [line] = security_events.lines()
    assert line == (f"event=login user=karlstad party=1780 ip={CLIENT} path=/logga-in/ time={event['time']}")


def test_a_failed_login_names_the_party_of_an_existing_username(client, initiator, security_events):
    login(client, "karlstad", "wrong")
    login(client, "finns-inte", "wrong")
    failed = security_events("login_failed")
    assert [(e["user"], e["party"]) for e in failed] == [("karlstad", "1780"), ("finns-inte", None)]
    assert "password" not in str(failed) and "wrong" not in str(failed)


def test_a_username_with_cr_lf_cannot_forge_a_log_line(client, initiator, security_events):
    forged = "x\r\n2026-11-30 12:00:00 INFO dgr.security event=login user=admin party=- ip=10.0.0.1"
    login(client, forged, "wrong")
    [line] = security_events.lines()
    assert "\n" not in line and "\r" not in line
    assert line.startswith(
        'event=login_failed user="x\\r\\n2026-11-30 12:00:00 INFO dgr.security event=login user=admin'
    )
    assert security_events("login_failed")[0]["user"] == forged  # the record keeps the real value


def test_escape_quotes_anything_that_is_not_plain():
    assert escape("karlstad") == "karlstad"
    assert escape(None) == "-"
    assert escape("Åsa Öberg") == '"Åsa Öberg"'
    assert escape('a"b\\c') == '"a\\"b\\\\c"'
    assert escape("a\u2028b\x00c\x1b") == '"a\\u2028b\\u0000c\\u001b"'
    assert escape("user=admin") == '"user=admin"'


def test_logout_and_lockout_are_logged(client, initiator, security_events, behind_proxy):
    login(client, "karlstad", **behind_proxy)
    client.post(reverse("logout"), **behind_proxy)
    assert [(e["user"], e["ip"]) for e in security_events("logout")] == [("karlstad", CLIENT)]
    for _ in range(5):
        login(client, "karlstad", "wrong", **behind_proxy)
    [lockout] = security_events("lockout")
    assert (lockout["user"], lockout["party"], lockout["ip"]) == ("karlstad", "1780", CLIENT)


def test_a_refused_page_is_logged(client, initiator, security_events):
    client.force_login(initiator)
    response = client.get(reverse("accounting:decision-list"))
    assert response.status_code == 403
    [refused] = security_events("access_refused")
    assert (refused["user"], refused["party"], refused["path"]) == ("karlstad", "1780", "/ekonomi/beslut/")


def test_another_partys_object_answers_404_and_is_logged(client, initiator, other_initiator, security_events):
    from tests.factories import initiative_draft

    theirs = initiative_draft(other_initiator)
    client.force_login(initiator)
    response = client.get(reverse("initiatives:initiative-detail", args=[theirs.pk]))
    assert response.status_code == 404
    [not_found] = security_events("not_found")
    assert (not_found["user"], not_found["party"], not_found["path"]) == (
        "karlstad",
        "1780",
        f"/initiativ/{theirs.pk}/",
    )


def test_a_404_a_view_answers_itself_is_logged_too(client, initiator, security_events):
    client.force_login(initiator)
    response = client.get(reverse("reports:dashboard"))  # reports answer "not found" without raising
    assert response.status_code == 404
    [not_found] = security_events("not_found")
    assert (not_found["user"], not_found["path"]) == ("karlstad", "/rapporter/")


def test_a_csrf_failure_is_logged_once_with_its_reason(initiator, security_events):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(initiator)
    response = client.post(reverse("initiatives:initiative-create"), {"title": "x"})
    assert response.status_code == 403
    [refused] = security_events("access_refused")
    assert refused["user"] == "karlstad" and refused["reason"].startswith("csrf: CSRF cookie not set")


def test_anonymous_access_to_a_protected_page_is_logged_but_not_the_login_page(client, security_events):
    assert client.get(reverse("initiatives:initiative-list")).status_code == 302
    assert client.get(reverse("login")).status_code == 200
    [event] = security_events()
    assert (event["event"], event["user"], event["path"]) == ("login_required", None, "/initiativ/")


def test_ending_a_deactivated_persons_sessions_is_logged(client, initiator, administrator, security_events):
    from people.services import user_deactivate

    client.force_login(initiator)
    user_deactivate(user=initiator, acting_user=administrator)
    [ended] = security_events("sessions_ended")
    assert (ended["user"], ended["count"], ended["by"]) == ("karlstad", 1, "admin")


def test_a_failed_login_for_a_person_without_a_party_names_no_party(client, security_events):
    UserFactory(username="utan-part", party=None)
    login(client, "utan-part", "wrong")
    assert security_events("login_failed")[0]["party"] is None


def test_a_failed_login_by_e_mail_names_the_party_as_allauth_sends_it(initiator, security_events):
    """django-allauth authenticates with `email=`: the same line, the party found by the address."""
    from django.contrib.auth.signals import user_login_failed
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/")
    user_login_failed.send(
        sender=__name__, credentials={"email": initiator.email.upper(), "password": "***"}, request=request
    )
    [failed] = security_events("login_failed")
    assert (failed["user"], failed["party"], failed["path"]) == (
        initiator.email.upper(),
        "1780",
        "/accounts/login/",
    )
