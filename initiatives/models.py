"""Initiatives (satsningar) submitted by the 17 parties, and the path each one takes.

- Initiative: one proposal from a party. Its `status` moves only through `initiative_transition` in
  services.py, along the table TRANSITIONS below — the one place that says which step may follow which.
  The later apps move it on through the same function: the council (proposed, supported, not
  supported, back to preparation), the ledger (decided) and outcome reporting (completed).
- A registration number (diarienummer, "DGR 2026/0007") is issued at first submission: per year,
  gapless, never reused.
- Drafts are seen only by their own party; everything submitted is a public record for every
  logged-in user. Nothing is deleted: an initiative is withdrawn or closed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.permissions import reads_everything


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Under beredning")
    COMPLEMENT_REQUESTED = "complement_requested", _("Komplettering begärd")
    PREPARED = "prepared", _("Berett")
    NOT_ELIGIBLE = "not_eligible", _("Ej stödberättigat")
    PROPOSED = "proposed", _("Föreslaget till Värmlandsrådet")
    SUPPORTED = "supported", _("Tillstyrkt av Värmlandsrådet")
    NOT_SUPPORTED = "not_supported", _("Ej tillstyrkt")
    DECIDED = "decided", _("Beviljat av Region Värmland")
    COMPLETED = "completed", _("Avslutat")
    WITHDRAWN = "withdrawn", _("Återkallat")


# Which status may follow which. Any stage can end the initiative (not eligible, not supported,
# withdrawn); a party may withdraw only until Värmlandsrådet has taken its position.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset(
        {Status.COMPLEMENT_REQUESTED, Status.PREPARED, Status.NOT_ELIGIBLE, Status.WITHDRAWN}
    ),
    Status.COMPLEMENT_REQUESTED: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    # VRAU records its proposal to Värmlandsrådet (council app); the secretariat may reopen preparation.
    Status.PREPARED: frozenset({Status.PROPOSED, Status.SUBMITTED, Status.WITHDRAWN}),
    # Värmlandsrådet's position (council app): consensus to support or not, or a block that sends the
    # initiative back to preparation.
    Status.PROPOSED: frozenset({Status.SUPPORTED, Status.NOT_SUPPORTED, Status.SUBMITTED, Status.WITHDRAWN}),
    # Region Värmland's formal decision under its delegation (accounting app).
    Status.SUPPORTED: frozenset({Status.DECIDED, Status.NOT_SUPPORTED}),
    # The final outcome report approved (outcome reporting).
    Status.DECIDED: frozenset({Status.COMPLETED}),
    Status.NOT_ELIGIBLE: frozenset(),
    Status.NOT_SUPPORTED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

CLOSED_STATUSES = frozenset({Status.NOT_ELIGIBLE, Status.NOT_SUPPORTED, Status.COMPLETED, Status.WITHDRAWN})


class InitiativeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What `user` may see: their own party's drafts, and everything submitted."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        submitted = ~Q(status=Status.DRAFT)
        if user.party_id is None or reads_everything(user):
            # Readers see every submitted initiative, never another party's unsent draft.
            own_drafts = Q(status=Status.DRAFT, party_id=user.party_id) if user.party_id else Q(pk__in=[])
            return self.filter(submitted | own_drafts)
        return self.filter(submitted | Q(party_id=user.party_id))

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)


class Initiative(models.Model):
    party = models.ForeignKey(
        "people.Party",
        verbose_name=_("initierande part"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("sammanfattning"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.DRAFT)

    registration_year = models.PositiveSmallIntegerField(_("diarieår"), null=True, blank=True, editable=False)
    registration_serial = models.PositiveIntegerField(_("löpnummer"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True, editable=False)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("initiativ")
        verbose_name_plural = _("initiativ")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_year", "registration_serial"],
                name="initiative_registration_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(registration_year__isnull=True, registration_serial__isnull=True)
                | Q(registration_year__isnull=False, registration_serial__isnull=False),
                name="initiative_registration_number_complete",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | Q(registration_serial__isnull=False)
                | Q(status=Status.WITHDRAWN),
                name="initiative_submitted_has_registration_number",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="initiative_status_known"),
        ]

    def __str__(self):
        return f"{self.registration_number} {self.title}" if self.registration_number else self.title

    @property
    def registration_number(self) -> str:
        """'DGR 2026/0007' once submitted, '' for a draft."""
        if self.registration_serial is None:
            return ""
        return f"DGR {self.registration_year}/{self.registration_serial:04d}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES
