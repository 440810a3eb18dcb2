import logging
import time

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core import security_log


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
SESSION_STARTED_KEY = "dgr_started"


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_COOKIE_AGE without activity (idle) and, whatever the activity,
    DGR_SESSION_ABSOLUTE_SECONDS after the login (absolute): a session stolen or left open on a shared
    computer does not live for ever by being used.

    The idle expiry moves with activity, writing the session at most once a minute instead of on every
    request (SESSION_SAVE_EVERY_REQUEST would cost a write per page): each write moves the session's
    expiry to SESSION_COOKIE_AGE from now, so the idle timeout has one minute's precision. The
    absolute limit is checked before the view runs, so the expired request is already anonymous and
    LoginRequiredMiddleware sends it to the login page."""

    REFRESH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            started = session.get(SESSION_STARTED_KEY)
            if started is None:
                # A session from before the absolute limit existed: its clock starts now.
                session[SESSION_STARTED_KEY] = now
            elif now - started >= settings.DGR_SESSION_ABSOLUTE_SECONDS:
                self._end(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(SESSION_REFRESHED_KEY, 0) >= self.REFRESH_SECONDS:
                session[SESSION_REFRESHED_KEY] = now
        return response

    @staticmethod
    def _end(request) -> None:
        security_log.log_event(security_log.SESSION_EXPIRED, request=request)
        request.session.flush()
        request.user = AnonymousUser()


def mark_session_fresh(request) -> None:
    """Called at login: the session was just written, no refresh needed for a minute, and the
    absolute lifetime starts now."""
    now = int(time.time())
    request.session[SESSION_REFRESHED_KEY] = now
    request.session[SESSION_STARTED_KEY] = now


class NeverCacheMiddleware:
    """`Cache-Control: no-store, private` (and no-cache, max-age=0) on every response of the app: pages
    and downloads carry one party's business or a person's data, and must stay neither in the browser
    (the back button on a shared computer after logout) nor in a proxy. Static files never reach this
    middleware: WhiteNoise, above it, answers them with its own far-future caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class SecurityLogMiddleware:
    """A line in the security log for every refusal (403) and every 404 of a logged-in user, whoever
    produced it: a view raising PermissionDenied or Http404 (another party's object looks not found),
    a view answering 404 itself, a middleware. A response already logged with more detail (a CSRF
    failure with its reason) is marked `security_logged` and not logged twice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "security_logged", False):
            return response
        user = getattr(request, "user", None)
        if response.status_code == 403:
            security_log.log_event(
                security_log.ACCESS_REFUSED, request=request, level=logging.WARNING, status=403
            )
        elif response.status_code == 404 and user is not None and user.is_authenticated:
            security_log.log_event(security_log.NOT_FOUND, request=request, level=logging.WARNING, status=404)
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login requirement, with a line in the security log for each anonymous request to a
    protected page (someone probing the app without an account, or a session that ran out)."""

    def handle_no_permission(self, request, view_func):
        security_log.log_event(security_log.LOGIN_REQUIRED, request=request)
        return super().handle_no_permission(request, view_func)
