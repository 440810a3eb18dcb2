"""The annual reports' archive: every final report PDF exactly as it was issued.

- ReportArchive: one generated report (Region Värmland's balance report or VRAG's outcome report) for a
  fund and a fiscal year, its PDF bytes and their SHA-256 checksum. A *final* report (a closed year) is
  archived once and shown again unchanged: asking for it again returns the stored bytes, never a new
  rendering (unique per kind, fund and year among final reports). Rows are never changed or deleted:
  a PostgreSQL trigger refuses UPDATE and DELETE (migration 0001), the admin has no delete permission.
- The report figures themselves are never stored: they are built by `reports.selectors` from the ledger
  (the closed year's snapshot) and the initiatives, so nothing here can drift from the ledger.

Who: finance issues the balance report, the secretariat the outcome report; auditors and administrators
read both; initiators and council representatives read archived (final) reports.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReportKind(models.TextChoices):
    BALANCE = "balance", _("Balansrapport")
    OUTCOME = "outcome", _("Utfallsrapport")


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
