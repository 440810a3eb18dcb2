import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council.models import ItemDocument

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, meeting, content, name="underlag.pdf"):
    item = meeting.items.order_by("order").first()
    return client.post(
        reverse("council:meeting-manage", args=[meeting.pk]),
        {
            "action": "document",
            "doc-item": item.pk,
            "doc-title": "Underlag",
            "doc-file": SimpleUploadedFile(name, content),
        },
    )


def test_the_secretariat_uploads_a_document_that_representatives_read(
    client, published_meeting, secretariat, representative, initiator
):
    client.force_login(secretariat)
    assert upload(client, published_meeting, PDF).status_code == 302
    document = ItemDocument.objects.get()
    assert document.content_type == "application/pdf"
    url = reverse("council:document-download", args=[published_meeting.pk, document.pk])
    client.force_login(representative)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(initiator)  # the meeting is not held: not visible to an initiator
    assert client.get(url).status_code == 404


def test_a_file_of_another_type_is_refused_next_to_the_field(client, published_meeting, secretariat):
    client.force_login(secretariat)
    response = upload(client, published_meeting, b"#!/bin/sh\necho hej\n", name="underlag.pdf")
    assert response.status_code == 200
    assert "Filtypen tas inte emot." in response.text
    assert not ItemDocument.objects.exists()


def test_only_the_secretariat_uploads(client, published_meeting, representative):
    client.force_login(representative)
    assert upload(client, published_meeting, PDF).status_code in (403, 404)
    assert not ItemDocument.objects.exists()
