"""Initiative attachments: checked on the way in by core.uploads (a refusal next to the field, nothing
stored), and out only through the permission-checking views, as attachments with nosniff. (Outcome reports'
attachments: tests/outcomes/test_downloads.py.)"""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse

from initiatives import services
from initiatives.models import Attachment
from tests.core.factories import PDF, docx_bomb, docx_with_entries, png_then_html, upload
from tests.factories import initiative_draft

pytestmark = pytest.mark.django_db

SWEDISH_NAME = "Årsrapport för Älvdalen.pdf"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def assert_download(response, content: bytes, content_type: str, name: str) -> None:
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition


def field_error(page: str, field_id: str) -> str:
    """The error list Django renders next to the field (and names in its aria-describedby)."""
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def assert_login_asked(response) -> None:
    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bild.png", png_then_html(), "Bilden har data efter sitt slut"),
        ("sida.html", png_then_html(), "Filtypen är inte tillåten"),
        ("många.docx", docx_with_entries(1500), "högst 1\u00a0000 tas emot"),
    ],
)
def test_a_hostile_attachment_is_refused_next_to_the_field_and_nothing_stored(
    client, initiator, tmp_path, name, content, message
):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:attachment-add", args=[initiative.pk]), {"file": upload(name, content)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in field_error(page, "id_file")
    assert not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_a_docx_bomb_is_refused_as_an_attachment(client, initiator):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    response = client.post(
        reverse("initiatives:attachment-add", args=[initiative.pk]),
        {"file": upload("plan.docx", docx_bomb())},
    )
    assert response.status_code == 400
    assert "packas upp till mer än tillåtet" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_attachment_is_stored_under_a_generated_name_and_downloaded_with_safe_headers(
    client, initiator, representative, other_initiator
):
    initiative = initiative_draft(initiator)
    client.force_login(initiator)
    client.post(
        reverse("initiatives:attachment-add", args=[initiative.pk]),
        {"file": upload(f"C:\\Hemligt\\{SWEDISH_NAME}", PDF)},
    )
    attachment = Attachment.objects.get()
    assert attachment.original_name == SWEDISH_NAME
    assert "Hemligt" not in attachment.file.name and "rsrapport" not in attachment.file.name
    url = reverse("initiatives:attachment-download", args=[initiative.pk, attachment.pk])
    assert_download(client.get(url), PDF, "application/pdf", SWEDISH_NAME)
    client.force_login(representative)  # the same party
    assert client.get(url).status_code == 200
    client.force_login(other_initiator)  # another party's draft: not found, as if it did not exist
    assert client.get(url).status_code == 404
    client.logout()
    assert_login_asked(client.get(url))


def test_the_service_refuses_what_a_view_did_not_check(initiator):
    initiative = initiative_draft(initiator)
    with pytest.raises(services.ValidationError) as error:
        services.attachment_add(
            initiative=initiative, user=initiator, upload=upload("x.png", png_then_html())
        )
    assert "Bilden har data efter sitt slut" in " ".join(error.value.message_dict["file"])
    assert not Attachment.objects.exists()
