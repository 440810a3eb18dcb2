from django.db import connection, transaction
from django.urls import reverse

from core.mail import mail_queue


def test_health_reports_the_queue_without_login(client, db):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok" and data["database"] == "ok"
    assert data["queue"] == {
        "waiting_jobs": 0,
        "oldest_waiting_seconds": None,
        "failed_jobs": 0,
        "active_workers": 0,
        "failed_mail": 0,
    }


def test_health_gives_the_age_of_the_oldest_waiting_job(client, db):
    with transaction.atomic():
        mail_queue(subject="Ärende", body="Text", recipients=["a@example.se", "b@example.se"])
    with connection.cursor() as cursor:
        # One job deferred five minutes ago, one retry scheduled for later (not yet waiting).
        cursor.execute(
            "UPDATE procrastinate_events SET at = now() - interval '5 minutes' WHERE job_id = "
            "(SELECT min(id) FROM procrastinate_jobs) AND type = 'deferred'"
        )
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = now() + interval '1 hour' "
            "WHERE id = (SELECT max(id) FROM procrastinate_jobs)"
        )
    queue = client.get(reverse("health")).json()["queue"]
    assert queue["waiting_jobs"] == 1
    assert 300 <= queue["oldest_waiting_seconds"] < 400
