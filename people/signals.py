"""The security log's account events: login, logout, failed login and lockout.

Hooked on Django's auth signals and django-axes' lockout signal rather than on our views, so every
way in (our login form, the admin's, django-allauth's) leaves the same lines."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Q
from django.dispatch import receiver

from core import security_log
from core.middleware import mark_session_fresh


def _attempted_username(credentials: dict) -> str:
    # Django's forms send `username`; django-allauth authenticates with `email` (or `username`).
    return credentials.get("username") or credentials.get("email") or credentials.get("login") or ""


def _party_of(username: str) -> str | None:
    """The party of the account a failed login named, if that account exists: a run of failures
    against one party's accounts is what an investigator looks for."""
    if not username:
        return None
    user = (
        get_user_model()
        ._default_manager.select_related("party")
        .filter(Q(username=username) | Q(email__iexact=username))
        .order_by("pk")
        .first()
    )
    return user.party.code if user is not None and user.party_id else None


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_session_fresh(request)
    security_log.log_event(security_log.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        security_log.log_event(security_log.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def log_login_failed(sender, credentials, request=None, **kwargs):
    username = _attempted_username(credentials)
    security_log.log_event(
        security_log.LOGIN_FAILED,
        request=request,
        username=username,
        party=_party_of(username),
        level=logging.WARNING,
    )


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    security_log.log_event(
        security_log.LOCKOUT,
        request=request,
        username=username or "",
        party=_party_of(username or ""),
        ip=ip_address,
        level=logging.WARNING,
    )
