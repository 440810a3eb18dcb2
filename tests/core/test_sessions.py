"""Responses and sessions: no caching of pages, `__Host-` cookies in production, an absolute session
lifetime, and a password change or a deactivation ending the person's other sessions."""

import logging
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from people.services import user_deactivate
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"login": username, "password": password}, **extra)


def assert_never_cached(response):
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private", "no-cache"} <= directives, response["Cache-Control"]
    assert "public" not in directives


def test_pages_downloads_redirects_and_the_login_page_are_never_cached(client, initiator, finance):
    assert_never_cached(client.get(reverse("login")))
    assert_never_cached(client.get(reverse("start")))  # the redirect to the login page
    client.force_login(initiator)
    for url in (reverse("start"), reverse("initiatives:initiative-list"), "/finns-inte/"):
        assert_never_cached(client.get(url))
    assert_never_cached(client.get(reverse("accounting:decision-list")))  # a 403
    client.force_login(finance)
    assert_never_cached(client.get(reverse("initiatives:initiative-export-csv")))


def test_static_files_keep_their_own_caching(settings):
    settings.WHITENOISE_USE_FINDERS = True  # production serves them from STATIC_ROOT after collectstatic
    response = Client().get("/static/css/dgr.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_without_tls_the_cookies_have_their_plain_names(client, initiator):
    # The test settings serve plain HTTP (the live server of the browser tests): browsers refuse a
    # `__Host-` cookie that is not Secure, so the names follow the secure flag.
    response = login(client, "karlstad")
    assert "sessionid" in response.cookies and not response.cookies["sessionid"]["secure"]


@pytest.fixture
def production_cookies(settings):
    from dgr.settings import cookie_name

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = cookie_name("sessionid", secure=True)
    settings.CSRF_COOKIE_NAME = cookie_name("csrftoken", secure=True)


def test_in_production_session_and_csrf_cookies_are_host_prefixed(initiator, production_cookies):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    token = page.context["csrf_token"]
    response = client.post(
        reverse("login"),
        {"login": "karlstad", "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        HTTP_REFERER="https://testserver/logga-in/",
    )
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        # What a browser requires of a `__Host-` cookie: Secure, Path=/ and no Domain.
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"] and cookie["httponly"]
    assert "sessionid" not in response.cookies and "csrftoken" not in page.cookies
    assert client.get(reverse("start"), secure=True).status_code == 200


def cookie_settings(*, debug: bool) -> list[str]:
    """The cookie settings as dgr/settings.py computes them, in a fresh interpreter (the test run's
    settings are already loaded, with the test overrides on top)."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1" if debug else "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://unused/unused",
    }
    script = (
        "import dgr.settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    # Our own interpreter running a fixed script: no untrusted input.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return result.stdout.split()


def test_the_production_settings_name_the_cookies_with_the_host_prefix():
    assert cookie_settings(debug=False) == ["__Host-sessionid", "__Host-csrftoken", "True", "True"]
    assert cookie_settings(debug=True) == ["sessionid", "csrftoken", "False", "False"]


def test_a_session_ends_at_its_absolute_lifetime_however_active(client, initiator, settings, caplog):
    settings.DGR_SESSION_ABSOLUTE_SECONDS = 8 * 3600
    login(client, "karlstad")
    assert client.get(reverse("start")).status_code == 200
    session = client.session
    session["dgr_started"] = int(time.time()) - 8 * 3600 + 60  # logged in 7 h 59 min ago, active since
    session["dgr_refreshed"] = int(time.time())
    session.save()
    assert client.get(reverse("start")).status_code == 200
    session = client.session
    session["dgr_started"] = int(time.time()) - 8 * 3600 - 1
    session.save()
    key = session.session_key
    with caplog.at_level(logging.INFO, logger="dgr.security"):
        response = client.get(reverse("start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    events = [(r.security["event"], r.security["user"]) for r in caplog.records if r.name == "dgr.security"]
    assert events[-2:] == [("session_expired", "karlstad"), ("login_required", None)]
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("start")).status_code == 302


def test_a_session_from_before_the_absolute_limit_starts_its_clock(client, initiator):
    client.force_login(initiator)
    session = client.session
    del session["dgr_started"]  # as in a session opened before this release
    session.save()
    assert client.get(reverse("start")).status_code == 200
    assert abs(client.session["dgr_started"] - time.time()) < 60


def test_a_password_change_ends_the_persons_other_sessions(initiator):
    here, elsewhere = Client(), Client()
    login(here, "karlstad")
    login(elsewhere, "karlstad")
    assert elsewhere.get(reverse("start")).status_code == 200
    new_password = "ett helt annat lösenord 42"
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert here.get(reverse("start")).status_code == 200  # the browser that changed it stays in
    response = elsewhere.get(reverse("start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_deactivation_ends_the_persons_sessions_for_good(initiator, administrator, other_initiator):
    first, second, someone_else = Client(), Client(), Client()
    login(first, "karlstad")
    login(second, "karlstad")
    login(someone_else, "arvika")
    user_deactivate(user=initiator, acting_user=administrator)
    for client in (first, second):
        response = client.get(reverse("start"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert someone_else.get(reverse("start")).status_code == 200
    # Reactivated later, the person logs in again: the old sessions do not come back.
    initiator.refresh_from_db()
    initiator.is_active = True
    initiator.save()
    assert first.get(reverse("start")).status_code == 302


def test_unticking_active_in_the_admin_ends_the_persons_sessions(initiator, administrator):
    elsewhere, admin = Client(), Client()
    login(elsewhere, "karlstad")
    admin.force_login(administrator)
    url = reverse("admin:people_user_change", args=[initiator.pk])
    form = admin.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"password", "groups"}}
    data |= {"is_active": "", "groups": [g.pk for g in initiator.groups.all()], "party": initiator.party_id}
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data |= {"date_joined_0": "2026-01-01", "date_joined_1": "08:00:00"}  # the admin's split widget
    response = admin.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    initiator.refresh_from_db()
    assert not initiator.is_active
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()


def test_a_host_prefixed_cookie_that_a_browser_would_drop_fails_the_system_check(settings):
    from core.checks import host_prefixed_cookies

    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    assert host_prefixed_cookies(None) == []
    settings.SESSION_COOKIE_DOMAIN = "regionvarmland.se"
    assert [e.id for e in host_prefixed_cookies(None)] == ["dgr.E001"]
    settings.SESSION_COOKIE_DOMAIN = None
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"  # while the test settings leave it without Secure
    assert [e.id for e in host_prefixed_cookies(None)] == ["dgr.E002"]
