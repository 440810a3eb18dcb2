"""A log line for every login, logout and failed login: user, party, IP address, time."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.middleware import mark_session_fresh

log = logging.getLogger("dgr.security")


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_session_fresh(request)
    log.info(
        "login user=%s party=%s ip=%s", user.username, user.party.code if user.party_id else "-", _ip(request)
    )


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        log.info("logout user=%s ip=%s", user.username, _ip(request))


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    log.warning("login failed user=%s ip=%s", credentials.get("username", "-"), _ip(request))
