"""Upload checks by content, not by name: a file is what its bytes say it is.

`filetype` reads the magic numbers. Office Open XML and OpenDocument files are zip archives: for them
the archive is opened and its structure checked ([Content_Types].xml and the part for the format, or
the OpenDocument `mimetype` entry), so a renamed zip or a macro-free lookalike is not let through by
its extension.
"""

import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_SIZE = 20 * 1024 * 1024  # 20 MB per file

# filetype's MIME -> what we store and show.
PLAIN_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/msword": "Word 97–2003",  # OLE2 container; filetype reports .doc/.xls/.ppt alike
    "application/vnd.ms-excel": "Excel 97–2003",
    "application/vnd.ms-powerpoint": "PowerPoint 97–2003",
}

OOXML = {
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
    "ppt/presentation.xml": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
    ),
}

OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument kalkyl",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
}

ALLOWED_HELP = _("PDF, Word, Excel, PowerPoint, OpenDocument eller bild (PNG, JPEG, GIF, WebP), högst 20 MB.")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    label: str


def _wrong_type() -> ValidationError:
    return ValidationError(
        _("Filtypen är inte tillåten. Bifoga PDF, Office- eller OpenDocument-filer eller bilder."),
        code="file_type",
    )


def _check_zip(upload) -> CheckedFile:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in OPENDOCUMENT and "content.xml" in names:
                    return CheckedFile(mimetype, OPENDOCUMENT[mimetype])
                raise _wrong_type()
            if "[Content_Types].xml" in names:
                for part, (mime, label) in OOXML.items():
                    if part in names:
                        return CheckedFile(mime, label)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise _wrong_type() from exc
    finally:
        upload.seek(0)
    raise _wrong_type()


def check_upload(upload) -> CheckedFile:
    """Refuse empty, too large and wrong-type files; return the type found in the content."""
    if upload.size == 0:
        raise ValidationError(_("Filen är tom."), code="empty")
    if upload.size > MAX_SIZE:
        raise ValidationError(_("Filen är för stor. Största tillåtna storlek är 20 MB."), code="file_size")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        raise _wrong_type()
    if kind.mime in PLAIN_TYPES:
        return CheckedFile(kind.mime, PLAIN_TYPES[kind.mime])
    zip_based = {"application/zip", *OPENDOCUMENT, *(mime for mime, _label in OOXML.values())}
    if kind.mime in zip_based or kind.extension in {"docx", "xlsx", "pptx", "odt", "ods", "odp"}:
        return _check_zip(upload)
    raise _wrong_type()
