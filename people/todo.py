"""What waits for administrators in people (core/todo.py): accounts made by single sign-on that wait for
approval."""

import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.todo import TodoEntry, TodoKind, register
from people import permissions, selectors
from people.models import User


def people_awaiting_approval(user, today: datetime.date) -> QuerySet[User] | None:
    if not permissions.can_manage_accounts(user):
        return None
    return selectors.accounts_awaiting_approval()


def _approval_entry(person: User, today: datetime.date) -> TodoEntry:
    party = person.party.name if person.party_id else _("ingen part")
    return TodoEntry(f"{person.get_full_name() or person.email} ({party})", reverse("people:account-list"))


def register_todos() -> None:
    register(
        TodoKind(
            "people.accounts-awaiting",
            gettext_lazy("Konton som väntar på godkännande"),
            "people:account-list",
            people_awaiting_approval,
            _approval_entry,
            order=110,
        )
    )
