import pytest
from django.db import transaction

from core.mail import mail_queue
from core.models import OutgoingMail
from tests.browser.conftest import log_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_finds_a_failed_mail_and_sends_it_again(
    page, axe, administrator, run_jobs, settings
):
    with transaction.atomic():
        [mail] = mail_queue(subject="Kallelse: Värmlandsrådet", body="Text", recipients=["a@example.se"])
    # The SMTP server refused every try (here: the last try failed, as the worker records it).
    mail.status, mail.attempts, mail.last_error = (
        "failed",
        10,
        "SMTPServerDisconnected: Connection unexpectedly closed",
    )
    mail.save()

    log_in(page, "admin", PASSWORD)
    page.get_by_role("link", name="Utgående e-post").first.click()
    page.wait_for_url("**/e-post/")
    main = page.locator("main").inner_text()
    assert "a@example.se" in main and "Misslyckades" in main and "Connection unexpectedly closed" in main
    axe(page)
    page.get_by_role("button", name="Skicka igen till a@example.se").click()
    assert "skickas igen" in page.locator("main").inner_text()
    axe(page)
    outbox = run_jobs()
    assert [m.to for m in outbox] == [["a@example.se"]]
    assert OutgoingMail.objects.get().status == "sent"
    page.reload()
    assert "All e-post är skickad." in page.locator("main").inner_text()
