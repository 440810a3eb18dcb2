"""Retention rules (core/retention.py): what each removes, what it keeps, the trace, and the database's
own limits on what the app can remove."""

import datetime
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from core.models import DigestEntry, IdempotencyKey, OutgoingMail, OutgoingMailAttachment, RetentionRun
from core.retention import retention_apply
from initiatives import services
from initiatives.models import Attachment, BudgetYear, Initiative
from tests.core.factories import PDF, upload
from tests.factories import initiative_draft, initiative_submitted

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def sent_mail(recipient, sent_days_ago):
    return OutgoingMail.objects.create(
        recipient=recipient,
        subject="Påminnelse",
        body="Text",
        status=OutgoingMail.Status.SENT,
        sent_at=timezone.now() - sent_days_ago * DAY,
    )


def age(initiative, days):
    """A draft last changed `days` ago (updated_at is set on every save, so it is set past the model)."""
    Initiative.objects.filter(pk=initiative.pk).update(updated_at=timezone.now() - days * DAY)


def runs():
    return dict(RetentionRun.objects.values_list("rule", "removed"))


def test_delivered_mail_older_than_the_rule_goes_and_everything_else_stays(settings):
    settings.DGR_RETENTION_MAIL_DAYS = 90
    old = sent_mail("gammal@example.invalid", 91)
    recent = sent_mail("ny@example.invalid", 89)
    waiting = OutgoingMail.objects.create(recipient="väntar@example.invalid", subject="S", body="B")

    retention_apply()

    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert runs()["core.mail_delivered"] == 1
    # The mail's history (without its text) stays as the record that it was sent.
    assert OutgoingMail.history.filter(id=old.pk).exists()


def test_a_digest_mail_goes_with_the_entries_it_carried(settings, initiator):
    settings.DGR_RETENTION_MAIL_DAYS = 90
    old, recent = sent_mail("gammal@example.invalid", 91), sent_mail("ny@example.invalid", 89)
    for mail in (old, recent):
        DigestEntry.objects.create(
            user=initiator, event="e", subject="S", body="B", mail=mail, sent_at=mail.sent_at
        )

    retention_apply()

    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(DigestEntry.objects.values_list("mail", flat=True)) == [recent.pk]
    assert DigestEntry.history.filter(history_type="-", mail=old.pk).exists()


def test_a_mail_goes_with_the_files_it_carried(settings):
    settings.DGR_RETENTION_MAIL_DAYS = 90
    old, recent = sent_mail("gammal@example.invalid", 91), sent_mail("ny@example.invalid", 89)
    for mail in (old, recent):
        OutgoingMailAttachment.objects.create(
            mail=mail, filename="kallelse.ics", content_type="text/calendar", content=b"BEGIN:VCALENDAR"
        )

    retention_apply()

    assert list(OutgoingMail.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(OutgoingMailAttachment.objects.values_list("mail", flat=True)) == [recent.pk]


def test_the_database_keeps_delivered_mail_for_30_days_whatever_the_setting(settings):
    settings.DGR_RETENTION_MAIL_DAYS = 0
    sent_mail("ny@example.invalid", 29)
    sent_mail("gammal@example.invalid", 31)

    retention_apply()

    assert list(OutgoingMail.objects.values_list("recipient", flat=True)) == ["ny@example.invalid"]


def test_the_app_role_cannot_delete_mail_itself(settings):
    mail = sent_mail("gammal@example.invalid", 400)
    with pytest.raises(Exception, match="never deleted"), transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).delete()
    assert OutgoingMail.objects.filter(pk=mail.pk).exists()


def test_the_owner_may_delete_only_old_delivered_mail(owner_connection):
    recent = sent_mail("ny@example.invalid", 5)
    with pytest.raises(psycopg.errors.RaiseException, match="never deleted"):
        owner_connection.execute("DELETE FROM core_outgoingmail WHERE id = %s", [recent.pk])


def test_old_idempotency_keys_go(settings, initiator):
    settings.DGR_RETENTION_KEY_DAYS = 30
    import uuid

    old, new = uuid.uuid4(), uuid.uuid4()
    for key in (old, new):
        IdempotencyKey.objects.create(key=key, action="test", fingerprint="x", user=initiator)
    IdempotencyKey.objects.filter(key=old).update(claimed_at=timezone.now() - 31 * DAY)

    retention_apply()

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [new]
    assert runs()["core.idempotency_keys"] == 1


def test_an_abandoned_draft_goes_with_its_rows_and_files_and_leaves_a_history_entry(
    settings, initiator, django_capture_on_commit_callbacks
):
    settings.DGR_RETENTION_DRAFT_DAYS = 365
    abandoned = initiative_draft(initiator, title="Bortglömt utkast")
    attachment = services.attachment_add(initiative=abandoned, user=initiator, upload=upload("plan.pdf", PDF))
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    fresh = initiative_draft(initiator, title="Pågående utkast")
    submitted = initiative_submitted(initiator, title="Inlämnat")
    age(abandoned, 366)
    age(fresh, 364)
    age(submitted, 2000)

    with django_capture_on_commit_callbacks(execute=True):
        retention_apply()

    assert set(Initiative.objects.values_list("title", flat=True)) == {"Pågående utkast", "Inlämnat"}
    assert not BudgetYear.objects.filter(initiative_id=abandoned.pk).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
    deleted = Initiative.history.get(id=abandoned.pk, history_type="-")
    assert deleted.history_change_reason == services.RETENTION_REASON
    assert deleted.history_user is None
    assert Attachment.history.filter(id=attachment.pk, history_type="-").exists()
    assert runs()["initiatives.drafts"] == 1


def test_every_rule_leaves_a_trace_each_run_even_when_it_removes_nothing():
    retention_apply()
    assert runs() == {"core.idempotency_keys": 0, "core.mail_delivered": 0, "initiatives.drafts": 0}


def test_the_trace_cannot_be_changed_or_removed_by_the_app():
    retention_apply()
    with pytest.raises(Exception, match="permission denied"), transaction.atomic():
        RetentionRun.objects.all().delete()
    with pytest.raises(Exception, match="permission denied"), transaction.atomic():
        RetentionRun.objects.update(removed=99)
    assert RetentionRun.objects.count() == 3


def test_the_command_counts_without_removing_and_removes_with_apply(settings, initiator):
    settings.DGR_RETENTION_MAIL_DAYS = 60
    sent_mail("gammal@example.invalid", 61)
    out = StringIO()
    call_command("retention", stdout=out)
    assert "core.mail_delivered (äldre än 60 dagar): 1 skulle tas bort" in out.getvalue()
    assert OutgoingMail.objects.count() == 1 and not RetentionRun.objects.exists()
    call_command("retention", "--apply", stdout=out)
    assert not OutgoingMail.objects.exists()
    assert runs()["core.mail_delivered"] == 1


def test_the_rules_run_every_night_through_the_worker(run_jobs, settings):
    from procrastinate.contrib.django import app

    sent_mail("gammal@example.invalid", 400)
    periodic = {task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic["retention"].cron == "30 2 * * *"
    app.tasks["core.retention"].defer(timestamp=int(timezone.now().timestamp()))
    run_jobs()
    assert not OutgoingMail.objects.exists()
    assert runs()["core.mail_delivered"] == 1
