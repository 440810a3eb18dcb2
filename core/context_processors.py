from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.navigation import entries_for
from core.todo import menu_counts


def navigation(request):
    user = getattr(request, "user", None)
    current = getattr(getattr(request, "resolver_match", None), "url_name", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "nav_entries": entries_for(user) if user is not None else [],
        # What waits, per menu entry: counted (one query) only when a page renders the menu.
        "nav_counts": SimpleLazyObject(lambda: menu_counts(user) if authenticated else {}),
        "nav_current": current,
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
