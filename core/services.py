import dataclasses
import hashlib
import json
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from core.language import in_swedish
from core.mail import absolute_url, mail_queue
from core.models import AccessibilityReport, IdempotencyKey, OutgoingMail


@transaction.atomic
def accessibility_report_create(
    *, user, page_url: str, description: str, contact: str
) -> AccessibilityReport:
    report = AccessibilityReport(
        page_url=page_url,
        description=description,
        contact=contact,
        reported_by=user if user is not None and user.is_authenticated else None,
    )
    report.full_clean()
    report.save()
    recipient = getattr(settings, "DGR_ACCESSIBILITY_EMAIL", settings.DEFAULT_FROM_EMAIL)
    with in_swedish():
        subject = _("Tillgänglighetsproblem rapporterat i DGR")
    page = report.page_url
    if page.startswith("/"):
        page = absolute_url(page)
    mail_queue(
        subject=subject, body=f"{page}\n\n{report.description}\n\n{report.contact}", recipients=[recipient]
    )
    return report


# --- one-time keys of forms --------------------------------------------------------------------------

KEY_USED_FOR_ANOTHER_REQUEST = "key_used_for_another_request"


def _canonical(value):
    """The request's content as plain JSON values: objects by their identity, files by their bytes."""
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, File):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"sha256:{digest.hexdigest()}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Decimal | date | datetime | uuid.UUID):
        return str(value)
    return value


def request_fingerprint(*, action: str, content: dict, user) -> str:
    """SHA-256 of what a request asks for: the action, its content and who asks."""
    text = json.dumps(
        {"action": action, "user": user.pk, "content": _canonical(content)},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def idempotency_key_claim(*, key: uuid.UUID | None, action: str, content: dict, user) -> bool:
    """Claim a form's one-time key for this request. True: go on, this is the key's first request (or
    there is no key). False: this very request has already been carried out; return its outcome.

    Runs in the caller's transaction, so the claim commits or rolls back with the outcome. The claim is
    an INSERT … ON CONFLICT DO NOTHING: a second request with the key waits for the first's transaction
    to end, then either finds the committed claim (and the outcome beside it) or, if the first rolled
    back, claims the key itself. A key already used for other content (another amount, another user, a
    form sent back and changed) is refused: its first request stands, and nothing is done twice.
    """
    if key is None:
        return True
    if not connection.in_atomic_block:  # pragma: no cover - a programming error, not a user's
        raise RuntimeError("idempotency_key_claim must run inside the transaction it guards")
    fingerprint = request_fingerprint(action=action, content=content, user=user)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_idempotencykey (key, action, fingerprint, user_id, claimed_at)"
            " VALUES (%s, %s, %s, %s, now()) ON CONFLICT (key) DO NOTHING RETURNING key",
            [key, action, fingerprint, user.pk],
        )
        if cursor.fetchone() is not None:
            return True
    claimed = IdempotencyKey.objects.get(key=key)
    if claimed.action != action or claimed.fingerprint != fingerprint:
        raise ValidationError(
            _(
                "Formuläret har redan skickats in en gång med andra uppgifter, och det som då registrerades "
                "gäller. Kontrollera uppgifterna nedan och skicka formuläret igen om du vill registrera "
                "något nytt."
            ),
            code=KEY_USED_FOR_ANOTHER_REQUEST,
        )
    return False


def idempotency_keys_before(cutoff):
    """Keys claimed before `cutoff`: a form that old is not sent again (core/retention.py removes them)."""
    return IdempotencyKey.objects.filter(claimed_at__lt=cutoff)


def idempotency_keys_remove(cutoff) -> int:
    return idempotency_keys_before(cutoff).delete()[0]


@transaction.atomic
def mail_retry(*, mail: OutgoingMail, user) -> OutgoingMail:
    """An administrator sends a failed mail again: it waits for a worker, with a fresh round of tries."""
    from core.permissions import can_manage_mail
    from core.tasks import mail_send

    if not can_manage_mail(user):
        raise PermissionDenied(_("Bara administratörer hanterar utgående e-post."))
    locked = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if locked.status != OutgoingMail.Status.FAILED:
        raise ValidationError(_("Bara e-post som inte kunde skickas kan skickas igen."), code="not_failed")
    locked.status = OutgoingMail.Status.WAITING
    locked._history_user = user
    locked._change_reason = "skickas igen"
    locked.save(update_fields=["status"])
    mail_send.defer(mail_id=locked.pk)
    return locked


# --- notification settings and the daily digest ------------------------------------------------------


@transaction.atomic
def notification_settings_save(*, user, choices: dict[str, str]) -> list[str]:
    """A person's own choice per event kind (core/notifications.py). Refuses a kind that does not
    concern them, an unknown choice, and "none" for a kind that cannot be turned off; writes only what
    changed, each change with its history. Returns the keys changed."""
    from core.models import Delivery, NotificationSetting
    from core.notifications import kinds_for

    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Logga in för att välja din e-post."))
    offered = {kind.key: kind for kind in kinds_for(user)}
    problems = {}
    for key, delivery in choices.items():
        kind = offered.get(key)
        if kind is None:
            problems[key] = _("Den här händelsen gäller inte dig.")
        elif delivery not in {value for value, _label in kind.choices}:
            problems[key] = _("Välj e-post direkt, daglig sammanfattning eller ingen.")
    if problems:
        raise ValidationError(problems)
    rows = NotificationSetting.objects.select_for_update().filter(user=user, event__in=choices)
    existing = {setting.event: setting for setting in rows}
    changed = []
    for key, delivery in sorted(choices.items()):
        setting = existing.get(key)
        if setting is None:
            if delivery == Delivery.IMMEDIATE:
                continue  # no row is "at once": nothing to record
            setting = NotificationSetting(user=user, event=key)
        elif setting.delivery == delivery:
            continue
        setting.delivery = delivery
        setting.full_clean(validate_constraints=False)
        setting._history_user = user
        setting._change_reason = "e-postinställning"
        setting.save()
        changed.append(key)
    return changed


def digest_send(*, today: date) -> int:
    """Each person's events kept for the daily digest, as one mail per person, with what waits for them
    in DGR (the start page's to-do counts). Each person in a transaction of their own, their entries
    locked (SKIP LOCKED: two workers never send the same entries). Returns the number of mails queued."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from core.models import DigestEntry
    from core.todo import kinds, todo_counts

    sent = 0
    people = DigestEntry.objects.filter(sent_at=None).values_list("user_id", flat=True).distinct()
    for user_id in sorted(set(people)):
        with transaction.atomic():
            entries = list(
                DigestEntry.objects.select_for_update(skip_locked=True)
                .filter(user_id=user_id, sent_at=None)
                .order_by("created_at", "id")
            )
            if not entries:
                continue
            person = get_user_model().objects.get(pk=user_id)
            mail = None
            if person.is_active and person.email:
                with in_swedish():
                    counts = todo_counts(person, today)
                    waiting = [(k.label, counts[k.key]) for k in kinds() if counts.get(k.key)]
                    subject = _("DGR: sammanfattning %(date)s") % {"date": today.isoformat()}
                    lines = [_("Det här har hänt i DGR sedan förra sammanfattningen:"), ""]
                    for entry in entries:
                        lines += [f"– {entry.subject}", "", entry.body.strip(), ""]
                    if waiting:
                        lines += [_("Det här väntar på dig:")]
                        lines += [f"– {label}: {count}" for label, count in waiting]
                        lines += [""]
                    lines += [
                        _("Se allt på startsidan: %(url)s") % {"url": absolute_url(reverse("start"))},
                        _("Välj vilken e-post du får: %(url)s")
                        % {"url": absolute_url(reverse("people:notification-settings"))},
                    ]
                queued = mail_queue(subject=subject, body="\n".join(lines) + "\n", recipients=[person.email])
                mail = queued[0] if queued else None
                sent += bool(mail)
            now = timezone.now()
            for entry in entries:
                entry.sent_at = now
                entry.mail = mail
                entry._change_reason = "daglig sammanfattning"
                entry.save(update_fields=["sent_at", "mail"])
    return sent
