"""Every change of an initiative's status goes through `initiative_transition`.

The named services (`initiative_submit`, `initiative_request_complement`, …, and those of the council
and ledger apps) check their own rules and then call it; it checks the table in models.TRANSITIONS,
locks the row, records who and why in the audit trail, and queues the notification after commit.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from initiatives.models import TRANSITIONS, Initiative, Status
from people.models import User


@transaction.atomic
def initiative_transition(*, initiative: Initiative, to: Status, user: User, reason: str = "") -> Initiative:
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if to not in TRANSITIONS[locked.status]:
        raise ValidationError(
            _("Initiativet kan inte gå från ”%(from)s” till ”%(to)s”."),
            code="invalid_transition",
            params={"from": Status(locked.status).label, "to": Status(to).label},
        )
    locked.status = to
    locked._history_user = user
    locked._change_reason = reason or f"status: {to}"
    locked.save(update_fields=["status", "updated_at"])
    initiative.status = locked.status
    return locked
