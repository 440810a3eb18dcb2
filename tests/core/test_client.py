"""The client's address behind reverse proxies (core/client.py), for throttling and the log."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.client import client_ip
from tests.factories import PASSWORD, UserFactory

PROXY = "10.0.0.2"  # nginx, as gunicorn sees it


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_address_is_the_connection_and_forwarded_headers_are_ignored(settings):
    settings.DGR_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended(settings):
    settings.DGR_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "203.0.113.9")) == "203.0.113.9"


def test_a_spoofed_left_most_entry_is_ignored(settings):
    settings.DGR_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 192.0.2.1"; nginx appended the address it really came from.
    assert client_ip(request_from(PROXY, "192.0.2.1, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.DGR_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, "192.0.2.1, 203.0.113.9, 10.0.0.1")) == "203.0.113.9"


def test_too_few_entries_or_garbage_fall_back_to_the_connection(settings):
    settings.DGR_PROXY_COUNT = 2
    assert client_ip(request_from(PROXY, "203.0.113.9")) == PROXY
    assert client_ip(request_from(PROXY)) == PROXY
    settings.DGR_PROXY_COUNT = 1
    assert client_ip(request_from(PROXY, "192.0.2.1, not-an-address")) == PROXY
    assert client_ip(request_from(PROXY, "2001:db8::1")) == "2001:db8::1"


@pytest.mark.django_db
def test_behind_one_proxy_five_wrong_guesses_from_one_client_do_not_lock_out_another(client, settings):
    """Before: every attempt came from the proxy's address, so five wrong guesses by anyone locked the
    username out for everybody for 15 minutes."""
    settings.DGR_PROXY_COUNT = 1
    person = UserFactory(username="karin")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    # Rotating a made-up left-most entry does not give the attacker fresh attempts either.
    for n in range(5):
        client.post(
            reverse("login"),
            {"login": "karin", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66",
        )
    locked = client.post(reverse("login"), {"login": "karin", "password": PASSWORD}, **attacker)
    assert locked.status_code == 429
    other = client.post(
        reverse("login"),
        {"login": "karin", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)
