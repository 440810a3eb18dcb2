"""The security log (logger `dgr.security`): one structured line per event, for the people who
investigate an incident and for the log collector.

A line reads `event=login user=karlstad party=1780 ip=203.0.113.7 path=/logga-in/
time=2026-11-30T18:12:40+00:00`. Values come from the outside world (a username typed into the login
form, a path), so every value is escaped: a value with anything but plain characters is quoted, and
quotes, backslashes and every control or line-separating character are written as escapes. A CR/LF
in a username can therefore never start a line of its own. The time is UTC with its offset, whatever
the server's time zone, so lines from several app servers sort and compare.

The fields also travel on the log record (`record.security`), for handlers that write JSON and for the
tests.
"""

import datetime
import logging
import re

from core.client import client_ip

logger = logging.getLogger("dgr.security")

# Event names, one per kind of thing that happened.
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
LOCKOUT = "lockout"
SESSION_EXPIRED = "session_expired"
SESSIONS_ENDED = "sessions_ended"
ACCESS_REFUSED = "access_refused"
NOT_FOUND = "not_found"
LOGIN_REQUIRED = "login_required"

_PLAIN = re.compile(r"[\w.:/@+\-]+")


def escape(value) -> str:
    """A value as it appears in a line: bare when plain, otherwise quoted with escapes."""
    text = "-" if value is None or value == "" else str(value)
    if _PLAIN.fullmatch(text) and text.isprintable():
        return text
    out = []
    for char in text:
        if char in {'"', "\\"}:
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif not char.isprintable():  # other controls, U+2028 line separator, U+0085 next line, …
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _user_fields(user) -> tuple[str | None, str | None]:
    if user is None or not getattr(user, "is_authenticated", False):
        return None, None
    party = getattr(user, "party", None)
    return user.get_username(), party.code if party is not None else None


def log_event(
    event: str,
    *,
    request=None,
    user=None,
    username: str | None = None,
    party: str | None = None,
    ip: str | None = None,
    level: int = logging.INFO,
    **details,
) -> None:
    """Write one line for `event`. The user defaults to the request's user; `username` and `party`
    name someone who is not logged in (a failed login); `details` add event-specific fields."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user_name, user_party = _user_fields(user)
    fields = {
        "event": event,
        "user": username if username is not None else user_name,
        "party": party if party is not None else user_party,
        "ip": ip if ip is not None else (client_ip(request) if request is not None else None),
        "path": request.path if request is not None else None,
        **details,
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    line = " ".join(f"{key}={escape(value)}" for key, value in fields.items())
    logger.log(level, "%s", line, extra={"security": fields})
