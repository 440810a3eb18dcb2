"""What goes into an archive package: the records of a closed initiative's case or a closed fiscal year,
as files (archive/eark.py packs them).

An initiative's case: `arende.pdf` (PDF/A-3a: the submitted versions, the preparation, the council's
items with every party's stance and the positions, Region Värmland's decisions, a summary of the money
and its postings, the outcome reports with their indicators), then the files as they were handed in —
the initiative's attachments, the decision documents and the outcome reports' attachments. Images are
also converted to PDF/A (WeasyPrint renders them); PDF, Office and OpenDocument files are kept as the
originals only (WeasyPrint cannot convert them; an archive that needs PDF/A of them converts them on
ingest). A fiscal year: the final annual reports as archived (sealed PDF/A), the SIE 4I and 4E files
(accounting's own exporter) and the journal as PDF/A.
"""

import base64
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accounting import selectors as accounting_selectors
from accounting.exports import sie
from accounting.models import FiscalYear, Fund, Verification
from archive.eark import PackageDescription, PackageFile
from core.language import in_swedish
from core.pdf import render_pdf
from council.models import AgendaItem
from initiatives.models import Initiative
from reports.models import ReportArchive

IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def _base_url() -> str:
    return (settings.DGR_BASE_URL or "http://localhost").rstrip("/") + "/"


def _pdf(template: str, context: dict) -> bytes:
    with in_swedish():
        html = render_to_string(template, {**context, "generated_at": timezone.localtime()})
        return render_pdf(html, base_url=_base_url())


def _safe_name(name: str) -> str:
    """A file name that is the same on every file system: letters, digits, '.', '-', '_'."""
    stem = re.sub(r"[^0-9A-Za-zÅÄÖåäö._-]+", "_", name).strip("._") or "fil"
    return stem[:120]


def _read(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def _image_as_pdf(data: bytes, extension: str, title: str) -> bytes:
    uri = f"data:{IMAGE_TYPES[extension]};base64,{base64.b64encode(data).decode()}"
    return _pdf("archive/pdf/image.html", {"title": title, "uri": uri})


@dataclass
class _Files:
    items: list[PackageFile]

    def add(self, path: str, content: bytes, source: str = "") -> None:
        self.items.append(PackageFile(path, content, source))

    def add_original(self, folder: str, index: int, field, name: str) -> None:
        """The file as handed in and, for an image, its PDF/A conversion beside it."""
        safe = f"{folder}/{index:02d}-{_safe_name(name)}"
        data = _read(field)
        self.add(safe, data, source=name)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension in IMAGE_TYPES:
            self.add(safe + ".pdf", _image_as_pdf(data, extension, name), source=f"{name} (PDF/A)")


def initiative_case(initiative: Initiative) -> tuple[PackageDescription, list[PackageFile]]:
    revisions = list(initiative.revisions.order_by("number").select_related("submitted_by"))
    preparation = getattr(initiative, "preparation", None)  # the missing one-to-one is an AttributeError
    items = list(
        AgendaItem.objects.filter(initiative=initiative)
        .select_related("meeting__body", "paragraph", "position", "proposal")
        .prefetch_related("stances__party")
        .order_by("meeting__starts_at", "order")
    )
    money = accounting_selectors.initiative_money(initiative)
    reports = list(
        initiative.outcome_reports.order_by("submitted_at").prefetch_related("indicators", "attachments")
    )
    attachments = list(initiative.attachments.filter(removed_at__isnull=True).order_by("uploaded_at", "id"))
    files = _Files([])
    files.add(
        "arende.pdf",
        _pdf(
            "archive/pdf/initiative_case.html",
            {
                "initiative": initiative,
                "revisions": revisions,
                "preparation": preparation,
                "items": items,
                "money": money,
                "reports": reports,
                "attachments": attachments,
            },
        ),
        source="Ärendet sammanställt av DGR",
    )
    for index, attachment in enumerate(attachments, 1):
        files.add_original("bilagor", index, attachment.file, attachment.original_name)
    for index, decision in enumerate(money.decisions, 1):
        if decision.document:
            files.add_original("beslut", index, decision.document, decision.document_name or "beslut.pdf")
    for report in reports:
        for index, attachment in enumerate(report.attachments.all(), 1):
            files.add_original(
                f"utfall/rapport-{report.pk}", index, attachment.file, attachment.original_name
            )
    period = ""
    if initiative.start_date and initiative.end_date:
        period = f"{initiative.start_date:%Y-%m-%d}/{initiative.end_date:%Y-%m-%d}"
    description = PackageDescription(
        objid="",
        title=f"Initiativärende {initiative.registration_number}: {initiative.title}",
        creator=settings.DGR_ARCHIVE_CREATOR,
        subject=initiative.registration_number,
        description=f"{initiative.party.name}. Status: {initiative.get_status_display()}.",
        period=period,
    )
    return description, files.items


def fiscal_year_records(fund: Fund, year: int) -> tuple[PackageDescription, list[PackageFile]]:
    fiscal_year = FiscalYear.objects.select_related("fund").get(fund=fund, year=year)
    files = _Files([])
    for archived in ReportArchive.objects.filter(fund=fund, year=year, is_final=True).order_by("kind"):
        files.add(
            f"rapporter/{archived.filename}", bytes(archived.content), source="Slutlig årsrapport (arkiverad)"
        )
    files.add(f"sie/{fund.slug}-{year}-4I.si", sie(fiscal_year, with_balances=False), source="SIE 4I")
    files.add(f"sie/{fund.slug}-{year}-4E.se", sie(fiscal_year, with_balances=True), source="SIE 4E")
    verifications = list(
        Verification.objects.filter(fiscal_year=fiscal_year)
        .select_related("fiscal_year", "reverses__fiscal_year")
        .prefetch_related("lines__account", "lines__capital_part", "lines__initiative")
        .order_by("series", "number")
    )
    files.add(
        f"huvudbok-{fund.slug}-{year}.pdf",
        _pdf(
            "archive/pdf/journal.html",
            {"fund": fund, "fiscal_year": fiscal_year, "verifications": verifications},
        ),
        source="Huvudbok (verifikationer med rader)",
    )
    description = PackageDescription(
        objid="",
        title=f"Verksamhetsår {year}, {fund.name}",
        creator=settings.DGR_ARCHIVE_CREATOR,
        subject=f"{fund.name} {year}",
        description=f"{fund.name}: årsrapporter, SIE-filer och huvudbok för {year}.",
        period=f"{fiscal_year.starts_on:%Y-%m-%d}/{fiscal_year.ends_on:%Y-%m-%d}",
    )
    return description, files.items
