"""Outcome reporting: the computed schedule, handing in, bad input refused next to the field, review,
completion of the initiative, reminders once a day."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from initiatives.models import Status
from outcomes import services
from outcomes.models import OutcomeReminder, OutcomeReview
from outcomes.selectors import outcome_schedule, outcomes_due
from tests.accounting.factories import decide, supported_initiative

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _data(**changes):
    data = {
        "period_start": datetime.date(2026, 3, 1),
        "period_end": datetime.date(2026, 12, 31),
        "activities": "Två workshoppar och en förstudie.",
        "summary": "Stråket är projekterat.",
        "status": "on_track",
        "spent": Decimal("400000.00"),
        "co_financing_received": Decimal("250000.00"),
        "overspend_explanation": "",
    }
    return data | changes


INDICATORS = [{"name": "Kilometer cykelväg", "target": Decimal("20"), "actual": Decimal("4")}]


def test_schedule_follows_from_the_decision_and_the_period(funded):
    schedule = outcome_schedule(funded)
    assert [(d.kind, d.due_on) for d in schedule] == [
        ("progress", datetime.date(2027, 2, 15)),
        ("final", datetime.date(2028, 3, 30)),
    ]
    assert schedule[0].period_start == datetime.date(2026, 3, 1)
    assert schedule[0].period_end == datetime.date(2026, 12, 31)


def test_initiator_sees_what_is_due_and_hands_in_a_progress_report(funded, initiator, client):
    due = outcomes_due(initiator, datetime.date(2027, 1, 1))
    assert [d.kind for d in due] == ["progress", "final"]
    client.force_login(initiator)
    url = reverse("outcomes:outcome-submit", args=[funded.pk, "progress", "2027-02-15"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "period_start": "2026-03-01",
            "period_end": "2026-12-31",
            "activities": "Förstudie",
            "summary": "Klart",
            "status": "at_risk",
            "spent": "400 000,00",
            "co_financing_received": "0",
            "indicator_1_name": "Möten",
            "indicator_1_target": "10",
            "indicator_1_actual": "7",
            "files": SimpleUploadedFile("bilaga.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = funded.outcome_reports.get()
    assert report.review == OutcomeReview.SUBMITTED and report.attachments.count() == 1
    assert [d.kind for d in outcomes_due(initiator, datetime.date(2027, 1, 1))] == ["final"]


def test_bad_input_is_refused_with_swedish_messages_next_to_the_field(funded, initiator, client):
    client.force_login(initiator)
    url = reverse("outcomes:outcome-submit", args=[funded.pk, "progress", "2027-02-15"])
    response = client.post(
        url,
        {
            "period_start": "2026-03-01",
            "period_end": "2026-12-31",
            "activities": "",
            "summary": "Klart",
            "status": "on_track",
            "spent": "1 500 000,00",
            "co_financing_received": "-5",
            "indicator_1_name": "Möten",
            "indicator_1_target": "10",
            "indicator_1_actual": "7",
            "files": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in page or "fyllas i" in page
    assert "Beloppet måste vara större än noll." in page  # the negative co-financing
    assert funded.outcome_reports.count() == 0
    # the service refuses what the form cannot see: overspend without explanation, wrong file type
    with pytest.raises(ValidationError) as error:
        services.outcome_report_submit(
            initiative=funded,
            user=initiator,
            kind="progress",
            due_on=datetime.date(2027, 2, 15),
            data=_data(spent=Decimal("1500000.00")),
            indicators=INDICATORS,
            uploads=[SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")],
        )
    assert "förklara avvikelsen" in " ".join(error.value.message_dict["overspend_explanation"])
    assert "Filen tas inte emot som PDF" in " ".join(error.value.message_dict["files"])
    with pytest.raises(ValidationError) as error:
        services.outcome_report_submit(
            initiative=funded,
            user=initiator,
            kind="progress",
            due_on=datetime.date(2027, 2, 15),
            data=_data(spent=Decimal("-1.00"), summary=""),
            indicators=[],
        )
    assert set(error.value.message_dict) >= {"spent", "summary", "indicators"}


def test_other_party_cannot_report(funded, other_initiator):
    with pytest.raises(PermissionDenied):
        services.outcome_report_submit(
            initiative=funded,
            user=other_initiator,
            kind="progress",
            due_on=datetime.date(2027, 2, 15),
            data=_data(),
            indicators=INDICATORS,
        )


def test_complement_then_approval_of_the_final_report_completes_the_initiative(
    funded, initiator, secretariat
):
    report = services.outcome_report_submit(
        initiative=funded,
        user=initiator,
        kind="final",
        due_on=datetime.date(2028, 3, 30),
        data=_data(period_end=datetime.date(2027, 12, 31)),
        indicators=INDICATORS,
    )
    with pytest.raises(ValidationError):
        services.outcome_report_review(report=report, user=secretariat, approve=False, comment="")
    services.outcome_report_review(report=report, user=secretariat, approve=False, comment="Bifoga kvitton.")
    funded.refresh_from_db()
    assert funded.status == Status.DECIDED
    assert any(d.kind == "final" for d in outcomes_due(initiator, datetime.date(2028, 1, 1)))
    again = services.outcome_report_submit(
        initiative=funded,
        user=initiator,
        kind="final",
        due_on=datetime.date(2028, 3, 30),
        data=_data(period_end=datetime.date(2027, 12, 31)),
        indicators=INDICATORS,
    )
    with pytest.raises(PermissionDenied):
        services.outcome_report_review(report=again, user=initiator, approve=True)
    services.outcome_report_review(report=again, user=secretariat, approve=True)
    funded.refresh_from_db()
    assert funded.status == Status.COMPLETED
    assert funded.outcome_reports.count() == 2  # nothing replaced or deleted


@pytest.mark.django_db(transaction=True)
def test_reminders_are_a_daily_periodic_task_deferred_once_however_many_workers(
    funded, administrator, initiator, run_jobs
):
    """No cron: each worker's periodic deferrer defers the day's run, the database keeps one per day."""
    import asyncio

    from procrastinate.contrib.django import app
    from procrastinate.periodic import PeriodicDeferrer

    run_jobs()  # what setting up the story sent
    at = datetime.datetime(2027, 2, 10, 6, 0, 30, tzinfo=datetime.UTC).timestamp()  # just after 06:00 UTC

    async def two_workers_defer():
        for _worker in range(2):
            deferrer = PeriodicDeferrer(registry=app.periodic_registry)
            await deferrer.defer_jobs(deferrer.get_previous_tasks(at=at))

    async def run():
        async with app.open_async():
            await two_workers_defer()

    def in_own_thread():
        # A thread of its own, as the run_jobs fixture does: a browser test that ran before in this
        # process may have left Playwright's event loop running in the test's thread.
        try:
            with app.replace_connector(app.connector.get_worker_connector()):
                asyncio.run(run())
        except BaseException as exc:  # raised again in the test's thread
            failures.append(exc)

    failures = []
    thread = threading.Thread(target=in_own_thread)
    thread.start()
    thread.join(timeout=120)
    if failures:
        raise failures[0]
    from procrastinate.contrib.django.models import ProcrastinateJob

    assert ProcrastinateJob.objects.filter(task_name="initiatives.outcome_reminders").count() == 1
    outbox = run_jobs()  # runs the reminders, then delivers the mail they queued
    reminder = OutcomeReminder.objects.get()
    assert reminder.sent_on == datetime.date(2027, 2, 10) and reminder.sent_by == administrator
    assert sorted(m.to for m in outbox) == sorted([[initiator.email], [funded.contact_email]])


@pytest.mark.django_db(transaction=True)
def test_reminders_are_sent_once_per_report_and_day(funded, administrator, initiator, run_jobs):
    run_jobs()  # what setting up the story sent
    call_command("send_outcome_reminders", "--date", "2027-02-10", "--user", administrator.username)
    call_command("send_outcome_reminders", "--date", "2027-02-10", "--user", administrator.username)
    assert OutcomeReminder.objects.count() == 1
    reminder = OutcomeReminder.objects.get()
    assert reminder.sent_by == administrator and reminder.due_on == datetime.date(2027, 2, 15)
    outbox = run_jobs()  # one message to each: the party's initiator and the initiative's contact
    assert sorted(m.to for m in outbox) == sorted([[initiator.email], [funded.contact_email]])
    assert all(f"http://testserver/initiativ/{funded.pk}/" in m.body for m in outbox)
    call_command("send_outcome_reminders", "--date", "2027-02-11")
    assert OutcomeReminder.objects.count() == 2
    call_command("send_outcome_reminders", "--date", "2026-06-01")  # nothing due soon
    assert OutcomeReminder.objects.count() == 2


def test_initiative_page_shows_the_outcome_panel(funded, initiator, client):
    client.force_login(initiator)
    page = client.get(funded.get_absolute_url()).content.decode()
    assert "Utfallsrapporter och vad som ska lämnas" in page


def test_outcome_overview_query_count_does_not_grow_with_data(
    funded, finance, karlstad, initiator, secretariat, client, django_assert_max_num_queries
):
    from accounting.models import Fund

    fund = Fund.objects.get()
    for users in (initiator, secretariat):
        client.force_login(users)
        with django_assert_max_num_queries(12):
            assert client.get(reverse("outcomes:outcome-overview")).status_code == 200
    for n in range(3):
        more = supported_initiative(party=karlstad, user=initiator, title=f"Fler {n}")
        decide(fund=fund, initiative=more, user=finance, amount="1000.00")
    for users in (initiator, secretariat):
        client.force_login(users)
        with django_assert_max_num_queries(12):
            page = client.get(reverse("outcomes:outcome-overview")).content.decode()
        assert "Fler 2" in page
