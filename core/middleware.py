import time

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Swedish unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an official with an
    English browser would get an English interface they never asked for; the choice is explicit here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


SESSION_REFRESHED_KEY = "dgr_refreshed"


class IdleTimeoutMiddleware:
    """Logs a user out after SESSION_COOKIE_AGE without activity, writing the session at most once
    a minute instead of on every request (SESSION_SAVE_EVERY_REQUEST would cost a write per page).

    Each write moves the session's expiry to SESSION_COOKIE_AGE from now, so the timeout is idle
    time with one minute's precision."""

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED_KEY, 0) >= self.REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return response


def mark_session_fresh(request) -> None:
    """Called at login: the session was just written, no refresh needed for a minute."""
    request.session[SESSION_REFRESHED_KEY] = int(time.time())
