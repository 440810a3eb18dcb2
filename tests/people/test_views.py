import logging

import pytest
from django.urls import reverse

from people.models import User
from people.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"login": username, "password": password})


def test_anonymous_visitors_are_sent_to_the_swedish_login_page(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert '<html lang="sv">' in page.content.decode()
    assert "Logga in i DGR" in page.content.decode()


def test_an_english_browser_still_gets_swedish_until_english_is_chosen(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "Logga in i DGR" in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/logga-in/"})
    page = client.get(reverse("login"))
    assert '<html lang="en">' in page.content.decode()
    assert "Log in to DGR" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "party_slug", "expected_role_label"),
    [
        (Role.INITIATOR, "karlstad", "Initiativtagare"),
        (Role.SECRETARIAT, "region", "Sekretariat (VRAG)"),
        (Role.FINANCE, "region", "Ekonomi (Region Värmland)"),
        (Role.AUDITOR, None, "Revisor"),
        (Role.COUNCIL_REPRESENTATIVE, "arvika", "Representant i Värmlandsrådet"),
        (Role.ADMINISTRATOR, None, "Administratör"),
    ],
)
def test_each_role_logs_in_and_sees_its_start_page(client, role, party_slug, expected_role_label):
    from people.models import Party

    party = Party.objects.get(slug=party_slug) if party_slug else None
    user = UserFactory(party=party, roles=[role])
    response = login(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    page = client.get(reverse("start")).content.decode()
    assert expected_role_label in page
    if party:
        assert f"Du företräder {party.name}" in page


def test_wrong_password_gives_a_swedish_message_and_no_session(client, initiator):
    response = login(client, initiator.username, "wrong")
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_five_failures_for_the_same_user_and_ip(client, initiator):
    for _ in range(5):
        login(client, initiator.username, "wrong")
    locked = login(client, initiator.username, PASSWORD)
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another person from the same address is not locked out.
    other = UserFactory(username="arvika-person")
    assert login(client, other.username).status_code == 302


def test_logins_and_failures_are_logged_with_user_party_and_ip(client, initiator, caplog):
    with caplog.at_level(logging.INFO, logger="dgr.security"):
        login(client, initiator.username, "wrong")
        login(client, initiator.username)
    events = [r.security for r in caplog.records if r.name == "dgr.security"]
    assert [(e["event"], e["user"], e["party"], e["ip"]) for e in events] == [
        ("login_failed", "karlstad", "1780", "127.0.0.1"),
        ("login", "karlstad", "1780", "127.0.0.1"),
    ]


def test_refused_access_is_logged_and_gets_a_swedish_403_page(client, initiator, caplog):
    client.force_login(initiator)
    with caplog.at_level(logging.INFO, logger="dgr.security"):
        response = client.get("/admin/people/user/")
    # The admin sends non-staff users to its own login; our own views refuse with 403 (tested per app).
    assert response.status_code == 302
    with caplog.at_level(logging.INFO, logger="dgr.security"):
        refused = client.get(reverse("accounting:decision-list"))
    assert refused.status_code == 403
    assert "Du har inte behörighet" in refused.content.decode()
    assert any(
        r.getMessage().startswith(
            "event=access_refused user=karlstad party=1780 ip=127.0.0.1 path=/ekonomi/beslut/"
        )
        for r in caplog.records
    )


def test_unknown_pages_get_a_swedish_404(client, initiator):
    client.force_login(initiator)
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_security_headers_and_strict_csp(client, initiator):
    client.force_login(initiator)
    response = client.get(reverse("start"), secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_pages_carry_no_inline_script_or_style(client, initiator):
    client.force_login(initiator)
    for url in (reverse("start"), reverse("people:party-list"), reverse("accessibility")):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html and " style=" not in html, url


def test_session_expires_after_idle_time_and_activity_moves_the_expiry(client, initiator, settings):
    import time

    from django.contrib.sessions.models import Session

    response = login(client, initiator.username)
    assert response.cookies["sessionid"]["httponly"]
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 3600
    key = client.session.session_key
    first_expiry = Session.objects.get(session_key=key).expire_date
    # Within the minute after login a page view writes nothing…
    client.get(reverse("start"))
    assert Session.objects.get(session_key=key).expire_date == first_expiry
    # …after it, activity moves the expiry forward.
    session = client.session
    session["dgr_refreshed"] = int(time.time()) - 120
    session.save()
    client.get(reverse("start"))
    assert Session.objects.get(session_key=key).expire_date > first_expiry


def test_an_expired_session_is_logged_out(client, initiator):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    login(client, initiator.username)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_party_list_is_in_swedish_order_and_counts_active_people(client, initiator, karlstad):
    UserFactory(party=karlstad, is_active=False)
    client.force_login(initiator)
    html = client.get(reverse("people:party-list")).content.decode()
    positions = [html.index(name) for name in ("Sunne", "Säffle", "Torsby", "Årjäng")]
    assert positions == sorted(positions)


def test_party_list_query_count_does_not_grow_with_people(
    client, initiator, karlstad, django_assert_max_num_queries
):
    client.force_login(initiator)
    for _ in range(10):
        UserFactory(party=karlstad)
    # session, user, the user's roles (read once for the role-dependent menu entries), the list, and
    # the session's save (BEGIN, UPDATE, COMMIT)
    with django_assert_max_num_queries(7):
        client.get(reverse("people:party-list"))


def test_accessibility_statement_is_public_and_takes_a_report(client, mailoutbox):
    page = client.get(reverse("accessibility"))
    assert page.status_code == 200
    assert "Tillgänglighetsredogörelse" in page.content.decode()
    response = client.post(
        reverse("accessibility"),
        {"page_url": "/start/", "description": "Knappen syns inte i högkontrast.", "contact": ""},
    )
    assert response.status_code == 302
    from core.models import AccessibilityReport

    report = AccessibilityReport.objects.get()
    assert report.description == "Knappen syns inte i högkontrast."
    assert report.history.get().history_type == "+"


def test_accessibility_report_without_description_is_refused_next_to_the_field(client):
    response = client.post(reverse("accessibility"), {"page_url": "/", "description": "", "contact": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_description_error"' in html
    assert "Detta fält måste fyllas i." in html
    from core.models import AccessibilityReport

    assert not AccessibilityReport.objects.exists()


def test_users_are_never_deleted_from_the_admin(client, administrator, initiator):
    client.force_login(administrator)
    response = client.get(reverse("admin:people_user_delete", args=[initiator.pk]))
    assert response.status_code == 403
    assert User.objects.filter(pk=initiator.pk).exists()
