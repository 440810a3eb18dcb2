"""The acting user for the audit trail outside a web request.

django-simple-history takes the user from the current request; management commands and background
work have none, so they run their writes inside `acting_as(user)` and every history row names them.
"""

from contextlib import contextmanager
from types import SimpleNamespace

from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user, reason: str = ""):
    previous = getattr(HistoricalRecords.context, "request", None)
    HistoricalRecords.context.request = SimpleNamespace(user=user, dgr_change_reason=reason)
    try:
        yield
    finally:
        if previous is None:
            del HistoricalRecords.context.request
        else:
            HistoricalRecords.context.request = previous
