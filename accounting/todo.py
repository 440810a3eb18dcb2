"""What waits for Region Värmland's finance staff (core/todo.py): initiatives Värmlandsrådet supported by
consensus that wait for the region's formal decision, decisions whose money is not yet committed, and
recovery claims not yet repaid (overdue ones marked)."""

import datetime

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounting import permissions
from accounting.models import Decision, RecoveryClaim
from core.money import format_amount
from core.todo import TodoEntry, TodoKind, register
from initiatives.models import ChangeKind, ChangeRequest, ChangeStatus, Initiative, Status


def initiatives_awaiting_decision(user, today: datetime.date) -> QuerySet[Initiative] | None:
    if not permissions.can_record_decision(user):
        return None
    return (
        Initiative.objects.filter(status=Status.SUPPORTED)
        .select_related("party")
        .only("pk", "title", "registration_year", "registration_serial", "updated_at", "party__name")
        .order_by("updated_at", "pk")
    )


def decisions_awaiting_commitment(user, today: datetime.date) -> QuerySet[Decision] | None:
    """Decisions on running initiatives from which nothing has been committed yet."""
    if not permissions.can_post(user):
        return None
    return (
        # A decision on a change within the frame grants nothing (amount 0): nothing to commit from it.
        Decision.objects.filter(initiative__status=Status.DECIDED, commitments__isnull=True, amount__gt=0)
        .select_related("initiative__party")
        .order_by("decided_on", "pk")
    )


def change_requests_awaiting_decision(user, today: datetime.date) -> QuerySet[ChangeRequest] | None:
    """Change requests Region Värmland decides on now: a change within the frame as handed in, more money
    once Värmlandsrådet has supported it."""
    if not permissions.can_record_decision(user):
        return None
    within_frame = Q(status=ChangeStatus.SUBMITTED) & ~Q(kind=ChangeKind.ADDITIONAL_FUNDING)
    supported = Q(status=ChangeStatus.SUPPORTED, kind=ChangeKind.ADDITIONAL_FUNDING)
    return (
        ChangeRequest.objects.filter(within_frame | supported)
        .select_related("initiative__party")
        .order_by("submitted_at", "pk")
    )


def _change_entry(change: ChangeRequest, today: datetime.date) -> TodoEntry:
    initiative = change.initiative
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title} ({initiative.party.name}): {change}",
        reverse("accounting:change-decision-create", args=[change.pk]),
        _("inlämnad %(date)s") % {"date": change.submitted_at.date().isoformat()},
    )


def _decision_entry(initiative: Initiative, today: datetime.date) -> TodoEntry:
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title} ({initiative.party.name})",
        reverse("accounting:decision-create", args=[initiative.pk]),
        _("tillstyrkt av Värmlandsrådet, väntar på Region Värmlands beslut"),
    )


def _commitment_entry(decision: Decision, today: datetime.date) -> TodoEntry:
    initiative = decision.initiative
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title} ({initiative.party.name})",
        reverse("accounting:commitment-create", args=[decision.pk]),
        _("beslut %(reference)s den %(date)s om %(amount)s")
        % {
            "reference": decision.reference,
            "date": decision.decided_on.isoformat(),
            "amount": format_amount(decision.amount),
        },
    )


def recovery_claims_outstanding(user, today: datetime.date) -> QuerySet[RecoveryClaim] | None:
    """Recovery claims not yet repaid nor written off: finance follows them up until the money is back."""
    if not permissions.can_manage_recovery(user):
        return None
    return RecoveryClaim.objects.outstanding().select_related("initiative__party").order_by("due_on", "pk")


def _claim_entry(claim: RecoveryClaim, today: datetime.date) -> TodoEntry:
    initiative = claim.initiative
    overdue = claim.is_overdue(today)
    note = (
        _("förföll %(due)s: %(left)s kvar av %(amount)s")
        if overdue
        else _("senast %(due)s: %(left)s kvar av %(amount)s")
    ) % {
        "due": claim.due_on.isoformat(),
        "left": format_amount(claim.outstanding),
        "amount": format_amount(claim.amount),
    }
    return TodoEntry(
        f"{initiative.registration_number} {initiative.title} ({initiative.party.name})",
        claim.get_absolute_url(),
        note,
        overdue=overdue,
    )


def register_todos() -> None:
    register(
        TodoKind(
            "accounting.decisions-waiting",
            gettext_lazy("Initiativ som väntar på Region Värmlands beslut"),
            "accounting:decision-list",
            initiatives_awaiting_decision,
            _decision_entry,
            order=80,
        )
    )
    register(
        TodoKind(
            "accounting.change-requests-waiting",
            gettext_lazy("Ändringsbegäranden som väntar på Region Värmlands beslut"),
            "initiatives:change-request-list",
            change_requests_awaiting_decision,
            _change_entry,
            order=85,
        )
    )
    register(
        TodoKind(
            "accounting.commitments-waiting",
            gettext_lazy("Beslut utan åtagande: bevilja medel"),
            "accounting:decision-list",
            decisions_awaiting_commitment,
            _commitment_entry,
            order=90,
        )
    )
    register(
        TodoKind(
            "accounting.recovery-claims",
            gettext_lazy("Återkrav att följa upp"),
            "accounting:recovery-claim-list",
            recovery_claims_outstanding,
            _claim_entry,
            order=95,
        )
    )
