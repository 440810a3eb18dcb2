"""Change requests after Region Värmland's decision (ändringsbegäran, issue 13: 2).

A party's initiator asks for a longer period, money moved between years, a smaller scope or more money on
a decided initiative. Every change of a change request's status goes through `change_request_transition`,
along `models.CHANGE_TRANSITIONS`: the council app moves a request for more money through VRAU and
Värmlandsrådet (proposed, supported, not supported), the ledger records Region Värmland's decision on each
(approved, rejected) and applies it. The initiative's period moves only here (`change_request_apply_period`),
called by the ledger in the decision's transaction.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_swedish
from core.mail import absolute_url, mail_queue
from core.money import ORE, format_amount
from initiatives import permissions
from initiatives.models import (
    CHANGE_ANNULMENT_TRANSITIONS,
    CHANGE_CLOSED_STATUSES,
    CHANGE_TRANSITIONS,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Initiative,
    Status,
)
from people.models import User
from people.roles import Role


def _amount(value, field: str = "amount") -> Decimal:
    if value is None:
        raise ValidationError({field: _("Ange beloppet.")}, code="required")
    value = Decimal(str(value))
    if value <= 0:
        raise ValidationError({field: _("Beloppet måste vara större än noll.")}, code="not_positive")
    if value != value.quantize(ORE):
        raise ValidationError(
            {field: _("Ett belopp kan ha högst två decimaler (öre).")}, code="max_decimal_places"
        )
    return value


def _fields_for_kind(
    *,
    initiative: Initiative,
    kind: str,
    new_end_date: date | None,
    from_year: int | None,
    to_year: int | None,
    amount: Decimal | None,
) -> dict:
    """The proposed values the kind needs (the others left empty), or every problem next to its field."""
    errors: dict[str, str] = {}
    values: dict = {"new_end_date": None, "from_year": None, "to_year": None, "amount": None}
    if kind == ChangeKind.EXTENDED_PERIOD:
        if new_end_date is None:
            errors["new_end_date"] = _("Ange det nya slutdatumet.")
        elif initiative.end_date is not None and new_end_date <= initiative.end_date:
            errors["new_end_date"] = _(
                "Det nya slutdatumet måste vara senare än dagens slutdatum %(date)s."
            ) % {"date": initiative.end_date.isoformat()}
        values["new_end_date"] = new_end_date
    elif kind == ChangeKind.MOVE_BETWEEN_YEARS:
        years = initiative.period_years()
        for field, year in (("from_year", from_year), ("to_year", to_year)):
            if year is None:
                errors[field] = _("Ange året.")
            elif years is not None and year not in years:
                errors[field] = _("Året måste ligga inom initiativets period %(first)s–%(last)s.") % {
                    "first": years[0],
                    "last": years[-1],
                }
        if from_year is not None and from_year == to_year:
            errors["to_year"] = _("Pengarna måste flyttas till ett annat år.")
        values.update(from_year=from_year, to_year=to_year)
    elif kind not in (ChangeKind.REDUCED_SCOPE, ChangeKind.ADDITIONAL_FUNDING):
        raise ValidationError({"kind": _("Välj vilken ändring som begärs.")}, code="invalid")
    if kind != ChangeKind.EXTENDED_PERIOD:
        try:
            values["amount"] = _amount(amount)
        except ValidationError as error:
            errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def change_request_submit(
    *,
    initiative: Initiative,
    kind: str,
    reason: str,
    user: User,
    new_end_date: date | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    amount: Decimal | None = None,
) -> ChangeRequest:
    """The party asks for a change of a decided initiative; finance and the secretariat are told."""
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not permissions.can_request_change(user, locked):
        if permissions.is_initiator(user) and user.party_id == locked.party_id:
            raise ValidationError(
                _(
                    "En ändring kan bara begäras när Region Värmland har beviljat initiativet "
                    "(status nu: %(status)s)."
                )
                % {"status": Status(locked.status).label},
                code="not_decided",
            )
        raise PermissionDenied(_("Bara initierande partens handläggare kan begära en ändring."))
    errors: dict[str, list[str]] = {}
    try:
        values = _fields_for_kind(
            initiative=locked,
            kind=kind,
            new_end_date=new_end_date,
            from_year=from_year,
            to_year=to_year,
            amount=amount,
        )
    except ValidationError as error:
        errors = dict(error.message_dict)
    if not reason.strip():
        errors["reason"] = [_("Beskriv varför ändringen behövs.")]
    if errors:  # every problem at once, each next to its field
        raise ValidationError(errors)
    if locked.change_requests.exclude(status__in=CHANGE_CLOSED_STATUSES).filter(kind=kind).exists():
        raise ValidationError(
            {"kind": _("Det finns redan en öppen ändringsbegäran av samma slag för initiativet.")},
            code="already_open",
        )
    last = locked.change_requests.aggregate(last=Max("number"))["last"] or 0
    change = ChangeRequest(
        initiative=locked, number=last + 1, kind=kind, reason=reason.strip(), submitted_by=user, **values
    )
    change.full_clean(exclude=["submitted_by"])
    change._history_user = user
    change._change_reason = "ändringsbegäran inlämnad"
    change.save()
    _notify(change, to=ChangeStatus.SUBMITTED)
    return change


@transaction.atomic
def change_request_transition(
    *, change_request: ChangeRequest, to: str, user: User, reason: str = "", annulment: bool = False
) -> ChangeRequest:
    """Move a change request along the table (the council and the ledger call this); the initiator is told
    of each outcome. Runs in the caller's transaction, with the row locked."""
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    table = CHANGE_ANNULMENT_TRANSITIONS if annulment else CHANGE_TRANSITIONS
    if to not in table.get(locked.status, ()):
        raise ValidationError(
            _("Ändringsbegäran kan inte gå från ”%(from)s” till ”%(to)s”."),
            code="invalid_transition",
            params={"from": ChangeStatus(locked.status).label, "to": ChangeStatus(to).label},
        )
    locked.status = to
    locked.closed_at = timezone.now() if to in CHANGE_CLOSED_STATUSES else None
    locked._history_user = user
    locked._change_reason = (reason or f"status: {to}")[:100]
    locked.save(update_fields=["status", "closed_at"])
    change_request.status, change_request.closed_at = locked.status, locked.closed_at
    _notify(locked, to=to)
    return locked


@transaction.atomic
def change_request_withdraw(*, change_request: ChangeRequest, user: User) -> ChangeRequest:
    change_request = ChangeRequest.objects.select_related("initiative").get(pk=change_request.pk)
    if not permissions.can_withdraw_change_request(user, change_request):
        raise PermissionDenied(_("Du kan inte återkalla den här ändringsbegäran."))
    return change_request_transition(
        change_request=change_request, to=ChangeStatus.WITHDRAWN, user=user, reason="återkallad av parten"
    )


def change_request_apply_period(*, change_request: ChangeRequest, user: User) -> Initiative:
    """An approved longer period: the initiative's end date moves (with history), in the decision's
    transaction. Only the ledger calls this, after recording Region Värmland's decision."""
    if change_request.kind != ChangeKind.EXTENDED_PERIOD or change_request.status != ChangeStatus.APPROVED:
        raise ValidationError(
            _("Bara en beviljad förlängning flyttar initiativets slutdatum."), code="not_approved"
        )
    initiative = Initiative.objects.select_for_update().get(pk=change_request.initiative_id)
    initiative.end_date = change_request.new_end_date
    initiative._history_user = user
    initiative._change_reason = (
        f"förlängd period (ändring {change_request.number}): {change_request.new_end_date.isoformat()}"
    )[:100]
    initiative.save(update_fields=["end_date", "updated_at"])
    return initiative


@in_swedish()
def _notify(change: ChangeRequest, *, to: str) -> None:
    """On submission: finance and the secretariat, who handle it. On each later step: the party's
    initiators and the one who asked."""
    change = ChangeRequest.objects.select_related("initiative__party", "submitted_by").get(pk=change.pk)
    initiative = change.initiative
    people = User.objects.filter(is_active=True).exclude(email="")
    if to == ChangeStatus.SUBMITTED:
        recipients = {u.email for u in people.filter(groups__name__in=[Role.FINANCE, Role.SECRETARIAT])}
    else:
        recipients = {u.email for u in people.filter(party=initiative.party, groups__name=Role.INITIATOR)}
        if change.submitted_by.is_active and change.submitted_by.email:
            recipients.add(change.submitted_by.email)
    if not recipients:
        return
    subject = _("%(number)s: ändringsbegäran %(n)s – %(status)s") % {
        "number": initiative.registration_number,
        "n": change.number,
        "status": ChangeStatus(to).label.lower(),
    }
    body = _(
        "Ändringsbegäran %(n)s (%(kind)s) för initiativet ”%(title)s” (%(number)s) från %(party)s har "
        "status ”%(status)s”.\n\n%(what)s\n\nSe ändringsbegäran i DGR: %(path)s\n"
    ) % {
        "n": change.number,
        "kind": change.kind_label.lower(),
        "title": initiative.title,
        "number": initiative.registration_number,
        "party": initiative.party.name,
        "status": ChangeStatus(to).label,
        "what": change_request_summary(change),
        "path": absolute_url(change.get_absolute_url()),
    }
    mail_queue(subject=subject, body=body, recipients=recipients, event="change-request")


def change_request_summary(change: ChangeRequest) -> str:
    """What is asked for, in one sentence (mail, agenda item, decision text)."""
    if change.kind == ChangeKind.EXTENDED_PERIOD:
        return _("Perioden förlängs till %(date)s.") % {"date": change.new_end_date.isoformat()}
    if change.kind == ChangeKind.MOVE_BETWEEN_YEARS:
        return _("%(amount)s flyttas från %(from)s till %(to)s.") % {
            "amount": format_amount(change.amount),
            "from": change.from_year,
            "to": change.to_year,
        }
    if change.kind == ChangeKind.REDUCED_SCOPE:
        return _("Det beviljade beloppet minskas med %(amount)s.") % {"amount": format_amount(change.amount)}
    return _("Ytterligare %(amount)s söks ur fonden.") % {"amount": format_amount(change.amount)}
