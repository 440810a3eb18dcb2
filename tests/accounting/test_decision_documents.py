"""Decision documents: checked by core.uploads (PDF only), stored under a generated name, downloaded
through a view with the decision's read rule (they were linked as /media/decisions/…, which answered 404)."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounting.models import Decision
from tests.core.factories import PDF, image_bytes, png_then_html, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post_decision(client, funded, initiative, document):
    url = reverse("accounting:decision-create", args=[initiative.pk])
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', client.get(url).content.decode()).group(1)
    data = {
        "fund": funded.pk,
        "maker_kind": "board",
        "maker_name": "Regionstyrelsen",
        "decided_on": "2026-03-01",
        "reference": "RS 2026/10",
        "amount": "100 000",
        "idempotency_key": key,
        "document": document,
    }
    return client.post(url, data)


def _document_error(response) -> str:
    found = re.search(
        r'<ul class="errorlist" id="id_document_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return found.group(1) if found else ""


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("beslut.png", image_bytes("PNG"), "Filtypen är inte tillåten. Tillåtna filtyper: .pdf."),
        ("beslut.png", png_then_html(), "Filtypen är inte tillåten. Tillåtna filtyper: .pdf."),
        ("beslut.pdf", png_then_html(), "Filen börjar inte som en PDF-fil."),
        ("beslut.pdf", PDF + b"<html><script>alert(1)</script>", "%%EOF"),
    ],
)
def test_a_decision_document_that_is_not_wholly_a_pdf_is_refused_next_to_the_field(
    client, funded, finance, initiative, name, content, message
):
    client.force_login(finance)
    response = _post_decision(client, funded, initiative, upload(name, content))
    assert response.status_code == 200
    assert message in _document_error(response)
    assert not Decision.objects.exists()


def test_the_decision_document_is_downloaded_through_the_checking_view(
    client, funded, finance, initiative, auditor, secretariat, initiator, other_initiator
):
    client.force_login(finance)
    assert (
        _post_decision(client, funded, initiative, upload("Beslut § 45 Älvbron.pdf", PDF)).status_code == 302
    )
    decision = Decision.objects.get()
    assert decision.document_name == "Beslut § 45 Älvbron.pdf"
    assert decision.document_type == "application/pdf"
    assert re.fullmatch(r"decisions/[0-9a-f]{32}\.pdf", decision.document.name)
    url = reverse("accounting:decision-document", args=[decision.pk])
    page = client.get(reverse("accounting:decision-detail", args=[decision.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Beslut 45 Alvbron.pdf"; '
        "filename*=UTF-8''Beslut%20%C2%A7%2045%20%C3%84lvbron.pdf"
    )
    for reader in (auditor, secretariat):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    # Decisions are the ledger's records: to an initiator, of this party or another, they do not exist.
    for outsider in (initiator, other_initiator):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_decision_without_a_document_has_nothing_to_download(client, decision, finance):
    client.force_login(finance)
    assert client.get(reverse("accounting:decision-document", args=[decision.pk])).status_code == 404


def test_a_document_stored_before_display_names_were_kept_is_offered_under_its_stored_name(
    client, decision, finance
):
    # Documents uploaded before issue 17 were PDF-checked and stored as decisions/<year>/<client name>.
    decision.document.storage.save("decisions/2026/beslut RS 2026-10.pdf", ContentFile(PDF))
    decision.document.name = "decisions/2026/beslut RS 2026-10.pdf"
    decision.save()
    client.force_login(finance)
    response = client.get(reverse("accounting:decision-document", args=[decision.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="beslut RS 2026-10.pdf"' in response["Content-Disposition"]


def test_the_admin_links_the_document_through_the_checking_view(
    client, funded, finance, initiative, administrator
):
    client.force_login(finance)
    _post_decision(client, funded, initiative, upload("Beslut.pdf", PDF))
    decision = Decision.objects.get()
    client.force_login(administrator)
    page = client.get(reverse("admin:accounting_decision_change", args=[decision.pk])).content.decode()
    url = reverse("accounting:decision-document", args=[decision.pk])
    assert f'<a href="{url}">Beslut.pdf</a>' in page
    assert "/media/" not in page
    assert client.get(url).status_code == 200
