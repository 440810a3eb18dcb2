import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council.models import ItemDocument
from tests.core.factories import docx_bytes, png_then_html

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
    assert "Filen tas inte emot som PDF (.pdf)" in response.text
    assert not ItemDocument.objects.exists()


def test_only_the_secretariat_uploads(client, published_meeting, representative):
    client.force_login(representative)
    assert upload(client, published_meeting, PDF).status_code in (403, 404)
    assert not ItemDocument.objects.exists()


def test_a_png_with_html_after_it_is_refused_next_to_the_field(client, published_meeting, secretariat):
    client.force_login(secretariat)
    for name in ("underlag.png", "underlag.html"):
        response = upload(client, published_meeting, png_then_html(), name=name)
        assert response.status_code == 200
        errors = re.search(r'<ul class="errorlist" id="id_doc-file_error">(.*?)</ul>', response.text, re.S)
        expected = "Filen tas inte emot som PNG" if name.endswith("png") else "Filtypen är inte tillåten"
        assert errors and expected in errors.group(1)
    assert not ItemDocument.objects.exists()


def test_a_document_is_stored_under_a_generated_name_and_downloaded_with_safe_headers(
    client, published_meeting, secretariat, representative
):
    client.force_login(secretariat)
    assert (
        upload(client, published_meeting, docx_bytes(), name="../Förslag till beslut.docx").status_code == 302
    )
    document = ItemDocument.objects.get()
    assert document.original_name == "Förslag till beslut.docx"
    assert "rslag" not in document.file.name and ".." not in document.file.name
    url = reverse("council:document-download", args=[published_meeting.pk, document.pk])
    client.force_login(representative)
    response = client.get(url)
    assert b"".join(response.streaming_content) == docx_bytes()
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Forslag till beslut.docx"; '
        "filename*=UTF-8''F%C3%B6rslag%20till%20beslut.docx"
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_admin_links_the_document_through_the_checking_view(
    client, published_meeting, secretariat, administrator
):
    client.force_login(secretariat)
    upload(client, published_meeting, PDF)
    document = ItemDocument.objects.get()
    client.force_login(administrator)
    page = client.get(reverse("admin:council_itemdocument_change", args=[document.pk])).content.decode()
    url = reverse("council:document-download", args=[published_meeting.pk, document.pk])
    assert f'<a href="{url}">underlag.pdf</a>' in page
    assert "/media/" not in page
    assert client.get(url).status_code == 200
