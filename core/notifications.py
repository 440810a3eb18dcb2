"""The kinds of event DGR mails people about, and each person's choice for each: e-mail at once, the daily
digest, or none (core.models.NotificationSetting; no row means at once).

The apps register their kinds in AppConfig.ready() (core cannot import them) and pass the kind's key to
`core.mail.mail_queue(event=…)`; mail_queue asks `deliveries` and mails at once, keeps the event for the
digest (core.services.digest_send, a daily periodic task) or drops it.

Mail without an event kind is always sent at once and cannot be switched off: account mail (invitations,
password reset, the administrators' notice of an account to approve) carries the one way into an
account, and the accessibility report goes to an address, not to a person. A kind registered with
`can_turn_off=False` offers "at once" and "digest" only: the meeting notice (the rules of procedure
require that the representatives are summoned) and the outcome reminder (the agreement's duty to report).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower

from core.models import Delivery, NotificationSetting


@dataclass(frozen=True)
class EventKind:
    key: str
    label: str
    description: str
    concerns: Callable[[object], bool]  # whom the settings page offers it to
    can_turn_off: bool = True
    order: int = 100

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.can_turn_off:
            return list(Delivery.choices)
        return [(value, label) for value, label in Delivery.choices if value != Delivery.NONE]


_kinds: dict[str, EventKind] = {}


def register(kind: EventKind) -> None:
    _kinds.setdefault(kind.key, kind)


def event_kind(key: str) -> EventKind:
    return _kinds[key]


def kinds_for(user) -> list[EventKind]:
    return sorted((k for k in _kinds.values() if k.concerns(user)), key=lambda k: (k.order, k.key))


def deliveries(event: str, addresses: Iterable[str]) -> dict[str, tuple[str, object | None]]:
    """Per address: (delivery, the person whose digest gets it). One query. An address of nobody in DGR
    (an initiative's contact address) is mailed at once; so is a person without a choice. When several
    active people share an address, the most eager choice wins."""
    kind = event_kind(event)
    wanted = {address.lower(): address for address in addresses}
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(address=Lower("email"))
        .filter(address__in=list(wanted))
        .annotate(
            delivery=Subquery(
                NotificationSetting.objects.filter(user=OuterRef("pk"), event=event).values("delivery")[:1]
            )
        )
        .order_by("pk")
    )
    eagerness = [Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.NONE]
    result: dict[str, tuple[str, object | None]] = {}
    for person in people:
        delivery = person.delivery or Delivery.IMMEDIATE
        if delivery == Delivery.NONE and not kind.can_turn_off:
            delivery = Delivery.IMMEDIATE
        address = wanted[person.address]
        if address not in result or eagerness.index(delivery) < eagerness.index(result[address][0]):
            result[address] = (delivery, person)
    for address in wanted.values():
        result.setdefault(address, (Delivery.IMMEDIATE, None))
    return result
