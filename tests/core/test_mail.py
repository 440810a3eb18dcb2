"""Mail through the queue, end to end: services queue it in their transaction, Procrastinate's worker
(in this process, or two worker processes) delivers it to a real SMTP server (aiosmtpd) started here."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import DELIVERED_LINK_TEXT, mail_queue, mail_queue_message
from core.models import OutgoingMail
from core.services import mail_retry

pytestmark = pytest.mark.django_db(transaction=True)


def queue(recipients, subject="Ärende", body="Text"):
    with transaction.atomic():
        return mail_queue(subject=subject, body=body, recipients=recipients)


def test_a_queued_mail_reaches_the_smtp_server_once_per_recipient(smtp, run_jobs):
    queue(["a@example.se", "b@example.se", "a@example.se", "DGR <c@example.se>"], body="Se /x/")
    run_jobs()
    assert smtp.mailbox.to() == ["a@example.se", "b@example.se", "c@example.se"]
    assert all("," not in m["To"] for m in smtp.mailbox.messages)  # nobody sees the others
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {("sent", 1)}
    run_jobs()  # nothing left: nothing sent twice
    assert len(smtp.mailbox.messages) == 3


def test_a_rolled_back_change_sends_nothing(smtp, run_jobs):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_queue(subject="Ärende", body="Text", recipients=["a@example.se"])
        raise RuntimeError
    run_jobs()
    assert smtp.mailbox.messages == []
    assert not OutgoingMail.objects.exists()


def test_links_in_service_mail_are_absolute(smtp, run_jobs, initiator, secretariat):
    from initiatives import services
    from tests.factories import initiative_draft

    draft = initiative_draft(initiator)
    services.initiative_submit(initiative=draft, user=initiator, token=draft.submission_token)
    run_jobs()
    bodies = [m.get_payload(decode=True).decode() for m in smtp.mailbox.messages]
    assert len(bodies) == 2
    assert all(f"http://testserver/initiativ/{draft.pk}/" in body for body in bodies)
    assert all(" /initiativ/" not in body for body in bodies)


def test_with_smtp_refusing_nothing_is_lost_and_all_is_delivered_once_it_is_back(smtp, run_jobs, settings):
    settings.DGR_MAIL_RETRY_SECONDS = 1
    settings.DGR_MAIL_MAX_ATTEMPTS = 5
    smtp.stop()  # the SMTP server is down: connections are refused
    queue(["a@example.se", "b@example.se"])
    run_jobs()  # first try fails; the retry is due in a second, after this pass
    waiting = list(OutgoingMail.objects.order_by("recipient"))
    assert [(m.status, m.attempts) for m in waiting] == [("waiting", 1), ("waiting", 1)]
    assert all("ConnectionRefused" in m.last_error for m in waiting)
    smtp.start()
    time.sleep(2.1)  # the retry (1 s after the first try) is due
    run_jobs()
    assert smtp.mailbox.to() == ["a@example.se", "b@example.se"]
    sent = list(OutgoingMail.objects.order_by("recipient"))
    assert [(m.status, m.attempts, m.last_error) for m in sent] == [("sent", 2, ""), ("sent", 2, "")]


def test_after_the_last_try_the_mail_is_failed_and_an_administrator_sends_it_again(
    smtp, run_jobs, settings, administrator, client
):
    settings.DGR_MAIL_MAX_ATTEMPTS = 2
    smtp.stop()
    [mail] = queue(["a@example.se"], subject="Kallelse")
    run_jobs()  # retries at once (the fixture's wait is 0) until the last try
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("failed", 2)

    client.force_login(administrator)
    page = client.get(reverse("mail-list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "a@example.se" in html and "Kallelse" in html and "Misslyckades" in html
    assert reverse("mail-retry", args=[mail.pk]) in html

    smtp.start()
    response = client.post(reverse("mail-retry", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == "waiting"
    assert mail.history.first().history_user == administrator
    run_jobs()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 3)
    assert smtp.mailbox.to() == ["a@example.se"]
    client.get(reverse("mail-list"))  # the message about the retry is shown once
    assert "All e-post är skickad." in client.get(reverse("mail-list")).content.decode()  # sent: off the list


def test_only_administrators_see_the_mail_page_and_retry(smtp, client, initiator, secretariat, run_jobs):
    [mail] = queue(["a@example.se"])
    for user in (initiator, secretariat):
        client.force_login(user)
        assert client.get(reverse("mail-list")).status_code == 403
        assert client.post(reverse("mail-retry", args=[mail.pk])).status_code == 403
    mail.refresh_from_db()
    assert mail.status == "waiting"


def test_a_mail_that_is_not_failed_is_not_sent_again(smtp, administrator, run_jobs):
    from django.core.exceptions import ValidationError

    [mail] = queue(["a@example.se"])
    run_jobs()
    mail.refresh_from_db()
    with pytest.raises(ValidationError):
        mail_retry(mail=mail, user=administrator)
    assert len(smtp.mailbox.messages) == 1


def test_the_database_refuses_to_change_a_sent_mail_or_delete_any(smtp, run_jobs):
    from django.db import DatabaseError

    [mail] = queue(["a@example.se"])
    with pytest.raises(DatabaseError), transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(body="Något annat")
    run_jobs()
    with pytest.raises(DatabaseError), transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).update(status="waiting", sent_at=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).delete()


def test_a_one_time_link_leaves_the_database_once_the_mail_is_delivered(smtp, run_jobs):
    """Invitations and password resets carry links that open an account: the queued text holds the link
    only until delivery, and the history never holds any mail's text."""
    from django.db import DatabaseError

    link = "http://testserver/inbjudan/hemlig-token-123/"
    invitation = mail_queue_message(
        subject="Inbjudan", body=f"Välj lösenord: {link}", recipient="a@example.se", one_time_link=True
    )
    [ordinary] = queue(["b@example.se"], body="Se /x/")
    with pytest.raises(DatabaseError), transaction.atomic():  # not before it is delivered …
        OutgoingMail.objects.filter(pk=invitation.pk).update(body="")
    with pytest.raises(DatabaseError), transaction.atomic():  # … and never for another mail
        OutgoingMail.objects.filter(pk=ordinary.pk).update(body="", status="sent", sent_at=timezone.now())

    run_jobs()

    [delivered] = [m for m in smtp.mailbox.messages if m["To"] == "a@example.se"]
    assert link in delivered.get_payload(decode=True).decode()
    invitation.refresh_from_db()
    assert (invitation.status, invitation.body) == ("sent", DELIVERED_LINK_TEXT)
    ordinary.refresh_from_db()
    assert ordinary.body.startswith("Se ")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'core_historicaloutgoingmail'"
        )
        assert "body" not in {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT count(*) FROM core_outgoingmail WHERE body LIKE %s", ["%hemlig-token%"])
        assert cursor.fetchone()[0] == 0


def worker_process(smtp_port: int) -> subprocess.Popen:
    """`manage.py procrastinate worker --one-shot` as production runs it (dgr.settings, SMTP backend),
    against the test database."""
    url = urlsplit(django_settings.DATABASE_URL)
    test_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dgr.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": test_url,
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "DJANGO_EMAIL_USE_TLS": "0",
    }
    # The real command, with Procrastinate's own log of each job it finished on standard output.
    script = (
        "import logging, django; django.setup();"
        "logging.basicConfig(level=logging.WARNING);"
        "logging.getLogger('procrastinate.worker').setLevel(logging.INFO);"
        "from django.core.management import call_command;"
        "call_command('procrastinate', 'worker', '--one-shot', '--no-listen-notify')"
    )
    return subprocess.Popen(  # noqa: S603  (our own interpreter and a fixed script)
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_two_workers_send_each_mail_exactly_once(smtp):
    smtp.mailbox.delay = 0.05  # slow enough that both workers are busy at once
    recipients = [f"person{i:02}@example.se" for i in range(40)]
    queue(recipients)
    workers = [worker_process(smtp.port), worker_process(smtp.port)]
    logs = [w.communicate(timeout=120)[0] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], logs
    assert smtp.mailbox.to() == recipients  # every one, none twice
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {("sent", 1)}
    # Both took part: each logged jobs it finished.
    assert all("success" in log.lower() for log in logs), logs
