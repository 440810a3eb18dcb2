"""Outcome reporting's state changes: an initiator hands in a report, the secretariat reviews it, and the
daily reminders. Each writes its history with the acting user and queues its mail (core.mail) in the same
transaction.

Approving the final report completes the initiative through `initiatives.services.initiative_transition`
and then lets the ledger release what is left of its reservation
(`accounting.services.initiative_completion_release`), in the same transaction.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounting.services import initiative_completion_release
from core.language import in_swedish
from core.mail import absolute_url, mail_queue
from core.money import format_amount
from core.uploads import DOCUMENTS, check_upload, stored_name
from initiatives.models import Initiative, Status
from initiatives.services import initiative_transition
from outcomes.models import (
    OutcomeAttachment,
    OutcomeIndicator,
    OutcomeKind,
    OutcomeReminder,
    OutcomeReport,
    OutcomeReview,
)
from outcomes.permissions import can_report_outcome, can_review_outcome
from outcomes.selectors import REMIND_DAYS_BEFORE, outcome_schedule
from people.models import User
from people.roles import Role


def _track(obj, user: User, reason: str):
    obj._history_user = user
    obj._change_reason = reason[:100]
    return obj


def _granted(initiative: Initiative) -> Decimal:
    """What Region Värmland granted, through the reverse relation of the ledger's decisions (no import)."""
    return sum((d.amount for d in initiative.decisions.all()), Decimal("0.00"))


def _outcome_problems(*, initiative: Initiative, data: dict, indicators: list[dict]) -> dict[str, list[str]]:
    """Rules across fields and rows: required parts, possible figures, the period inside the initiative's."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field, label in (
        ("activities", _("Beskriv vilka aktiviteter som genomförts.")),
        ("summary", _("Sammanfatta utfallet.")),
        ("status", _("Välj en lägesbedömning.")),
    ):
        if not (data.get(field) or "").strip():
            refuse(field, label)
    for field in ("spent", "co_financing_received"):
        value = data.get(field)
        if value is None:
            refuse(field, _("Ange ett belopp (0 om inget)."))
        elif value < 0:
            refuse(field, _("Beloppet kan inte vara negativt."))
    start, end = data.get("period_start"), data.get("period_end")
    if start and end and end < start:
        refuse("period_end", _("Periodens slut kan inte ligga före dess början."))
    spent = data.get("spent")
    if (
        spent is not None
        and spent > _granted(initiative)
        and not (data.get("overspend_explanation") or "").strip()
    ):
        refuse(
            "overspend_explanation",
            _(
                "Använda medel (%(spent)s) är mer än det beviljade beloppet (%(granted)s): "
                "förklara avvikelsen."
            )
            % {"spent": format_amount(spent), "granted": format_amount(_granted(initiative))},
        )
    if not indicators:
        refuse("indicators", _("Redovisa minst en indikator med mål och utfall."))
    for row in indicators:
        if row["target"] < 0 or row["actual"] < 0:
            refuse("indicators", _("Indikatorernas mål och utfall kan inte vara negativa."))
            break
    return problems


@transaction.atomic
def outcome_report_submit(
    *,
    initiative: Initiative,
    user: User,
    kind: str,
    due_on,
    data: dict,
    indicators: list[dict],
    uploads: list | None = None,
):
    """An initiator hands in a progress or final report for a due date of the computed schedule. A report
    sent back for a complement is answered by a new report for the same due date (nothing is edited)."""
    # Files are checked before the lock: reading large archives must not hold up the initiative.
    checked, file_problems = [], []
    for upload in uploads or []:
        try:
            checked.append((upload, check_upload(upload, allowed=DOCUMENTS)))
        except ValidationError as exc:
            file_problems.extend(exc.messages)
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not can_report_outcome(user, locked):
        raise PermissionDenied(_("Du kan inte rapportera utfall för det här initiativet."))
    slot = next((d for d in outcome_schedule(locked) if d.kind == kind and d.due_on == due_on), None)
    if slot is None:
        raise ValidationError(_("Det finns ingen sådan rapport att lämna för initiativet."), code="not_due")
    if slot.is_done:
        raise ValidationError(_("Rapporten är redan inlämnad."), code="already_submitted")
    problems = _outcome_problems(initiative=locked, data=data, indicators=indicators)
    if file_problems:
        problems["files"] = file_problems
    if problems:
        raise ValidationError(problems)
    report = OutcomeReport(
        initiative=locked,
        kind=kind,
        due_on=due_on,
        period_start=data.get("period_start") or slot.period_start,
        period_end=data.get("period_end") or slot.period_end,
        activities=data["activities"],
        summary=data["summary"],
        status=data["status"],
        spent=data["spent"],
        co_financing_received=data["co_financing_received"],
        overspend_explanation=data.get("overspend_explanation", ""),
        review=OutcomeReview.SUBMITTED,
        submitted_by=user,
    )
    report.full_clean(exclude=["submitted_by"])
    _track(report, user, "outcome report submitted").save()
    for row in indicators:
        indicator = OutcomeIndicator(report=report, **row)
        indicator.full_clean()
        _track(indicator, user, "outcome indicator").save()
    for upload, kind_found in checked:
        attachment = OutcomeAttachment(
            report=report,
            original_name=kind_found.display_name,
            content_type=kind_found.content_type,
            size=kind_found.size,
            uploaded_by=user,
        )
        attachment.file.save(stored_name(kind_found.extension), upload, save=False)
        _track(attachment, user, "outcome attachment").save()
    _notify_outcome(report.pk)
    return report


@transaction.atomic
def outcome_report_review(*, report, user: User, approve: bool, comment: str = ""):
    """The secretariat approves a report or asks for a complement (with a comment). Approving a final
    report completes the initiative (DECIDED → COMPLETED) and releases what is left of its reservation."""
    locked = OutcomeReport.objects.select_for_update().select_related("initiative").get(pk=report.pk)
    if not can_review_outcome(user, locked):
        raise PermissionDenied(_("Du kan inte granska den här rapporten."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Skriv vad som behöver kompletteras.")})
    locked.review = OutcomeReview.APPROVED if approve else OutcomeReview.COMPLEMENT_REQUESTED
    locked.review_comment = comment.strip()
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.full_clean()
    _track(locked, user, "outcome report approved" if approve else "outcome complement requested").save()
    locked.completion_notes = []
    if approve and locked.kind == OutcomeKind.FINAL and locked.initiative.status == Status.DECIDED:
        initiative_transition(
            initiative=locked.initiative,
            to=Status.COMPLETED,
            user=user,
            reason="final report approved",
        )
        note = initiative_completion_release(initiative=locked.initiative, user=user)
        locked.completion_notes = [note] if note else []
    _notify_outcome(locked.pk)
    return locked


def _outcome_recipients(initiative: Initiative) -> list[str]:
    people = User.objects.filter(is_active=True).exclude(email="")
    recipients = {u.email for u in people.filter(party=initiative.party_id, groups__name=Role.INITIATOR)}
    if initiative.contact_email:
        recipients.add(initiative.contact_email)
    return sorted(recipients)


@in_swedish()
def _notify_outcome(report_pk: int) -> None:

    report = OutcomeReport.objects.select_related("initiative__party").get(pk=report_pk)
    initiative = report.initiative
    if report.review == OutcomeReview.SUBMITTED:
        recipients = sorted(
            u.email
            for u in User.objects.filter(is_active=True, groups__name=Role.SECRETARIAT).exclude(email="")
        )
    else:
        recipients = _outcome_recipients(initiative)
    mail_queue(
        subject=_("%(number)s: %(kind)s %(review)s")
        % {
            "number": initiative.registration_number,
            "kind": report.get_kind_display().lower(),
            "review": report.get_review_display().lower(),
        },
        body=f"{initiative.title}\n\n{report.review_comment}\n\n{absolute_url(report.get_absolute_url())}\n",
        recipients=recipients,
        event="outcome-review",
    )


@in_swedish()  # the reminders go to everyone concerned, and run from a command
def outcome_reminders_send(*, today, user: User) -> int:
    """E-mail the initiators of every report due within REMIND_DAYS_BEFORE days or overdue. Idempotent per
    report and day: a reminder row (unique per initiative, report and day) is written in the same
    transaction as the mail is queued; a second run the same day finds it and sends nothing."""
    sent = 0
    initiatives = (
        Initiative.objects.filter(status=Status.DECIDED)
        .select_related("party")
        .prefetch_related("decisions", "outcome_reports")
    )
    for initiative in initiatives:
        for due in outcome_schedule(initiative, list(initiative.outcome_reports.all())):
            if due.is_done or due.due_on - today > datetime.timedelta(days=REMIND_DAYS_BEFORE):
                continue
            recipients = _outcome_recipients(initiative)
            try:
                with transaction.atomic():
                    OutcomeReminder.objects.create(
                        initiative=initiative,
                        kind=due.kind,
                        due_on=due.due_on,
                        sent_on=today,
                        recipients=", ".join(recipients),
                        sent_by=user,
                    )
                    if recipients:
                        subject = _("%(number)s: %(kind)s senast %(due)s") % {
                            "number": initiative.registration_number,
                            "kind": due.kind_label.lower(),
                            "due": due.due_on.isoformat(),
                        }
                        body = _(
                            "Påminnelse: %(kind)s för ”%(title)s” ska lämnas senast %(due)s "
                            "(perioden %(start)s – %(end)s).\n\nLämna den i DGR: %(path)s\n"
                        ) % {
                            "kind": due.kind_label,
                            "title": initiative.title,
                            "due": due.due_on.isoformat(),
                            "start": due.period_start.isoformat(),
                            "end": due.period_end.isoformat(),
                            "path": absolute_url(initiative.get_absolute_url()),
                        }
                        mail_queue(
                            subject=subject, body=body, recipients=recipients, event="outcome-reminder"
                        )
            except IntegrityError:
                continue  # already reminded today
            sent += 1
    return sent
