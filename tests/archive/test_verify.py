"""The public check page (archive:verify): anyone, no login, uploads a PDF and is told whether it is a copy
of a document in DGR's archive and whether its seal is intact and the region's."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.pdf import render_pdf
from core.seal import seal_pdf
from council.models import SealedCopy
from reports.services import report_issue
from tests.core.factories import PDF, image_bytes

URL = reverse("archive:verify")


@pytest.fixture(scope="module")
def rendered():
    return render_pdf(
        '<html lang="sv"><title>Rapport</title><p>Balans 2026</p></html>', base_url="http://localhost/"
    )


def check(client, content: bytes, name: str = "handling.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, "application/pdf")})


def flipped(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_the_page_is_open_to_anyone_without_login(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Kontrollera en handling från DGR" in response.content.decode()


def test_an_archived_final_report_matches_and_its_seal_is_valid(
    client, sealing, rendered, fund_with_year, finance
):
    sealed = seal_pdf(rendered, reason="Slutlig balansrapport 2026")
    report_issue(
        kind="balance", fund=fund_with_year, year=2026, is_final=True, render=lambda: sealed, user=finance
    )
    page = check(client, sealed).content.decode()
    assert "Stämmer: filen är en oförändrad kopia av" in page
    assert "Balansrapport 2026, " + fund_with_year.name in page
    assert "Stämpeln är hel och giltig" in page and "DGR testsigill" in page


def test_a_changed_copy_is_not_in_the_archive_and_its_seal_is_broken(
    client, sealing, rendered, fund_with_year, finance
):
    sealed = seal_pdf(rendered, reason="Slutlig balansrapport 2026")
    report_issue(
        kind="balance", fund=fund_with_year, year=2026, is_final=True, render=lambda: sealed, user=finance
    )
    page = check(client, flipped(sealed, len(rendered) // 2)).content.decode()
    assert "Finns inte i arkivet" in page and "Stämmer" not in page
    assert "Stämpeln är bruten" in page and "Stämpeln är hel och giltig" not in page


def test_a_copy_handed_out_before_one_copy_per_document_is_still_named(client, sealing, rendered, db):
    """Before the worker made one copy per document, each download was sealed anew and registered
    without its file: those copies are out there and still named (the worker's copies: test_seal.py)."""
    copy = seal_pdf(rendered, reason="Justerat protokoll, Värmlandsrådet 2026-03-01")
    SealedCopy.objects.create(
        sha256=hashlib.sha256(copy).hexdigest(),
        title="Justerat protokoll, Värmlandsrådet 2026-03-01",
        sealed=True,
    )
    page = check(client, copy).content.decode()
    assert "Justerat protokoll, Värmlandsrådet 2026-03-01" in page
    assert "Stämpeln är hel och giltig" in page
    assert SealedCopy.objects.count() == 1  # checking stores nothing


def test_an_unsealed_pdf_from_elsewhere_says_so(client, sealing, rendered, db):
    page = check(client, rendered).content.decode()
    assert "Finns inte i arkivet" in page and "Filen har ingen elektronisk stämpel" in page


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field(client, db):
    response = check(client, image_bytes("PNG"), name="bild.png")
    assert response.status_code == 400
    assert "Filtypen är inte tillåten" in response.content.decode()
    response = check(client, b"%PDF-1.7\nnot finished")
    assert response.status_code == 400
    assert "PDF-filen slutar inte med %%EOF" in response.content.decode()


def test_a_file_larger_than_the_cap_is_refused(client, db):
    big = PDF[:-6] + b" " * (20 * 1024 * 1024) + b"%%EOF\n"
    response = check(client, big)
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()


def test_many_checks_from_one_address_are_throttled(client, monkeypatch, rendered, db):
    from django.core.cache import cache

    from archive import views

    cache.clear()
    monkeypatch.setattr(views, "VERIFY_LIMIT", 2)
    assert check(client, rendered).status_code == 200
    assert check(client, rendered).status_code == 200
    response = check(client, rendered)
    assert response.status_code == 429
    assert "För många kontroller på kort tid." in response.content.decode()
    assert "Resultat" not in response.content.decode()  # the file was not read
    cache.clear()
