"""Outcome-report attachments: checked on the way in by core.uploads (the report is refused, the error next to
the field, nothing stored), and out only through the permission-checking view, as attachments with nosniff."""

import pytest
from django.urls import reverse

from outcomes.models import OutcomeAttachment
from tests.core.factories import PDF, png_then_html, upload
from tests.initiatives.test_downloads import SWEDISH_NAME, assert_download, assert_login_asked, field_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _outcome_post(initiative, file):
    return (
        reverse("outcomes:outcome-submit", args=[initiative.pk, "progress", "2027-02-15"]),
        {
            "period_start": "2026-03-01",
            "period_end": "2026-12-31",
            "activities": "Förstudie",
            "summary": "Klart",
            "status": "on_track",
            "spent": "400 000,00",
            "co_financing_received": "0",
            "indicator_1_name": "Möten",
            "indicator_1_target": "10",
            "indicator_1_actual": "7",
            "files": file,
        },
    )


def test_a_hostile_outcome_attachment_refuses_the_report(client, funded, initiator):
    client.force_login(initiator)
    response = client.post(*_outcome_post(funded, upload("bild.png", png_then_html())))
    assert response.status_code == 400
    assert "Bilden har data efter sitt slut" in field_error(response.content.decode(), "id_files")
    assert not funded.outcome_reports.exists() and not OutcomeAttachment.objects.exists()


def test_an_outcome_attachment_is_downloaded_only_by_those_who_read_the_report(
    client, funded, initiator, secretariat, other_initiator, auditor
):
    client.force_login(initiator)
    assert client.post(*_outcome_post(funded, upload(SWEDISH_NAME, PDF))).status_code == 302
    attachment = OutcomeAttachment.objects.get()
    assert attachment.original_name == SWEDISH_NAME
    url = reverse("outcomes:outcome-attachment-download", args=[attachment.report.pk, attachment.pk])
    assert_download(client.get(url), PDF, "application/pdf", SWEDISH_NAME)
    for reader in (secretariat, auditor):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    client.force_login(other_initiator)
    assert client.get(url).status_code == 404
    client.logout()
    assert_login_asked(client.get(url))
