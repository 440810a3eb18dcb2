"""core/uploads.py: the one upload checker. Each hostile file of issue 17 is built here and refused; a
genuine file of every allowed kind is accepted; the client's name survives only as clean display text."""

import io
import struct
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError

from core import uploads
from tests.core.factories import (
    HTML,
    PDF,
    compound_bytes,
    docx_bomb,
    docx_bytes,
    docx_with_entries,
    genuine_files,
    image_bytes,
    odf_bytes,
    odf_mimetype_bomb,
    png_then_html,
    upload,
    with_declared_size,
)


def refusal(name: str, content: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(upload(name, content), **kwargs)
    return " ".join(error.value.messages)


@pytest.mark.parametrize(("extension", "content"), list(genuine_files().items()))
def test_a_genuine_file_of_every_allowed_kind_is_accepted(extension, content):
    checked = uploads.check_upload(upload(f"Underlag {extension.upper()}.{extension}", content))
    assert checked.extension == extension
    assert checked.content_type == uploads.KINDS[extension].content_type
    assert checked.size == len(content)
    assert checked.display_name == f"Underlag {extension.upper()}.{extension}"


def test_the_extension_is_read_case_insensitively():
    assert uploads.check_upload(upload("BESLUT.PDF", PDF)).content_type == "application/pdf"


def test_a_png_followed_by_html_is_refused_as_png_and_as_html():
    assert "data efter sitt slut" in refusal("bild.png", png_then_html())
    assert "Filtypen är inte tillåten" in refusal("sida.html", png_then_html())


@pytest.mark.parametrize(("extension", "format_"), [("jpg", "JPEG"), ("gif", "GIF"), ("webp", "WEBP")])
def test_other_images_with_html_after_their_end_are_refused(extension, format_):
    assert "Filen tas inte emot" in refusal(f"bild.{extension}", image_bytes(format_) + HTML)


def test_html_behind_an_image_header_is_refused():
    # The signature is right but what follows is no chunk: a sniffer would see HTML.
    assert "ofullständig eller skadad" in refusal("bild.png", image_bytes("PNG")[:8] + HTML)
    assert "Filen tas inte emot som JPEG" in refusal("bild.jpg", b"\xff\xd8\xff\xe0" + HTML)


def test_a_pdf_must_start_with_its_header_and_end_with_eof():
    assert "börjar inte som en PDF-fil" in refusal("beslut.pdf", HTML)
    assert "%%EOF" in refusal("beslut.pdf", PDF + HTML)
    assert "%%EOF" in refusal("beslut.pdf", PDF[:-7])
    assert uploads.check_upload(upload("beslut.pdf", PDF + b"\r\n")).extension == "pdf"


def test_a_file_whose_content_is_another_allowed_type_is_refused():
    assert "Filen tas inte emot som PDF" in refusal("bild.pdf", image_bytes("PNG"))
    assert "inte av den typ som filnamnet anger" in refusal("text.docx", odf_bytes("text"))
    assert "inte av den typ som filnamnet anger" in refusal("text.odt", docx_bytes())
    assert "inte av den typ som filnamnet anger" in refusal("text.ods", odf_bytes("text"))
    assert "inte av den typ som filnamnet anger" in refusal("kalkyl.xls", compound_bytes("WordDocument"))


def test_a_docx_that_unpacks_to_a_gibibyte_is_refused_at_once():
    bomb = docx_bomb()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # it is a real bomb: ~1 MB holding 1 GiB
        assert archive.getinfo("word/document.xml").file_size == 1024**3
    assert len(bomb) < 1.5 * 1024**2
    started = time.monotonic()
    assert "packas upp till mer än tillåtet" in refusal("bomb.docx", bomb)
    assert time.monotonic() - started < 1


def test_a_bomb_that_understates_its_size_is_stopped_while_streaming():
    # 300 MiB of zeros declared as 1 000 bytes: the unpacking stops at the declared size and the
    # checksum then fails, so at most the declared bytes are ever produced.
    lying = with_declared_size(docx_bomb(300 * 1024**2), "word/document.xml", 1000)
    started = time.monotonic()
    assert "ofullständig eller skadad" in refusal("bomb.docx", lying)
    assert time.monotonic() - started < 1


def test_the_unpacked_total_is_limited_as_well_as_each_entry(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 100)
    assert "packas upp till mer än tillåtet" in refusal("plan.docx", docx_bytes())


def test_a_docx_with_1500_entries_is_refused_and_one_with_1000_accepted():
    assert "1\u00a0500 delar; högst 1\u00a0000" in refusal("många.docx", docx_with_entries(1500))
    assert uploads.check_upload(upload("många.docx", docx_with_entries(1000))).extension == "docx"


def test_an_odf_whose_mimetype_entry_is_a_bomb_is_refused_without_unpacking_it():
    bomb = odf_mimetype_bomb()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.infolist()[0].filename == "mimetype"
        assert archive.getinfo("mimetype").file_size == 1024**3
    started = time.monotonic()
    assert "inte av den typ som filnamnet anger" in refusal("bomb.odt", bomb)
    assert time.monotonic() - started < 1


def test_an_odf_needs_its_mimetype_first_and_right():
    assert "inte av den typ" in refusal("text.odt", odf_bytes("text", mimetype=b"application/zip"))


def _encrypted(data: bytes) -> bytes:
    patched = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            patched[at + flags_at] |= 0x01
            at = data.find(signature, at + 4)
    return bytes(patched)


def test_encrypted_archives_are_refused():
    assert "krypterade" in refusal("hemlig.docx", _encrypted(docx_bytes()))


def test_data_before_or_after_an_archive_is_refused():
    assert "före eller efter arkivet" in refusal("plan.docx", HTML + docx_bytes())
    assert "Filen tas inte emot som Word" in refusal("plan.docx", docx_bytes() + HTML)


def test_office_files_with_macros_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes())) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/vbaProject.bin", b"\x00" * 10)
    assert "makron" in refusal("makro.docx", buffer.getvalue())
    docm = docx_bytes(main="ms-word.document.macroEnabled.main+xml")  # a .docm renamed .docx
    assert "inte av den typ som filnamnet anger" in refusal("makro.docx", docm)


def test_a_compound_file_must_be_whole_sectors_and_hold_its_stream():
    assert "data efter sitt slut" in refusal("gammal.doc", compound_bytes("WordDocument") + HTML)
    assert "Office 97–2003" in refusal("gammal.doc", HTML)
    macros = compound_bytes("Macros")
    assert "makron" in refusal("gammal.doc", macros)


def test_a_compound_file_with_a_directory_loop_is_refused():
    data = bytearray(compound_bytes("WordDocument"))
    # FAT entry of the directory sector (sector 1) pointing back to itself.
    struct.pack_into("<I", data, 512 + 4, 1)
    assert "ofullständig eller skadad" in refusal("gammal.doc", bytes(data))


def test_empty_too_large_and_unlisted_files_are_refused(monkeypatch):
    assert "Filen är tom" in refusal("tom.pdf", b"")
    assert "Filtypen är inte tillåten" in refusal("program.exe", b"MZ\x90\x00")
    assert "Filtypen är inte tillåten" in refusal("utan-filändelse", PDF)
    monkeypatch.setattr(uploads, "MAX_SIZE", 10)
    assert "för stor" in refusal("stor.pdf", PDF)


def test_each_use_has_its_own_allow_list():
    message = refusal("beslut.png", image_bytes("PNG"), allowed=uploads.DECISION_DOCUMENTS)
    assert message == "Filtypen är inte tillåten. Tillåtna filtyper: .pdf."


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/Budget 2027.pdf", "Budget 2027.pdf"),
        ("C:\\Users\\anna\\Årsrapport ö.pdf", "Årsrapport ö.pdf"),
        ("rad1\r\nrad2\x00\x1b[31m.pdf", "rad1rad2[31m.pdf"),
        ("faktura\u202efdp.exe", "fakturafdp.exe"),  # the right-to-left override is gone
        ("  .dold  fil.pdf. ", "dold fil.pdf"),
        ("A\u030angström.pdf", "Ångström.pdf"),  # composed, as Swedish text is stored
        ("", "fil"),
        ("../", "fil"),
    ],
)
def test_the_client_file_name_is_kept_only_as_clean_display_text(raw, shown):
    assert uploads.display_name(raw) == shown


def test_a_long_display_name_is_capped_and_keeps_its_extension():
    name = uploads.display_name("å" * 500 + ".docx")
    assert len(name) == uploads.MAX_DISPLAY_NAME and name.endswith("å.docx")


def test_the_download_header_names_the_file_in_ascii_and_in_rfc_5987_form():
    assert uploads.content_disposition('Årsrapport "slutlig" ö.pdf') == (
        'attachment; filename="Arsrapport _slutlig_ o.pdf"; '
        "filename*=UTF-8''%C3%85rsrapport%20%22slutlig%22%20%C3%B6.pdf"
    )
