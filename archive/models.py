"""Archive packages: a closed initiative's case or a closed fiscal year as an E-ARK information package.

- ArchivePackage: one export. Asked for on the archive page (finance, the secretariat) or by the region's
  archivist with `manage.py archive_export`; built by the worker (archive/tasks.py) into a zip under
  MEDIA_ROOT/archive/ with its SHA-256. Its life is *queued* → *ready* (or *failed*, with the error); the
  file never changes once ready. Every export leaves its row and history (who asked, when, what was built);
  nothing is deleted. The database checks that an initiative package names an initiative and a fiscal
  year package a fund and a year.

The packages read other apps through their models and selectors and write nothing of theirs (STYLE: the
archive sits at the top of the layers, next to reports).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PackageKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiativärende")
    FISCAL_YEAR = "fiscal_year", _("Verksamhetsår")


class PackageStatus(models.TextChoices):
    QUEUED = "queued", _("Skapas")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Misslyckades")


def package_path(instance, filename: str) -> str:
    return f"archive/{filename}"


class ArchivePackage(models.Model):
    kind = models.CharField(_("innehåll"), max_length=20, choices=PackageKind.choices)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_packages",
        verbose_name=_("initiativ"),
    )
    fund = models.ForeignKey(
        "accounting.Fund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archive_packages",
        verbose_name=_("fond"),
    )
    year = models.PositiveSmallIntegerField(_("verksamhetsår"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PackageStatus.choices, default=PackageStatus.QUEUED
    )
    file = models.FileField(_("paket"), upload_to=package_path, max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)
    # Empty when the region's archivist ran `manage.py archive_export` on the server (no DGR login).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_via = models.CharField(_("beställt via"), max_length=20, default="web")
    requested_at = models.DateTimeField(_("beställt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klart"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arkivpaket")
        verbose_name_plural = _("arkivpaket")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="initiative", initiative__isnull=False, fund__isnull=True, year__isnull=True)
                    | Q(kind="fiscal_year", initiative__isnull=True, fund__isnull=False, year__isnull=False)
                ),
                name="archive_package_names_its_subject",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(sha256__regex=r"^[0-9a-f]{64}$") & ~Q(file="")),
                name="archive_package_ready_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        if self.kind == PackageKind.INITIATIVE:
            return self.initiative.registration_number if self.initiative_id else ""
        return f"{self.fund.name if self.fund_id else ''} {self.year}"

    @property
    def objid(self) -> str:
        """The package's identifier and root folder: stable per subject, unique per export."""
        if self.kind == PackageKind.INITIATIVE:
            number = self.initiative.registration_number.replace("DGR ", "").replace("/", "-")
            return f"dgr-initiativ-{number}-paket-{self.pk}"
        return f"dgr-{self.fund.slug}-{self.year}-paket-{self.pk}"

    @property
    def filename(self) -> str:
        return f"{self.objid}.zip"
