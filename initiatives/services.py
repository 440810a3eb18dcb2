"""Every change of an initiative's status goes through `initiative_transition`.

The named services (`initiative_submit`, `initiative_request_complement`, …, and those of the council
and ledger apps) check their own rules and then call it; it checks the table in models.TRANSITIONS,
locks the row, records who and why in the audit trail, and queues the notification (core.mail) in the
same transaction: a change that rolls back tells nobody.

Content services (`initiative_create`, `initiative_update`, `budget_year_add`, …) write only while the
party may edit (draft, complement requested) and refuse otherwise: submitted content is frozen, and
each (re)submission keeps a Revision of what was handed in.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.language import in_swedish
from core.mail import absolute_url, mail_queue
from core.money import format_amount
from core.uploads import DOCUMENTS, check_upload, stored_name
from initiatives import permissions
from initiatives.models import (
    ANNULMENT_TRANSITIONS,
    TRANSITIONS,
    AreaAlignment,
    Attachment,
    BudgetYear,
    CoFinancing,
    Initiative,
    Message,
    Preparation,
    RegistrationCounter,
    Revision,
    Status,
)
from people.models import Party, User
from people.roles import Role

CONTENT_FIELDS = [
    "title",
    "summary",
    "description",
    "kind",
    "contact_name",
    "contact_email",
    "contact_phone",
    "whole_varmland_motivation",
    "transport_plan",
    "transport_plan_motivation",
    "start_date",
    "end_date",
]


def _track(obj, user: User, reason: str):
    obj._history_user = user
    obj._change_reason = reason[:100]
    return obj


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _sync(initiative: Initiative, saved: Initiative) -> Initiative:
    """Let the caller's object see what was saved (status, number, token)."""
    for model_field in Initiative._meta.concrete_fields:
        setattr(initiative, model_field.attname, getattr(saved, model_field.attname))
    return saved


# --- Status ------------------------------------------------------------------------------------------


@transaction.atomic
def initiative_transition(
    *,
    initiative: Initiative,
    to: Status,
    user: User,
    reason: str = "",
    fields: dict | None = None,
    annulment: bool = False,
) -> Initiative:
    """Move `initiative` to `to` if the table allows it. `fields` are further columns written in the
    same save (and so in the same history row), e.g. the registration number at submission.
    `annulment`: a meeting's recording is annulled, and the move back follows ANNULMENT_TRANSITIONS."""
    locked = _lock(initiative)
    table = ANNULMENT_TRANSITIONS if annulment else TRANSITIONS
    if to not in table.get(locked.status, ()):
        raise ValidationError(
            _("Initiativet kan inte gå från ”%(from)s” till ”%(to)s”."),
            code="invalid_transition",
            params={"from": Status(locked.status).label, "to": Status(to).label},
        )
    previous = locked.status
    locked.status = to
    for name, value in (fields or {}).items():
        setattr(locked, name, value)
    _track(locked, user, reason or f"status: {to}")
    locked.save(update_fields=["status", "updated_at", *(fields or {})])
    initiative.status = locked.status
    for name, value in (fields or {}).items():
        setattr(initiative, name, value)
    if not _notifications_held.get():
        _notify_transition(locked.pk, previous, to)
    return locked


# Bringing in 2022's history (imports) replays old status changes: nobody is to be mailed about them.
_notifications_held: ContextVar[bool] = ContextVar("initiative_notifications_held", default=False)


@contextmanager
def notifications_held():
    """Status changes made inside send no mail (the import of existing records; its rows are history)."""
    token = _notifications_held.set(True)
    try:
        yield
    finally:
        _notifications_held.reset(token)


@in_swedish()
def _notify_transition(initiative_pk: int, previous: str, to: str) -> None:
    """E-mail those concerned, queued in the change's transaction: the party's initiators and the one
    who created it, and on submission the secretariat."""
    initiative = Initiative.objects.select_related("party", "created_by").get(pk=initiative_pk)
    people = User.objects.filter(is_active=True).exclude(email="")
    party_people = people.filter(party=initiative.party, groups__name=Role.INITIATOR)
    recipients = {u.email for u in party_people}
    if initiative.created_by.email and initiative.created_by.is_active:
        recipients.add(initiative.created_by.email)
    if to == Status.SUBMITTED:
        recipients |= {u.email for u in people.filter(groups__name=Role.SECRETARIAT)}
    if not recipients:
        return
    number = initiative.registration_number or _("utkast")
    subject = _("%(number)s: %(status)s") % {"number": number, "status": Status(to).label}
    body = _(
        "Initiativet ”%(title)s” (%(number)s) från %(party)s har gått från ”%(from)s” till ”%(to)s”.\n\n"
        "Se initiativet i DGR: %(path)s\n"
    ) % {
        "title": initiative.title,
        "number": number,
        "party": initiative.party.name,
        "from": Status(previous).label,
        "to": Status(to).label,
        "path": absolute_url(initiative.get_absolute_url()),
    }
    mail_queue(subject=subject, body=body, recipients=recipients, event="initiative-status")


# --- Content -----------------------------------------------------------------------------------------


def _require_edit(user: User, initiative: Initiative) -> None:
    if not permissions.can_edit_initiative(user, initiative):
        raise PermissionDenied(_("Du kan inte ändra det här initiativet."))


def _set_alignments(initiative: Initiative, user: User, alignments: dict[int, str]) -> None:
    existing = {a.action_area_id: a for a in initiative.alignments.all()}
    for area_id, alignment in existing.items():
        if area_id not in alignments:
            _track(alignment, user, "alignment removed").delete()
    for area_id, motivation in alignments.items():
        alignment = existing.get(area_id) or AreaAlignment(initiative=initiative, action_area_id=area_id)
        if alignment.pk and alignment.motivation == motivation:
            continue
        alignment.motivation = motivation
        alignment.full_clean()
        _track(alignment, user, "alignment").save()


@transaction.atomic
def initiative_create(
    *,
    user: User,
    data: dict,
    co_parties: list[Party] | None = None,
    alignments: dict[int, str] | None = None,
) -> Initiative:
    if not permissions.can_create_initiative(user):
        raise PermissionDenied(_("Bara initiativtagare för en part kan skapa initiativ."))
    initiative = Initiative(party_id=user.party_id, created_by=user, status=Status.DRAFT)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(initiative, name, data[name])
    initiative.full_clean()
    _track(initiative, user, "created").save()
    if co_parties:
        initiative.co_parties.set([p for p in co_parties if p.pk != initiative.party_id])
    _set_alignments(initiative, user, alignments or {})
    return initiative


@transaction.atomic
def initiative_update(
    *,
    initiative: Initiative,
    user: User,
    data: dict,
    co_parties: list[Party] | None = None,
    alignments: dict[int, str] | None = None,
) -> Initiative:
    locked = _lock(initiative)
    _require_edit(user, locked)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.full_clean()
    _track(locked, user, "content edited").save()
    if co_parties is not None:
        wanted = {p.pk for p in co_parties if p.pk != locked.party_id}
        if wanted != set(locked.co_parties.values_list("pk", flat=True)):
            locked.co_parties.set(wanted)
    if alignments is not None:
        _set_alignments(locked, user, alignments)
    return locked


def _check_year_in_period(initiative: Initiative, year: int, field: str = "year") -> None:
    years = initiative.period_years()
    if years is None:
        raise ValidationError({field: _("Ange först projektperiodens start- och slutdatum.")})
    if year not in years:
        raise ValidationError(
            {
                field: _("Året måste ligga inom perioden %(start)s–%(end)s.")
                % {"start": years.start, "end": years.stop - 1}
            }
        )


@transaction.atomic
def budget_year_add(
    *, initiative: Initiative, user: User, year: int, total_cost: Decimal, requested_amount: Decimal
) -> BudgetYear:
    locked = _lock(initiative)
    _require_edit(user, locked)
    _check_year_in_period(locked, year)
    if BudgetYear.objects.filter(initiative=locked, year=year).exists():
        raise ValidationError({"year": _("Det finns redan en budget för %(year)s.") % {"year": year}})
    row = BudgetYear(initiative=locked, year=year, total_cost=total_cost, requested_amount=requested_amount)
    if requested_amount > total_cost:
        raise ValidationError(
            {"requested_amount": _("Det sökta beloppet kan inte vara större än den totala kostnaden.")}
        )
    row.full_clean()
    _track(row, user, "budget year added").save()
    return row


@transaction.atomic
def budget_year_change(
    *,
    initiative: Initiative,
    user: User,
    budget_year_id: int,
    total_cost: Decimal,
    requested_amount: Decimal,
) -> BudgetYear:
    """Correct a year's figures (the year itself stays: another year is a row of its own)."""
    locked = _lock(initiative)
    _require_edit(user, locked)
    row = BudgetYear.objects.select_for_update().get(initiative=locked, pk=budget_year_id)
    if requested_amount > total_cost:
        raise ValidationError(
            {"requested_amount": _("Det sökta beloppet kan inte vara större än den totala kostnaden.")}
        )
    row.total_cost, row.requested_amount = total_cost, requested_amount
    row.full_clean()
    _track(row, user, "budget year changed").save()
    return row


@transaction.atomic
def budget_year_remove(*, initiative: Initiative, user: User, budget_year_id: int) -> None:
    locked = _lock(initiative)
    _require_edit(user, locked)
    row = BudgetYear.objects.get(initiative=locked, pk=budget_year_id)
    _track(row, user, "budget year removed").delete()


@transaction.atomic
def co_financing_add(
    *,
    initiative: Initiative,
    user: User,
    year: int,
    source: str,
    funder: str,
    state: str,
    amount: Decimal,
) -> CoFinancing:
    locked = _lock(initiative)
    _require_edit(user, locked)
    _check_year_in_period(locked, year)
    row = CoFinancing(initiative=locked, year=year, source=source, funder=funder, state=state, amount=amount)
    row.full_clean()
    _track(row, user, "co-financing added").save()
    return row


@transaction.atomic
def co_financing_remove(*, initiative: Initiative, user: User, co_financing_id: int) -> None:
    locked = _lock(initiative)
    _require_edit(user, locked)
    row = CoFinancing.objects.get(initiative=locked, pk=co_financing_id)
    _track(row, user, "co-financing removed").delete()


@transaction.atomic
def attachment_add(*, initiative: Initiative, user: User, upload) -> Attachment:
    _require_edit(user, initiative)
    # Checked before the lock: reading a large archive must not hold up others working on the initiative.
    try:
        checked = check_upload(upload, allowed=DOCUMENTS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    locked = _lock(initiative)
    _require_edit(user, locked)
    attachment = Attachment(
        initiative=locked,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
    )
    attachment.file.save(stored_name(checked.extension), upload, save=False)
    # If the transaction fails after this, the stored file is orphaned: harmless, never served.
    _track(attachment, user, "attachment added").save()
    return attachment


@transaction.atomic
def attachment_remove(*, initiative: Initiative, user: User, attachment_id: int) -> Attachment:
    locked = _lock(initiative)
    _require_edit(user, locked)
    attachment = Attachment.objects.get(initiative=locked, pk=attachment_id, removed_at__isnull=True)
    attachment.removed_at = timezone.now()
    _track(attachment, user, "attachment removed").save()
    return attachment


# --- Submission --------------------------------------------------------------------------------------


def submission_problems(initiative: Initiative) -> dict[str, list[str]]:
    """What is missing before `initiative` can be submitted, by field (empty when it is complete)."""
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(str(message))

    for field, message in (
        ("summary", _("Skriv en sammanfattning.")),
        ("description", _("Beskriv satsningen.")),
        ("kind", _("Välj typ av satsning.")),
        ("contact_name", _("Ange en kontaktperson.")),
        ("whole_varmland_motivation", _("Motivera varför satsningen har betydelse för hela Värmland.")),
    ):
        if not getattr(initiative, field):
            add(field, message)
    if initiative.start_date is None:
        add("start_date", _("Ange startdatum."))
    if initiative.end_date is None:
        add("end_date", _("Ange slutdatum."))
    # The initiative page reads its alignments as lines with the initiative (selectors.initiative_detail).
    alignments = getattr(initiative, "alignment_lines", None)
    if alignments is None:
        alignments = list(initiative.alignments.all())
    if not alignments and not initiative.transport_plan:
        add(
            "alignment",
            _(
                "Ange minst en koppling: ett insatsområde i Värmlandsstrategin "
                "eller Trafikförsörjningsprogrammet."
            ),
        )
    if initiative.transport_plan and not initiative.transport_plan_motivation:
        add("transport_plan_motivation", _("Motivera kopplingen till Trafikförsörjningsprogrammet."))
    # The page reads the budget and the co-financing with the initiative (selectors.initiative_detail).
    budget = getattr(initiative, "budget_rows", None)
    if budget is None:
        budget = list(initiative.budget_years.all())
    co_financing = getattr(initiative, "co_financing_rows", None)
    if co_financing is None:
        co_financing = initiative.co_financing.all()
    if not budget:
        add("budget", _("Lägg till en budget för minst ett år."))
    years = initiative.period_years()
    if years is not None:
        outside = sorted(
            {b.year for b in budget if b.year not in years}
            | {c.year for c in co_financing if c.year not in years}
        )
        if outside:
            add(
                "budget",
                _("År utanför perioden: %(years)s. Ändra perioden eller ta bort raderna.")
                % {"years": ", ".join(str(y) for y in outside)},
            )
    return problems


def _next_registration_serial(year: int) -> int:
    # The counter row is created once per year (a concurrent creator is ignored) and then locked:
    # two submissions of the same year queue on it, and a rolled-back submission gives its number back.
    RegistrationCounter.objects.bulk_create([RegistrationCounter(year=year)], ignore_conflicts=True)
    counter = RegistrationCounter.objects.select_for_update().get(year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return counter.last_serial


def revision_content(initiative: Initiative) -> dict:
    """The frozen content of a submission, as plain JSON (strings for amounts and dates)."""

    def text(value):
        return "" if value is None else str(value)

    return {
        "title": initiative.title,
        "summary": initiative.summary,
        "description": initiative.description,
        "kind": initiative.get_kind_display(),
        "co_parties": sorted(p.name for p in initiative.co_parties.all()),
        "contact": ", ".join(
            x for x in (initiative.contact_name, initiative.contact_email, initiative.contact_phone) if x
        ),
        "whole_varmland_motivation": initiative.whole_varmland_motivation,
        "alignments": [
            {"area": a.action_area.name, "motivation": a.motivation}
            for a in initiative.alignments.select_related("action_area").order_by("action_area__order")
        ],
        "transport_plan": initiative.transport_plan_motivation if initiative.transport_plan else "",
        "period": f"{text(initiative.start_date)} – {text(initiative.end_date)}",
        "budget": [
            {"year": b.year, "total_cost": str(b.total_cost), "requested_amount": str(b.requested_amount)}
            for b in initiative.budget_years.order_by("year")
        ],
        "co_financing": [
            {
                "year": c.year,
                "source": c.get_source_display(),
                "funder": c.funder,
                "state": c.get_state_display(),
                "amount": str(c.amount),
            }
            for c in initiative.co_financing.order_by("year", "source", "funder")
        ],
        "attachments": [a.original_name for a in initiative.attachments.filter(removed_at__isnull=True)],
    }


@transaction.atomic
def initiative_submit(
    *, initiative: Initiative, user: User, token: uuid.UUID | str, submitted_at: datetime | None = None
) -> Initiative:
    """Hand in the initiative (first time or after a complement). Issues the registration number at the
    first submission, in this transaction. A form carrying an old token (double click, resent form)
    changes nothing and returns the initiative as it is.

    `submitted_at` records a submission made earlier (historical records, the demo's 2022 history):
    the number is then taken from that year's counter, so each year stays gapless. Views never pass it."""
    locked = _lock(initiative)
    if str(locked.submission_token) != str(token):
        if locked.status not in (Status.DRAFT, Status.COMPLEMENT_REQUESTED) and _of_party(user, locked):
            return locked  # already handed in with this form: nothing twice
        raise ValidationError(_("Formuläret är inaktuellt. Ladda om sidan och försök igen."), code="stale")
    if not permissions.can_submit_initiative(user, locked):
        raise PermissionDenied(_("Du kan inte lämna in det här initiativet."))
    problems = submission_problems(locked)
    if problems:
        raise ValidationError(problems)
    now = submitted_at or timezone.now()
    fields: dict = {"submission_token": uuid.uuid4(), "submitted_at": now}
    if locked.registration_serial is None:
        year = timezone.localdate(now).year
        fields["registration_year"] = year
        fields["registration_serial"] = _next_registration_serial(year)
    first = locked.registration_serial is None
    submitted = initiative_transition(
        initiative=locked,
        to=Status.SUBMITTED,
        user=user,
        reason="submitted" if first else "resubmitted after complement",
        fields=fields,
    )
    number = submitted.revisions.count() + 1
    revision = Revision(
        initiative=submitted,
        number=number,
        submitted_at=now,
        submitted_by=user,
        content=revision_content(submitted),
    )
    revision.full_clean()
    _track(revision, user, f"revision {number}").save()
    return _sync(initiative, submitted)


def _of_party(user: User, initiative: Initiative) -> bool:
    return permissions.is_initiator(user) and user.party_id == initiative.party_id


@transaction.atomic
def initiative_withdraw(*, initiative: Initiative, user: User, reason: str = "") -> Initiative:
    locked = _lock(initiative)
    if not permissions.can_withdraw_initiative(user, locked):
        raise PermissionDenied(_("Du kan inte återkalla det här initiativet."))
    withdrawn = initiative_transition(
        initiative=locked,
        to=Status.WITHDRAWN,
        user=user,
        reason=(f"withdrawn: {reason}" if reason else "withdrawn")[:100],
    )
    if reason:
        _message(withdrawn, user, Message.Kind.MESSAGE, _("Återkallat: %(reason)s") % {"reason": reason})
    return _sync(initiative, withdrawn)


# --- Preparation -------------------------------------------------------------------------------------


def _require_prepare(user: User, initiative: Initiative) -> None:
    if not permissions.can_prepare_initiative(user, initiative):
        raise PermissionDenied(_("Bara sekretariatet bereder inlämnade initiativ."))


def _preparation(initiative: Initiative) -> Preparation:
    try:
        return Preparation.objects.select_for_update().get(initiative=initiative)
    except Preparation.DoesNotExist:
        return Preparation(initiative=initiative)


CHECKLIST_FIELDS = [
    "check_whole_varmland",
    "check_not_single_party",
    "check_alignment",
    "check_cofinancing_noted",
    "check_complete",
]


@transaction.atomic
def preparation_save(
    *,
    initiative: Initiative,
    user: User,
    checklist: dict[str, bool],
    assessment: str = "",
    proposed_position: str = "",
    proposed_amount: Decimal | None = None,
) -> Preparation:
    """The secretariat's working notes: checklist, assessment, proposal. Changes no status."""
    locked = _lock(initiative)
    _require_prepare(user, locked)
    preparation = _preparation(locked)
    for name in CHECKLIST_FIELDS:
        setattr(preparation, name, bool(checklist.get(name)))
    preparation.assessment = assessment
    preparation.proposed_position = proposed_position
    supports = proposed_position == Preparation.Position.SUPPORT
    preparation.proposed_amount = proposed_amount if supports else None
    preparation.full_clean()
    _track(preparation, user, "preparation saved").save()
    return preparation


@transaction.atomic
def initiative_request_complement(*, initiative: Initiative, user: User, message: str) -> Initiative:
    locked = _lock(initiative)
    _require_prepare(user, locked)
    if not message.strip():
        raise ValidationError({"message": _("Skriv vad som ska kompletteras.")})
    _message(locked, user, Message.Kind.COMPLEMENT_REQUEST, message)
    return _sync(
        initiative,
        initiative_transition(
            initiative=locked, to=Status.COMPLEMENT_REQUESTED, user=user, reason="complement requested"
        ),
    )


@transaction.atomic
def initiative_mark_not_eligible(*, initiative: Initiative, user: User, reason: str) -> Initiative:
    locked = _lock(initiative)
    _require_prepare(user, locked)
    if not reason.strip():
        raise ValidationError({"reason": _("Ange skälet till att initiativet inte är stödberättigat.")})
    preparation = _preparation(locked)
    preparation.not_eligible_reason = reason.strip()
    preparation.prepared_by, preparation.prepared_at = user, timezone.now()
    preparation.full_clean()
    _track(preparation, user, "not eligible").save()
    _message(locked, user, Message.Kind.NOT_ELIGIBLE, reason)
    return _sync(
        initiative,
        initiative_transition(initiative=locked, to=Status.NOT_ELIGIBLE, user=user, reason="not eligible"),
    )


@transaction.atomic
def initiative_mark_prepared(
    *,
    initiative: Initiative,
    user: User,
    assessment: str,
    proposed_position: str,
    proposed_amount: Decimal | None,
    checklist: dict[str, bool] | None = None,
) -> Initiative:
    """Preparation done: the checklist complete, an assessment and a proposed position (support with
    an amount no larger than requested, or not). The council app takes it from PREPARED."""
    locked = _lock(initiative)
    _require_prepare(user, locked)
    preparation = _preparation(locked)
    if checklist is not None:
        for name in CHECKLIST_FIELDS:
            setattr(preparation, name, bool(checklist.get(name)))
    errors: dict[str, list[str]] = {}
    if not preparation.checklist_complete:
        errors["checklist"] = [_("Gå igenom hela kontrollistan innan initiativet markeras som berett.")]
    if not assessment.strip():
        errors["assessment"] = [_("Skriv en bedömning.")]
    if proposed_position not in Preparation.Position.values:
        errors["proposed_position"] = [_("Välj ett förslag till ställningstagande.")]
    if proposed_position == Preparation.Position.SUPPORT:
        requested = sum((b.requested_amount for b in locked.budget_years.all()), Decimal("0"))
        if proposed_amount is None:
            errors["proposed_amount"] = [_("Ange det belopp som föreslås.")]
        elif proposed_amount > requested:
            errors["proposed_amount"] = [
                _("Det föreslagna beloppet är större än det sökta (%(requested)s).")
                % {"requested": format_amount(requested)}
            ]
    if errors:
        raise ValidationError(errors)
    preparation.assessment = assessment.strip()
    preparation.proposed_position = proposed_position
    supports = proposed_position == Preparation.Position.SUPPORT
    preparation.proposed_amount = proposed_amount if supports else None
    preparation.prepared_by, preparation.prepared_at = user, timezone.now()
    preparation.full_clean()
    _track(preparation, user, "prepared").save()
    return _sync(
        initiative, initiative_transition(initiative=locked, to=Status.PREPARED, user=user, reason="prepared")
    )


@transaction.atomic
def initiative_reopen_preparation(*, initiative: Initiative, user: User, reason: str = "") -> Initiative:
    """Back from PREPARED to preparation (SUBMITTED), e.g. when new facts arrive before VRAU proposes it.
    The preparation notes stay; `prepared_at` is cleared until it is marked prepared again."""
    locked = _lock(initiative)
    if not permissions.can_reopen_preparation(user, locked):
        raise PermissionDenied(_("Bara sekretariatet kan återuppta beredningen av ett berett initiativ."))
    preparation = _preparation(locked)
    if preparation.pk:
        preparation.prepared_at = None
        _track(preparation, user, "preparation reopened").save()
    return _sync(
        initiative,
        initiative_transition(
            initiative=locked,
            to=Status.SUBMITTED,
            user=user,
            reason=(f"preparation reopened: {reason}" if reason else "preparation reopened")[:100],
        ),
    )


# --- Messages ----------------------------------------------------------------------------------------


def _message(initiative: Initiative, user: User, kind: str, body: str) -> Message:
    message = Message(initiative=initiative, author=user, kind=kind, body=body.strip())
    message.full_clean()
    _track(message, user, kind).save()
    return message


@transaction.atomic
def message_post(*, initiative: Initiative, user: User, body: str) -> Message:
    if not permissions.can_post_message(user, initiative):
        raise PermissionDenied(_("Du kan inte skriva i den här tråden."))
    if not body.strip():
        raise ValidationError({"body": _("Skriv ett meddelande.")})
    message = _message(initiative, user, Message.Kind.MESSAGE, body)
    _notify_message(message.pk)
    return message


@in_swedish()
def _notify_message(message_pk: int) -> None:
    message = Message.objects.select_related("initiative", "initiative__party", "author").get(pk=message_pk)
    initiative = message.initiative
    people = User.objects.filter(is_active=True).exclude(email="").exclude(pk=message.author_id)
    if message.author.party_id == initiative.party_id and not message.author.has_role(Role.SECRETARIAT):
        to = people.filter(groups__name=Role.SECRETARIAT)
    else:
        to = people.filter(party=initiative.party, groups__name=Role.INITIATOR)
    recipients = sorted({u.email for u in to})
    mail_queue(
        subject=_("%(number)s: nytt meddelande") % {"number": initiative.registration_number},
        body=f"{message.author}:\n\n{message.body}\n\n{absolute_url(initiative.get_absolute_url())}\n",
        recipients=recipients,
        event="initiative-message",
    )


# --- Import of existing records (going live) -----------------------------------------------------------

# The statuses an imported initiative may be given here, and the path to each from SUBMITTED, walked
# through `initiative_transition` so the audit trail shows every step. Later statuses (supported, not
# supported, decided, completed) are reached the normal way: by importing Värmlandsrådet's position, Region
# Värmland's decision and the completion, each through its own service.
IMPORT_PATHS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (),
    Status.COMPLEMENT_REQUESTED: (Status.COMPLEMENT_REQUESTED,),
    Status.PREPARED: (Status.PREPARED,),
    Status.NOT_ELIGIBLE: (Status.NOT_ELIGIBLE,),
    Status.PROPOSED: (Status.PREPARED, Status.PROPOSED),
    Status.WITHDRAWN: (Status.WITHDRAWN,),
}


def _raise_registration_counter(year: int, serial: int) -> None:
    """The gapless series continues after the highest number imported for the year."""
    RegistrationCounter.objects.bulk_create([RegistrationCounter(year=year)], ignore_conflicts=True)
    counter = RegistrationCounter.objects.select_for_update().get(year=year)
    if counter.last_serial < serial:
        counter.last_serial = serial
        counter.save(update_fields=["last_serial"])


@transaction.atomic
def initiative_import(
    *,
    user: User,
    party: Party,
    registration_year: int,
    registration_serial: int,
    submitted_at: datetime,
    status: str,
    data: dict,
    co_parties: list[Party] | None = None,
    alignments: dict[int, str] | None = None,
    budget: list[tuple[int, Decimal, Decimal]] | None = None,
) -> Initiative:
    """An initiative from the diarium that predates DGR, keeping its registration number and the date it
    was handed in. The secretariat brings it in; the content is what was handed in then (no completeness
    check: old records are what they are), frozen as revision 1. The year's counter is raised to at least
    the imported number, so the next submission continues the series."""
    if not permissions.is_secretariat(user):
        raise PermissionDenied(_("Bara sekretariatet kan importera initiativ."))
    if status not in IMPORT_PATHS:
        raise ValidationError(
            {"status": _("Status ”%(status)s” kan inte importeras här.") % {"status": Status(status).label}},
            code="status_not_importable",
        )
    if registration_serial < 1:
        raise ValidationError({"registration_serial": _("Löpnumret måste vara minst 1.")})
    if Initiative.objects.filter(
        registration_year=registration_year, registration_serial=registration_serial
    ).exists():
        raise ValidationError(
            {
                "registration_serial": _("Diarienumret DGR %(year)s/%(serial)04d finns redan.")
                % {"year": registration_year, "serial": registration_serial}
            },
            code="duplicate_registration_number",
        )
    initiative = Initiative(party=party, created_by=user, status=Status.DRAFT)
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(initiative, name, data[name])
    initiative.full_clean()
    _track(initiative, user, "imported").save()
    if co_parties:
        initiative.co_parties.set([p for p in co_parties if p.pk != party.pk])
    _set_alignments(initiative, user, alignments or {})
    for year, total_cost, requested_amount in budget or []:
        if requested_amount > total_cost:
            raise ValidationError(
                {"requested_amount": _("Det sökta beloppet kan inte vara större än den totala kostnaden.")}
            )
        row = BudgetYear(
            initiative=initiative, year=year, total_cost=total_cost, requested_amount=requested_amount
        )
        row.full_clean()
        _track(row, user, "imported budget").save()
    _raise_registration_counter(registration_year, registration_serial)
    with notifications_held():  # history replayed: nobody is mailed about a submission of 2022
        initiative_transition(
            initiative=initiative,
            to=Status.SUBMITTED,
            user=user,
            reason="imported: submitted",
            fields={
                "registration_year": registration_year,
                "registration_serial": registration_serial,
                "submitted_at": submitted_at,
                "submission_token": uuid.uuid4(),
            },
        )
    revision = Revision(
        initiative=initiative,
        number=1,
        submitted_at=submitted_at,
        submitted_by=user,
        content=revision_content(initiative),
    )
    revision.full_clean()
    _track(revision, user, "imported revision 1").save()
    with notifications_held():
        for step in IMPORT_PATHS[status]:
            initiative_transition(initiative=initiative, to=step, user=user, reason=f"imported: {step}")
    return initiative


@transaction.atomic
def initiative_complete_imported(*, initiative: Initiative, completed_on: date, user: User) -> Initiative:
    """For historical records only: an initiative completed before DGR, recorded from the fund's books when
    its postings are imported (the "Avslut" row). Today an initiative is completed when the secretariat
    approves its final outcome report (`outcomes.services.outcome_report_review`); this is no way around
    that, so only an initiative brought in by `initiative_import`, already decided, may be completed here,
    on a day that has passed. Nobody is mailed: the completion is history replayed."""
    if not permissions.can_complete_imported_initiative(user):
        raise PermissionDenied(_("Bara Region Värmlands ekonomi registrerar tidigare avslutade initiativ."))
    if completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on": _("Avslutsdagen ligger i framtiden.")}, code="future_completion"
        )
    locked = _lock(initiative)
    if not locked.history.filter(history_type="+", history_change_reason="imported").exists():
        raise ValidationError(
            {
                "initiative": _(
                    "%(number)s handläggs i DGR och avslutas när dess slutrapport godkänns; "
                    "bara initiativ som importerats ur tidigare handläggning avslutas så här."
                )
                % {"number": locked.registration_number}
            },
            code="not_imported",
        )
    if locked.status != Status.DECIDED:
        raise ValidationError(
            {
                "initiative": _("Bara ett beviljat initiativ kan avslutas (status nu ”%(status)s”).")
                % {"status": Status(locked.status).label}
            },
            code="not_decided",
        )
    with notifications_held():
        return _sync(
            initiative,
            initiative_transition(
                initiative=locked,
                to=Status.COMPLETED,
                user=user,
                reason=f"Avslutat {completed_on.isoformat()} (importerat)",
            ),
        )


RETENTION_REASON = "gallrad: utkast som aldrig lämnades in"


@transaction.atomic
def drafts_remove(cutoff) -> int:
    """The retention rule for drafts never submitted (core/retention.py, DGR_RETENTION_DRAFT_DAYS): each
    draft, its rows and its files are deleted; the history keeps a deletion entry of each with the reason,
    and no one as its author (the rule, not a person, removed it)."""
    from initiatives.selectors import drafts_abandoned

    drafts = list(drafts_abandoned(cutoff).select_for_update(of=("self",)).order_by("pk"))
    for draft in drafts:
        for attachment in draft.attachments.all():
            # The file goes only once the rows are gone for good (a rollback keeps both).
            transaction.on_commit(partial(attachment.file.storage.delete, attachment.file.name))
            _track(attachment, None, RETENTION_REASON).delete()
        for rows in (draft.alignments.all(), draft.budget_years.all(), draft.co_financing.all()):
            for row in rows:
                _track(row, None, RETENTION_REASON).delete()
        _track(draft, None, RETENTION_REASON).delete()
    return len(drafts)
