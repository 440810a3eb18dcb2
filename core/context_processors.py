from django.conf import settings

from core.navigation import entries_for


def navigation(request):
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    return {
        "nav_entries": entries_for(user) if user is not None else [],
        "nav_current": current,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
