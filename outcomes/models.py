"""Outcome reporting (utfall): what an initiative funded from the fund reports, and the secretariat's review.

- OutcomeReport: what a funded (DECIDED) initiative reports: a progress report for a period (every year)
  or the final report. Period, activities, an outcome summary, a status (on track / at risk / off
  track), money spent and co-financing actually received (kronor, ≥ 0, checked by the database), and a
  written explanation whenever spending exceeds what Region Värmland granted. Reports are never edited
  or deleted: a complement is a new report for the same due date; the latest one counts. Review by the
  secretariat: approved, or a complement requested (with a comment). Approving a final report completes
  the initiative (DECIDED → COMPLETED through `initiatives.services.initiative_transition`) and releases
  what is left of its reservation in the ledger (`accounting.services.initiative_completion_release`).
- OutcomeIndicator: an indicator of a report with its target and actual value (≥ 0).
- OutcomeAttachment: a file of a report, checked by content like the initiative's attachments.
- OutcomeReminder: one row per reminder e-mail (report due date and day): `outcome_reminders_send` is
  idempotent per report and day because the database refuses a second row.
Due dates are computed (selectors.py) from the initiative's period and the date of Region Värmland's
decision: no schedule rows to keep in step with the ledger.

The app sits above the ledger (core ← people ← initiatives ← council ← accounting ← outcomes): it reads
and calls initiatives and accounting, and they know nothing of it. The models began in `initiatives` and
keep their tables (`initiatives_outcome…`, `db_table` below): the move to this app changed no data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import MoneyField
from initiatives.models import Initiative, attachment_path


class OutcomeKind(models.TextChoices):
    PROGRESS = "progress", _("Lägesrapport")
    FINAL = "final", _("Slutrapport")


class OutcomeStatus(models.TextChoices):
    ON_TRACK = "on_track", _("Enligt plan")
    AT_RISK = "at_risk", _("Risk för avvikelse")
    OFF_TRACK = "off_track", _("Avviker från plan")


class OutcomeReview(models.TextChoices):
    SUBMITTED = "submitted", _("Inlämnad")
    APPROVED = "approved", _("Godkänd")
    COMPLEMENT_REQUESTED = "complement_requested", _("Komplettering begärd")


class OutcomeReport(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="outcome_reports")
    kind = models.CharField(_("typ av rapport"), max_length=20, choices=OutcomeKind.choices)
    due_on = models.DateField(_("senast"))
    period_start = models.DateField(_("periodens början"))
    period_end = models.DateField(_("periodens slut"))
    activities = models.TextField(_("genomförda aktiviteter"), max_length=10000)
    summary = models.TextField(_("utfall i sammanfattning"), max_length=5000)
    status = models.CharField(_("lägesbedömning"), max_length=20, choices=OutcomeStatus.choices)
    spent = MoneyField(_("använda medel från fonden"))
    co_financing_received = MoneyField(_("medfinansiering som faktiskt betalats in"))
    overspend_explanation = models.TextField(
        _("förklaring till avvikelse i kostnader"), max_length=5000, blank=True
    )
    review = models.CharField(
        _("granskning"), max_length=30, choices=OutcomeReview.choices, default=OutcomeReview.SUBMITTED
    )
    review_comment = models.TextField(_("kommentar från sekretariatet"), max_length=5000, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("granskad"), null=True, blank=True)

    history = HistoricalRecords(table_name="initiatives_historicaloutcomereport")

    class Meta:
        db_table = "initiatives_outcomereport"
        verbose_name = _("utfallsrapport")
        verbose_name_plural = _("utfallsrapporter")
        ordering = ["initiative", "due_on", "submitted_at", "id"]
        indexes = [
            # The reports waiting for the secretariat's review (todo.outcome_reports_to_review), counted
            # in the menu on every page and listed oldest first: a few rows of a table that keeps growing.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(review=OutcomeReview.SUBMITTED),
                name="outcome_report_review_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="outcome_period"
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="outcome_spent_not_negative"),
            models.CheckConstraint(
                condition=Q(co_financing_received__gte=0), name="outcome_cofinancing_not_negative"
            ),
            models.CheckConstraint(condition=Q(kind__in=["progress", "final"]), name="outcome_kind_known"),
            models.CheckConstraint(
                condition=Q(status__in=["on_track", "at_risk", "off_track"]), name="outcome_status_known"
            ),
            models.CheckConstraint(
                condition=Q(review="submitted") | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="outcome_reviewed_has_reviewer",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on.isoformat()}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("outcomes:outcome-detail", args=[self.pk])

    @property
    def review_tag(self) -> str:
        return {
            OutcomeReview.APPROVED: "tag--ok",
            OutcomeReview.COMPLEMENT_REQUESTED: "tag--warn",
        }.get(self.review, "tag--info")


class OutcomeIndicator(models.Model):
    report = models.ForeignKey(OutcomeReport, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=200)
    unit = models.CharField(_("enhet"), max_length=40, blank=True)
    target = models.DecimalField(_("mål"), max_digits=15, decimal_places=2)
    actual = models.DecimalField(_("utfall"), max_digits=15, decimal_places=2)

    history = HistoricalRecords(table_name="initiatives_historicaloutcomeindicator")

    class Meta:
        db_table = "initiatives_outcomeindicator"
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__gte=0, actual__gte=0), name="outcome_indicator_not_negative"
            ),
        ]

    def __str__(self):
        return self.name


class OutcomeAttachment(models.Model):
    report = models.ForeignKey(OutcomeReport, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(_("filtyp"), max_length=120)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    history = HistoricalRecords(table_name="initiatives_historicaloutcomeattachment")

    class Meta:
        db_table = "initiatives_outcomeattachment"
        verbose_name = _("bilaga till utfallsrapport")
        verbose_name_plural = _("bilagor till utfallsrapporter")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class OutcomeReminder(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="outcome_reminders")
    kind = models.CharField(max_length=20, choices=OutcomeKind.choices)
    due_on = models.DateField()
    sent_on = models.DateField()
    recipients = models.TextField(blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "initiatives_outcomereminder"
        verbose_name = _("påminnelse om utfallsrapport")
        verbose_name_plural = _("påminnelser om utfallsrapporter")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "kind", "due_on", "sent_on"], name="outcome_reminder_once_a_day"
            )
        ]

    def __str__(self):
        return f"{self.initiative_id} {self.due_on.isoformat()} {self.sent_on.isoformat()}"
