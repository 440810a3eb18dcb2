"""The import of existing records: the fund's history from 2022 on, brought in from Excel when going live.

- Import: one uploaded file of one kind (initiatives, Värmlandsrådet's positions, Region Värmland's
  decisions, ledger postings), kept as it was uploaded (with its SHA-256), and what became of it: the
  dry run's row-by-row report (`rows`), every problem with its sheet, row and column (`problems`), the
  counts, and the error of a run that broke off (`error`, in Swedish). Status: checking (the dry run's job
  waits or runs) → checked (dry run without problems) → importing (the real run's job waits or runs) →
  imported; or refused. A run that breaks off goes back a step with its error and creates nothing.
  The file is never deleted: it is the record of where the imported rows came from.
- ImportProgress: where a running job is (step, row done of total). Written by the worker through a
  database connection of its own, in autocommit, because the import itself runs in one transaction that
  nobody else sees into until it ends (imports/progress.py). Not history: it is a gauge, not a record.

The records themselves are created by the other apps' services (`initiative_import`, `position_import`,
`decision_record`, `commitment_create`, `disbursement_record` …), so every rule and database guarantee of
the UI holds. All or nothing per file: a run with a problem rolls everything back. Running a file twice
creates nothing twice (natural keys: registration number, body + year + paragraph, decision reference, and
an import key per posting row that becomes the ledger's idempotency key).

Who: the secretariat imports initiatives and positions, finance decisions and postings; administrators
and auditors read the imports.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.permissions import reads_everything


class ImportKind(models.TextChoices):
    # The order is the order of import: each kind builds on the ones before it.
    INITIATIVES = "initiatives", _("Initiativ")
    POSITIONS = "positions", _("Värmlandsrådets ställningstaganden")
    DECISIONS = "decisions", _("Region Värmlands beslut")
    POSTINGS = "postings", _("Bokföringar (åtaganden, utbetalningar m.m.)")


class ImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Imports are the go-live work of finance and the secretariat together; readers of everything
        # (administrators, auditors) may follow it.
        if not user.is_authenticated or not user.is_active or not reads_everything(user):
            return self.none()
        return self


def import_path(instance, filename: str) -> str:
    import uuid

    return f"imports/{uuid.uuid4().hex}.xlsx"


class Import(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Provkörs")
        CHECKED = "checked", _("Provkört utan problem")
        REFUSED = "refused", _("Har problem, inget skapat")
        IMPORTING = "importing", _("Importeras")
        IMPORTED = "imported", _("Importerat")

    # A background job works on the file in these states (imports/tasks.py).
    RUNNING = (Status.CHECKING, Status.IMPORTING)

    kind = models.CharField(_("typ"), max_length=20, choices=ImportKind.choices)
    fund = models.ForeignKey(
        "accounting.Fund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fond"),
    )
    file = models.FileField(_("fil"), upload_to=import_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=255)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    total_rows = models.PositiveIntegerField(_("rader"), default=0)
    created_count = models.PositiveIntegerField(_("skapade"), default=0)
    skipped_count = models.PositiveIntegerField(_("fanns redan"), default=0)
    rows = models.JSONField(_("rapport per rad"), default=list, blank=True)
    problems = models.JSONField(_("problem"), default=list, blank=True)
    error = models.TextField(_("fel"), blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    checked_at = models.DateTimeField(_("provkört"), null=True, blank=True)
    imported_at = models.DateTimeField(_("importerat"), null=True, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ImportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["rows"])

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("importer")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="import_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=["checking", "checked", "refused", "importing", "imported"]),
                name="import_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="imported") | Q(imported_at__isnull=False, imported_by__isnull=False),
                name="import_imported_has_time_and_user",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["initiatives", "positions"]) | Q(fund__isnull=False),
                name="import_money_has_fund",
            ),
        ]

    def __str__(self):
        return f"{ImportKind(self.kind).label}: {self.original_name}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("imports:import-detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return ImportKind(self.kind).label

    @property
    def status_label(self) -> str:
        return self.Status(self.status).label

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING


class ImportProgress(models.Model):
    class Step(models.TextChoices):
        WAITING = "waiting", _("väntar på att en arbetare tar den")
        READING = "reading", _("läser filen")
        ROWS = "rows", _("går igenom raderna")
        SAVING = "saving", _("sparar resultatet")

    record = models.OneToOneField(
        Import, on_delete=models.CASCADE, primary_key=True, related_name="progress", verbose_name=_("import")
    )
    step = models.CharField(_("steg"), max_length=20, choices=Step.choices, default=Step.WAITING)
    done = models.PositiveIntegerField(_("klara rader"), default=0)
    total = models.PositiveIntegerField(_("rader"), default=0)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    class Meta:
        verbose_name = _("importens förlopp")
        verbose_name_plural = _("importernas förlopp")
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="import_progress_done_in_range"
            ),
            models.CheckConstraint(
                condition=Q(step__in=["waiting", "reading", "rows", "saving"]), name="import_progress_step"
            ),
        ]

    def __str__(self):
        return f"{self.record_id}: {self.step} {self.done}/{self.total}"
