"""The annual reports' archive: every final report PDF exactly as it was issued.

- ReportArchive: one generated report (Region Värmland's balance report or VRAG's outcome report) for a
  fund and a fiscal year, its PDF bytes and their SHA-256 checksum. A *final* report (a closed year) is
  archived once and shown again unchanged: asking for it again returns the stored bytes, never a new
  rendering (unique per kind, fund and year among final reports). Rows are never changed or deleted:
  a PostgreSQL trigger refuses UPDATE and DELETE (migration 0001), the admin has no delete permission.
- PreparedReport: a report file rendered by a worker on request — a *preliminary* report's PDF (an open
  year), or a report's data as Excel or CSV (any year: building the figures of 2 000 initiatives takes
  seconds, too long for a web request) — and kept for its *data version*: a fingerprint of what the
  report reads (the fund's verifications up to the year, and the last change to initiatives, outcome
  reports, decisions, parties and the fund's years). It is served only while the data version is still
  the current one, so a prepared file is never stale; it is never archived and never final. Retention:
  only the latest prepared file per kind, format, fund and year is kept — storing a new one deletes the
  older ones (with history; the file's bytes are not in the history).
- The report figures themselves are never stored: they are built by `reports.selectors` from the ledger
  (the closed year's snapshot) and the initiatives, so nothing here can drift from the ledger.

Who: finance issues the balance report, the secretariat the outcome report; auditors and administrators
read both; initiators and council representatives read archived (final) reports. Whoever reads the live
reports asks for a preliminary PDF or the data as Excel or CSV to be prepared
(reports.permissions.can_view_reports).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dbroles import append_only


class ReportKind(models.TextChoices):
    BALANCE = "balance", _("Balansrapport")
    OUTCOME = "outcome", _("Utfallsrapport")


@append_only
class ReportArchive(models.Model):
    kind = models.CharField(_("rapport"), max_length=20, choices=ReportKind.choices)
    fund = models.ForeignKey(
        "accounting.Fund", on_delete=models.PROTECT, related_name="report_archive", verbose_name=_("fond")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    is_final = models.BooleanField(_("slutlig"), default=True)
    content = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("arkiverad rapport")
        verbose_name_plural = _("arkiverade rapporter")
        ordering = ["-year", "kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "fund", "year"], condition=Q(is_final=True), name="report_archive_one_final"
            ),
            models.CheckConstraint(condition=Q(kind__in=["balance", "outcome"]), name="report_archive_kind"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="report_archive_sha256"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} ({self.fund_id})"

    @property
    def filename(self) -> str:
        stem = "balansrapport" if self.kind == ReportKind.BALANCE else "utfallsrapport"
        return f"{stem}-{self.year}.pdf"


class FileFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("Excel")
    CSV = "csv", _("CSV")


CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileFormat.CSV: "text/csv; charset=utf-8",
}


class PreparedReport(models.Model):
    kind = models.CharField(_("rapport"), max_length=20, choices=ReportKind.choices)
    format = models.CharField(_("format"), max_length=10, choices=FileFormat.choices, default=FileFormat.PDF)
    fund = models.ForeignKey(
        "accounting.Fund", on_delete=models.PROTECT, related_name="prepared_reports", verbose_name=_("fond")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    data_version = models.CharField(_("dataversion"), max_length=64)
    content = models.BinaryField(_("fil"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("framtagen"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("framtagen rapportfil")
        verbose_name_plural = _("framtagna rapportfiler")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "format", "fund", "year", "data_version"],
                name="prepared_report_one_per_version",
            ),
            models.CheckConstraint(condition=Q(kind__in=["balance", "outcome"]), name="prepared_report_kind"),
            models.CheckConstraint(
                condition=Q(format__in=["pdf", "xlsx", "csv"]), name="prepared_report_format"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="prepared_report_sha256"
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.year} ({self.fund_id}), {self.format}, {self.data_version[:12]}"
        )

    @property
    def filename(self) -> str:
        stem = "balansrapport" if self.kind == ReportKind.BALANCE else "utfallsrapport"
        if self.format == FileFormat.PDF:
            return f"{stem}-{self.year}-preliminar.pdf"
        return f"{stem}-{self.fund.slug}-{self.year}.{self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]
