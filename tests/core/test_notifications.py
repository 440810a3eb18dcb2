"""Each person's choice per kind of mail (core/notifications.py): the settings page with its history and
its refusals, and the choice honoured end to end — mailed at once, kept for the daily digest that the
periodic task sends through the real worker, or not sent."""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Delivery, DigestEntry, NotificationSetting, OutgoingMail
from core.services import notification_settings_save
from core.tasks import digest
from initiatives import services
from people.roles import Role
from tests.factories import UserFactory, initiative_draft, initiative_submitted

URL = "/mitt-konto/e-post/"


@pytest.mark.django_db
def test_the_page_offers_each_person_the_mails_of_their_roles(client, initiator, representative):
    client.force_login(initiator)
    html = client.get(URL).content.decode()
    assert "Ett initiativ byter status" in html and "Påminnelse om utfallsrapport" in html
    assert 'name="initiative-status" value="none"' in html
    assert 'name="outcome-reminder" value="none"' not in html  # cannot be turned off
    client.force_login(representative)
    html = client.get(URL).content.decode()
    assert "Du är vald justerare" in html and 'name="minutes-to-sign" value="digest"' in html
    assert "Kallelse" not in html  # every member is called: the notice is no choice
    assert "Ett initiativ byter status" not in html


@pytest.mark.django_db
def test_bad_input_is_named_next_to_the_field_and_changes_nothing(client, initiator):
    client.force_login(initiator)
    data = {
        "initiative-status": "sometimes",
        "initiative-message": "digest",
        "outcome-review": "immediate",
        "outcome-reminder": "none",  # not offered: the agreement requires the report
        "minutes-to-sign": "immediate",
        "recovery-claim": "immediate",
        "payment-request-answered": "immediate",
        "change-request": "immediate",
    }
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Välj ett av alternativen." in html
    assert html.count("field field--error") == 2  # next to each of the two fields
    assert NotificationSetting.objects.count() == 0
    assert NotificationSetting.history.count() == 0


@pytest.mark.django_db
def test_the_service_refuses_what_the_page_does_not_offer(representative, initiator):
    with pytest.raises(ValidationError) as refused:
        notification_settings_save(user=initiator, choices={"outcome-reminder": Delivery.NONE})
    assert "outcome-reminder" in refused.value.message_dict
    with pytest.raises(ValidationError):
        notification_settings_save(user=representative, choices={"initiative-status": Delivery.DIGEST})
    assert NotificationSetting.objects.count() == 0


@pytest.mark.django_db
def test_choices_are_saved_with_history_shown_to_the_person_alone(client, initiator, other_initiator):
    client.force_login(initiator)
    data = {
        "initiative-status": "immediate",
        "initiative-message": "digest",
        "outcome-review": "none",
        "outcome-reminder": "immediate",
        "minutes-to-sign": "immediate",
        "recovery-claim": "immediate",
        "payment-request-answered": "immediate",
        "change-request": "immediate",
    }
    response = client.post(URL, data)
    assert response.status_code == 302
    assert dict(NotificationSetting.objects.filter(user=initiator).values_list("event", "delivery")) == {
        "initiative-message": "digest",
        "outcome-review": "none",
    }  # "at once" is the default: no row written for it
    client.post(URL, {**data, "initiative-message": "immediate"})
    history = NotificationSetting.history.filter(user=initiator, event="initiative-message")
    assert [h.delivery for h in history.order_by("history_date")] == ["digest", "immediate"]
    assert {h.history_user_id for h in NotificationSetting.history.all()} == {initiator.pk}
    html = client.get(URL).content.decode()
    assert "Nytt meddelande i ett initiativs tråd" in html and "Daglig sammanfattning" in html
    assert 'name="initiative-message" value="immediate" required id="id_initiative-message_0" checked' in html
    client.force_login(other_initiator)
    assert "Du har inte ändrat något" in client.get(URL).content.decode()


@pytest.mark.django_db(transaction=True)
def test_at_once_digest_and_none_are_honoured_through_the_worker(initiator, secretariat, karlstad, run_jobs):
    at_once = initiator
    in_digest = UserFactory(username="karlstad-2", party=karlstad, roles=[Role.INITIATOR])
    not_at_all = UserFactory(username="karlstad-3", party=karlstad, roles=[Role.INITIATOR])
    notification_settings_save(user=in_digest, choices={"initiative-message": Delivery.DIGEST})
    notification_settings_save(user=not_at_all, choices={"initiative-message": Delivery.NONE})
    initiative = initiative_submitted(initiator, title="Cykelstråk")
    initiative_draft(in_digest, title="Utkast om kollektivtrafik")  # something waiting for the party
    run_jobs()  # the submission's own mails

    services.message_post(initiative=initiative, user=secretariat, body="Hur ser tidplanen ut?")
    outbox = run_jobs()
    assert [m.to for m in outbox] == [[at_once.email]]
    assert "Hur ser tidplanen ut?" in outbox[0].body
    [kept] = DigestEntry.objects.all()
    assert kept.user == in_digest and kept.sent_at is None and kept.event == "initiative-message"

    # The daily digest: the periodic task, run by the worker.
    with transaction.atomic():
        digest.defer(timestamp=int(time.time()))
    outbox = run_jobs()
    assert [m.to for m in outbox] == [[in_digest.email]]
    body = outbox[0].body
    assert outbox[0].subject.startswith("DGR: sammanfattning ")
    assert "nytt meddelande" in body and "Hur ser tidplanen ut?" in body
    assert "Det här väntar på dig:" in body and "Utkast som inte lämnats in: 1" in body
    assert "http://testserver/mitt-konto/e-post/" in body
    kept.refresh_from_db()
    assert kept.sent_at is not None and kept.mail.subject == outbox[0].subject

    # Sent once: the next day's digest has nothing for them; nobody ever mailed the one who said none.
    with transaction.atomic():
        digest.defer(timestamp=int(time.time()) + 86400)
    assert run_jobs() == []
    told = OutgoingMail.objects.filter(recipient=not_at_all.email).values_list("subject", flat=True)
    assert not [subject for subject in told if "meddelande" in subject]  # only the status mail they kept


@pytest.mark.django_db(transaction=True)
def test_mail_that_cannot_be_turned_off_goes_even_against_a_stored_none(initiator, karlstad, run_jobs):
    """The outcome reminder offers no "none"; a row saying so (written past the service) is not obeyed."""
    from core.mail import mail_queue

    NotificationSetting.objects.create(user=initiator, event="outcome-reminder", delivery=Delivery.NONE)
    with transaction.atomic():
        mail_queue(subject="Påminnelse", body="Text", recipients=[initiator.email], event="outcome-reminder")
    assert [m.to for m in run_jobs()] == [[initiator.email]]


def test_the_digest_is_a_daily_periodic_task():
    from procrastinate.contrib.django import app

    periodic = [p for p in app.periodic_registry.periodic_tasks.values() if p.task.name == "core.digest_send"]
    assert [p.cron for p in periodic] == ["30 6 * * *"]


@pytest.mark.django_db
def test_a_post_without_choices_asks_for_them_and_changes_nothing(client, initiator):
    client.force_login(initiator)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Välj hur du vill få e-post om det här." in response.content.decode()
    assert NotificationSetting.objects.count() == 0
