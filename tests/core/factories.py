"""Files for upload tests: genuine files of every allowed kind, and the hostile ones of issue 17.

Images come from Pillow and spreadsheets from openpyxl (real writers); the other Office and OpenDocument
files are built part by part the way their writers lay them out. Every builder returns the same bytes
on every call (zip entries carry a fixed time).
"""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

FIXED_TIME = (2026, 1, 1, 0, 0, 0)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def image_bytes(format_: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=format_)
    return buffer.getvalue()


def _zip(entries, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else compression
            archive.writestr(info, text)
    return buffer.getvalue()


def _content_types(main: str, part: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-officedocument.{main}"/>'
        "</Types>"
    )


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def docx_bytes(*, main: str = "wordprocessingml.document.main+xml") -> bytes:
    """A Word document; `main` is the declared type of its main part (Word writes another for .docm)."""
    return _zip(
        [
            ("[Content_Types].xml", _content_types(main, "word/document.xml")),
            ("_rels/.rels", _RELS.format(part="word/document.xml")),
            (
                "word/document.xml",
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                "<w:body><w:p><w:r><w:t>Projektplan</w:t></w:r></w:p></w:body></w:document>",
            ),
        ]
    )


def pptx_bytes() -> bytes:
    return _zip(
        [
            (
                "[Content_Types].xml",
                _content_types("presentationml.presentation.main+xml", "ppt/presentation.xml"),
            ),
            ("_rels/.rels", _RELS.format(part="ppt/presentation.xml")),
            ("ppt/presentation.xml", "<p:presentation/>"),
        ]
    )


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Budget"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf_bytes(kind: str = "text", *, mimetype: bytes | None = None) -> bytes:
    mime = f"application/vnd.oasis.opendocument.{kind}"
    return _zip(
        [
            ("mimetype", mimetype if mimetype is not None else mime),
            ("content.xml", '<office:document-content office:version="1.3"/>'),
            (
                "META-INF/manifest.xml",
                '<manifest:manifest><manifest:file-entry manifest:full-path="/" '
                f'manifest:media-type="{mime}"/></manifest:manifest>',
            ),
        ]
    )


def compound_bytes(stream: str) -> bytes:
    """An MS-CFB version 3 file: header, one FAT sector, one directory sector, one 4 KiB stream."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH6xI", 0x3E, 3, 0xFFFE, 9, 6, 0)
    header += struct.pack("<IIIIIIII", 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)
    fat = [fat_sector, end, 3, 4, 5, 6, 7, 8, 9, end] + [free] * 118

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, free, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, free, 2, 4096) + bytes(256)
    return header + struct.pack("<128I", *fat) + directory + bytes(4096)


def genuine_files() -> dict[str, bytes]:
    """One genuine file per allowed extension."""
    return {
        "pdf": PDF,
        "png": image_bytes("PNG"),
        "jpg": image_bytes("JPEG"),
        "jpeg": image_bytes("JPEG"),
        "gif": image_bytes("GIF"),
        "webp": image_bytes("WEBP"),
        "docx": docx_bytes(),
        "xlsx": xlsx_bytes(),
        "pptx": pptx_bytes(),
        "odt": odf_bytes("text"),
        "ods": odf_bytes("spreadsheet"),
        "odp": odf_bytes("presentation"),
        "doc": compound_bytes("WordDocument"),
        "xls": compound_bytes("Workbook"),
        "ppt": compound_bytes("PowerPoint Document"),
    }


def png_then_html() -> bytes:
    """A real PNG with an HTML page after its end: what a browser sniffing content would run."""
    return image_bytes("PNG") + HTML


def _raw_zip(entries: list[tuple[str, bytes, int, int, bool]]) -> bytes:
    """A zip written by hand from (name, data, crc, unpacked size, deflated) entries.

    Lets a test hand over deflate data it made once and repeated, instead of compressing a GiB.
    """
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size, deflated in entries:
        offset = out.tell()
        method = zipfile.ZIP_DEFLATED if deflated else zipfile.ZIP_STORED
        fields = struct.pack("<HHHHHIIIH", 20, 0, method, 0, 0x5C21, crc, len(data), size, len(name))
        out.write(b"PK\x03\x04" + fields + b"\x00\x00" + name.encode() + data)
        central.write(
            b"PK\x01\x02"
            + struct.pack("<H", 20)
            + fields
            + struct.pack("<HHHHII", 0, 0, 0, 0, 0, offset)
            + name.encode()
        )
    directory = central.getvalue()
    count = len(entries)
    eocd = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), out.tell(), 0)
    return out.getvalue() + directory + eocd


def _small(name: str, text: str) -> tuple[str, bytes, int, int, bool]:
    data = text.encode()
    return (name, data, zlib.crc32(data), len(data), False)


def _zeros(name: str, unpacked: int, prefix: bytes = b"") -> tuple[str, bytes, int, int, bool]:
    """An entry of `prefix` and then zeros up to `unpacked` bytes: 1 MiB of zeros deflates to the same
    1 KB block after every full flush, so the block is made once and repeated."""
    megabyte = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix + megabyte[len(prefix) :]) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    blocks = unpacked // len(megabyte)
    crc = zlib.crc32(prefix + megabyte[len(prefix) :])
    for _ in range(blocks - 1):
        crc = zlib.crc32(megabyte, crc)
    return (name, head + block * (blocks - 1) + tail, crc, blocks * len(megabyte), True)


def docx_bomb(unpacked: int = 1024**3) -> bytes:
    """A .docx of about 1 MB whose word/document.xml unpacks to 1 GiB of zeros (issue 17)."""
    return _raw_zip(
        [
            _small(
                "[Content_Types].xml",
                _content_types("wordprocessingml.document.main+xml", "word/document.xml"),
            ),
            _zeros("word/document.xml", unpacked),
        ]
    )


def odf_mimetype_bomb(unpacked: int = 1024**3) -> bytes:
    """An .odt whose `mimetype` entry (read whole before issue 17: 7.8 s) unpacks to 1 GiB."""
    return _raw_zip(
        [
            _zeros("mimetype", unpacked, prefix=b"application/vnd.oasis.opendocument.text"),
            _small("content.xml", "<office:document-content/>"),
            _small("META-INF/manifest.xml", "<manifest:manifest/>"),
        ]
    )


def with_declared_size(data: bytes, name: str, declared: int) -> bytes:
    """The archive with `name`'s uncompressed size rewritten (local header and central directory)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    patched = bytearray(data)
    patched[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", declared)
    central, at = None, data.find(b"PK\x01\x02")
    while at >= 0:
        (length,) = struct.unpack("<H", data[at + 28 : at + 30])
        if data[at + 46 : at + 46 + length].decode() == name:
            central = at
            break
        at = data.find(b"PK\x01\x02", at + 4)
    patched[central + 24 : central + 28] = struct.pack("<I", declared)
    return bytes(patched)


def docx_with_entries(count: int) -> bytes:
    base = [
        ("[Content_Types].xml", _content_types("wordprocessingml.document.main+xml", "word/document.xml")),
        ("word/document.xml", "<w:document/>"),
    ]
    return _zip(base + [(f"word/media/bild{n}.xml", "") for n in range(count - len(base))])
