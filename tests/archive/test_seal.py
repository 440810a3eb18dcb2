"""Electronic seals (core/seal.py): made with the configured certificate, checked against it; one changed
byte breaks it; sealed where the public record's PDFs are made final: signed minutes and their excerpts
once, by the worker, when the last signature locks them; a download hands out that copy and writes
nothing."""

import hashlib
import io
import logging
import random

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob
from pyhanko.pdf_utils.reader import PdfFileReader

from core import checks
from core.pdf import render_pdf
from core.seal import seal_check, seal_pdf
from council import services
from council.models import Paragraph, SealedCopy
from council.sealing import minutes_seal
from tests.council.test_notices import pdf_text

BASE = "http://localhost/"


@pytest.fixture(scope="module")
def plain_pdf():
    html = '<html lang="sv"><title>Protokoll</title><h1>Protokoll</h1><p>Rådet står bakom.</p></html>'
    return render_pdf(html, base_url=BASE)


def flipped(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_a_sealed_pdf_is_intact_trusted_and_still_pdf_a(sealing, plain_pdf):
    sealed = seal_pdf(plain_pdf, reason="Justerat protokoll, test")
    assert sealed.startswith(plain_pdf)  # an incremental update: the original bytes are untouched
    check = seal_check(sealed)
    assert check.valid and check.intact and check.trusted and check.whole_file
    assert check.signer == "DGR testsigill (Region Värmland (TEST, ej giltigt))"
    assert check.reason == "Justerat protokoll, test"
    metadata = PdfFileReader(io.BytesIO(sealed)).root["/Metadata"].data
    assert b"pdfaid:part" in metadata  # WeasyPrint's PDF/A declaration is still there


def test_one_changed_byte_breaks_the_seal(sealing, plain_pdf):
    sealed = seal_pdf(plain_pdf, reason="test")
    # A byte of the page content (inside the signed range, far from the signature's own bytes).
    check = seal_check(flipped(sealed, len(plain_pdf) // 2))
    assert check.has_seal
    assert not check.valid
    assert not check.intact


def test_bytes_added_after_the_seal_are_not_covered(sealing, plain_pdf):
    sealed = seal_pdf(plain_pdf, reason="test")
    check = seal_check(sealed + b"\n% tillagt\n%%EOF\n")
    assert not check.valid and not check.whole_file


def test_a_seal_made_with_another_certificate_is_intact_but_not_trusted(settings, sealing, plain_pdf):
    settings.DGR_SEAL_PKCS12, settings.DGR_SEAL_PASSPHRASE = str(sealing["other"]), "annat"
    foreign = seal_pdf(plain_pdf, reason="test")
    settings.DGR_SEAL_PKCS12, settings.DGR_SEAL_PASSPHRASE = str(sealing["dgr"]), "hemligt"
    check = seal_check(foreign)
    assert check.intact and not check.trusted and not check.valid


def test_without_a_certificate_the_pdf_goes_out_unsealed_and_the_log_says_so(settings, plain_pdf, caplog):
    settings.DGR_SEAL_PKCS12 = ""
    with caplog.at_level(logging.WARNING, logger="dgr.seal"):
        assert seal_pdf(plain_pdf, reason="Slutlig balansrapport 2026") == plain_pdf
    assert "not sealed" in caplog.text and "Slutlig balansrapport 2026" in caplog.text
    assert not seal_check(plain_pdf).has_seal


def test_the_deploy_check_warns_without_a_certificate(settings, sealing):
    settings.DGR_SEAL_PKCS12 = ""
    assert [w.id for w in checks.seal_certificate_check(None)] == ["dgr.W010"]
    settings.DGR_SEAL_PKCS12 = "/nonexistent/seal.p12"
    assert [w.id for w in checks.seal_certificate_check(None)] == ["dgr.W010"]
    settings.DGR_SEAL_PKCS12 = str(sealing["dgr"])
    assert checks.seal_certificate_check(None) == []


def test_the_command_makes_a_test_certificate_that_seals(settings, tmp_path, plain_pdf):
    path = tmp_path / "seal" / "test.p12"
    call_command("seal_test_certificate", str(path), "--passphrase", "x")
    assert path.is_file() and oct(path.stat().st_mode & 0o777) == "0o600"
    settings.DGR_SEAL_PKCS12, settings.DGR_SEAL_PASSPHRASE = str(path), "x"
    assert seal_check(seal_pdf(plain_pdf, reason="t")).valid
    before = path.read_bytes()
    call_command("seal_test_certificate", str(path))  # exists: kept as it is
    assert path.read_bytes() == before


# --- where the public record is made final ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public pages are cached: each test starts from an empty cache."""
    cache.clear()


@pytest.fixture
def signed_meeting(held_meeting_factory, adjusters):
    published_meeting = held_meeting_factory()
    for adjuster in adjusters:
        services.minutes_sign(meeting=published_meeting, user=adjuster)
    published_meeting.refresh_from_db()
    return published_meeting


def item_numbers(meeting) -> list[int]:
    """The paragraph numbers of the meeting's items: each has an excerpt."""
    return list(
        Paragraph.objects.filter(meeting=meeting, item__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
    )


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def seal_jobs() -> int:
    return ProcrastinateJob.objects.filter(task_name="council.minutes_seal").count()


def verified(pdf: bytes) -> str:
    upload = SimpleUploadedFile("handling.pdf", pdf, "application/pdf")
    return Client().post(reverse("archive:verify"), {"file": upload}).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_last_signature_has_the_worker_seal_the_minutes_and_each_excerpt_once(
    settings, seal_files, held_meeting_factory, adjusters, run_jobs
):
    # The worker reads the settings too: the same process, so the override reaches it.
    settings.DGR_SEAL_PKCS12, settings.DGR_SEAL_PASSPHRASE = str(seal_files["dgr"]), "hemligt"
    published_meeting = held_meeting_factory()
    services.minutes_sign(meeting=published_meeting, user=adjusters[0])
    assert seal_jobs() == 0  # not locked yet: nothing to seal
    services.minutes_sign(meeting=published_meeting, user=adjusters[1])
    assert seal_jobs() == 1 and not SealedCopy.objects.exists()

    run_jobs()
    numbers = item_numbers(published_meeting)
    assert len(numbers) == 2
    copies = {c.paragraph: c for c in SealedCopy.objects.filter(meeting=published_meeting)}
    assert set(copies) == {None, *numbers}
    assert copies[None].title.startswith("Justerat protokoll, Värmlandsrådet ")
    for number in numbers:
        assert copies[number].title.startswith(f"Protokollsutdrag § {number}, Värmlandsrådet ")
    for copy in copies.values():
        content = bytes(copy.content)
        assert copy.sealed and hashlib.sha256(content).hexdigest() == copy.sha256
        check = seal_check(content)
        assert check.valid, check
        assert check.reason == copy.title
        # Anyone, without logging in, finds out which document it is a copy of.
        page = verified(content)
        assert "Stämmer" in page and copy.title in page and "Stämpeln är hel och giltig" in page

    # A second run (a retry, a second worker) finds them made and makes nothing.
    assert minutes_seal(meeting_id=published_meeting.pk, base_url=BASE) == 0
    assert SealedCopy.objects.count() == 3


def test_a_download_of_signed_minutes_is_the_stored_copy_and_writes_nothing(
    client, sealing, signed_meeting, initiator
):
    minutes_seal(meeting_id=signed_meeting.pk, base_url=BASE)  # what the worker does
    number = item_numbers(signed_meeting)[0]
    slug, year = signed_meeting.body.slug, signed_meeting.starts_at.year
    stored = {c.paragraph: bytes(c.content) for c in SealedCopy.objects.all()}
    client.force_login(initiator)
    # DGR's own pages and the public pages (anyone, no login) hand out the same file.
    downloads = [
        (None, client, reverse("council:meeting-minutes-pdf", args=[signed_meeting.pk])),
        (number, client, reverse("council:paragraph-excerpt-pdf", args=[signed_meeting.pk, number])),
        (None, Client(), reverse("public:minutes-pdf", args=[signed_meeting.pk])),
        (number, Client(), reverse("public:paragraph-pdf", args=[slug, year, number])),
    ]
    for paragraph, reader, url in downloads:
        with CaptureQueriesContext(connection) as queries:
            first, second = reader.get(url), reader.get(url)
        assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
        assert first.content == second.content == stored[paragraph]  # no render, no new seal
        assert writes(queries) == []
    assert SealedCopy.objects.count() == 3


def test_until_the_worker_has_sealed_the_download_is_unsealed_says_so_and_writes_nothing(
    client, sealing, signed_meeting, initiator, tmp_path
):
    client.force_login(initiator)
    number = item_numbers(signed_meeting)[0]
    slug, year = signed_meeting.body.slug, signed_meeting.starts_at.year
    for reader, url in (
        (client, reverse("council:meeting-minutes-pdf", args=[signed_meeting.pk])),
        (client, reverse("council:paragraph-excerpt-pdf", args=[signed_meeting.pk, number])),
        (Client(), reverse("public:minutes-pdf", args=[signed_meeting.pk])),
        (Client(), reverse("public:paragraph-pdf", args=[slug, year, number])),
    ):
        with CaptureQueriesContext(connection) as queries:
            pdf = reader.get(url).content
        assert not seal_check(pdf).has_seal
        assert "Ostämplad kopia." in pdf_text(pdf, tmp_path)
        assert writes(queries) == []
    assert not SealedCopy.objects.exists()
    assert "Finns inte i arkivet" in verified(pdf)
    # The unsealed copy is not kept in the public pages' cache: once sealed, the sealed copy goes out.
    minutes_seal(meeting_id=signed_meeting.pk, base_url=BASE)
    stored = bytes(SealedCopy.objects.get(meeting=signed_meeting, paragraph=number).content)
    assert Client().get(reverse("public:paragraph-pdf", args=[slug, year, number])).content == stored


def test_without_a_certificate_the_worker_stores_the_minutes_unsealed_and_the_log_says_so(
    settings, signed_meeting, caplog
):
    settings.DGR_SEAL_PKCS12 = ""
    with caplog.at_level(logging.WARNING, logger="dgr.seal"):
        assert minutes_seal(meeting_id=signed_meeting.pk, base_url=BASE) == 3
    assert "not sealed" in caplog.text and "Justerat protokoll, Värmlandsrådet" in caplog.text
    minutes = SealedCopy.objects.get(meeting=signed_meeting, paragraph=None)
    assert not minutes.sealed and not seal_check(bytes(minutes.content)).has_seal
    assert "Justerat protokoll, Värmlandsrådet" in verified(bytes(minutes.content))  # still named


def test_minutes_not_locked_are_never_sealed_by_the_job(sealing, held_meeting_factory):
    published_meeting = held_meeting_factory()
    assert minutes_seal(meeting_id=published_meeting.pk, base_url=BASE) == 0
    assert not SealedCopy.objects.exists()


def test_the_database_keeps_one_copy_per_meeting_and_paragraph(sealing, signed_meeting):
    minutes_seal(meeting_id=signed_meeting.pk, base_url=BASE)
    copy = SealedCopy.objects.get(meeting=signed_meeting, paragraph=None)
    for paragraph in (None, item_numbers(signed_meeting)[0]):
        with pytest.raises(IntegrityError), transaction.atomic():
            SealedCopy.objects.create(
                meeting=signed_meeting,
                paragraph=paragraph,
                content=b"%PDF",
                sha256=copy.sha256,
                title="x",
                sealed=False,
            )


def test_the_agenda_of_signed_minutes_is_not_sealed(client, sealing, signed_meeting, initiator):
    client.force_login(initiator)
    agenda = client.get(reverse("council:meeting-agenda-pdf", args=[signed_meeting.pk])).content
    assert not seal_check(agenda).has_seal
    assert not SealedCopy.objects.exists()


def test_minutes_not_yet_signed_are_not_sealed(client, sealing, held_meeting_factory, secretariat, tmp_path):
    published_meeting = held_meeting_factory()
    client.force_login(secretariat)
    draft = client.get(reverse("council:meeting-minutes-pdf", args=[published_meeting.pk])).content
    assert not seal_check(draft).has_seal
    assert "Ostämplad kopia." not in pdf_text(draft, tmp_path)  # a draft is not waiting for a seal
    assert not SealedCopy.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_final_report_is_sealed_by_the_worker_before_it_is_archived(
    client, settings, seal_files, finance, karlstad, arvika, initiator, other_initiator, run_jobs
):
    from reports.models import ReportArchive
    from tests.reports.factories import worked_year

    # The worker reads the settings too: the same process, so the override reaches it.
    settings.DGR_SEAL_PKCS12, settings.DGR_SEAL_PASSPHRASE = str(seal_files["dgr"]), "hemligt"
    fund = worked_year(
        finance=finance,
        karlstad=karlstad,
        arvika=arvika,
        initiator=initiator,
        other_initiator=other_initiator,
    )
    client.force_login(finance)
    client.post(reverse("reports:balance-issue", args=[fund.slug, 2026]))
    run_jobs()
    archived = ReportArchive.objects.get(fund=fund, year=2026, kind="balance", is_final=True)
    content = bytes(archived.content)
    assert hashlib.sha256(content).hexdigest() == archived.sha256
    check = seal_check(content)
    assert check.valid and check.reason == "Slutlig balansrapport 2026"


def test_damaged_pdfs_from_anyone_never_raise(sealing, plain_pdf):
    """The public check parses whatever it is sent: bytes changed at random, cut short or overwritten
    (broken cross-references, bad compressed streams) give a verdict, never an exception."""
    sealed = seal_pdf(plain_pdf, reason="test")
    rnd = random.Random(14)
    for round_ in range(60):
        data = bytearray(sealed)
        if round_ % 3 == 0:
            for _ in range(rnd.randint(1, 5)):
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        elif round_ % 3 == 1:
            data = data[: rnd.randrange(len(data))] + b"\n%%EOF\n"
        else:
            at = rnd.randrange(len(data))
            data[at : at + 50] = bytes(rnd.randrange(256) for _ in range(50))
        check = seal_check(bytes(data))
        assert not check.valid or bytes(data) == sealed
