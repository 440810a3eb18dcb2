"""Initiatives (satsningar) submitted by the 17 parties, and the path each one takes.

- Initiative: one proposal from a party. Its `status` moves only through `initiative_transition` in
  services.py, along the table TRANSITIONS below — the one place that says which step may follow which.
  The later apps move it on through the same function: the council (proposed, supported, not
  supported, back to preparation), the ledger (decided) and outcome reporting (completed).
- A registration number (diarienummer, "DGR 2026/0007") is issued at first submission: per year,
  gapless, never reused.
- Drafts are seen only by their own party; everything submitted is a public record for every
  logged-in user. Nothing is deleted: an initiative is withdrawn or closed.
- ActionArea: Värmlandsstrategin's action areas (reference data seeded by migration, edited by
  administrators, deactivated rather than deleted). AreaAlignment: an initiative's claim to serve one
  area, with its motivation (unique per initiative and area).
- BudgetYear (total cost and the amount requested from the fund, per year; requested <= total) and
  CoFinancing (per year, source and funder, with its state) — amounts positive, checked by the database.
  Both are edited only while the party may edit the initiative (draft, complement requested).
- Attachment: an uploaded file, checked by content, stored under a generated name, downloaded only
  through a view that checks visibility. Removed attachments are kept (removed_at), never deleted.
- RegistrationCounter: one row per year; submission locks it FOR UPDATE and takes the next serial in
  the same transaction, so numbers are gapless and never reused.
- Revision: the frozen content of each (re)submission, numbered per initiative; compared in the UI.
- Preparation: the secretariat's eligibility checklist, assessment and proposed position (support
  with a proposed amount, or not) — what the council app reads when it puts the initiative on an agenda.
- Message: the thread between the party and the secretariat (complement requests land there too).
- ChangeRequest (ändringsbegäran): a change the party asks for after Region Värmland's decision — a longer
  period, money moved between years, a smaller scope, more money — with only its kind's values filled
  (CHECK), numbered per initiative (unique), its status moved only by initiatives/changes.py along
  CHANGE_TRANSITIONS. Its decision trail lives in the later apps and points here: council agenda items and
  positions (more money), the ledger's decisions (each change).
"""

import re
import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import MoneyField
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
    # Ended early by Region Värmland after its decision (issue 13: 3): its unused reservation is released
    # and what was paid out may be recovered (accounting.RecoveryClaim).
    TERMINATED = "terminated", _("Avbrutet")


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
    # The final outcome report approved (outcome reporting), or ended early by Region Värmland's
    # finance (accounting.services.initiative_terminate).
    Status.DECIDED: frozenset({Status.COMPLETED, Status.TERMINATED}),
    Status.NOT_ELIGIBLE: frozenset(),
    Status.NOT_SUPPORTED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.TERMINATED: frozenset(),
}

# A meeting's recording annulled before its minutes are closed (council app): the initiative goes back to
# where the meeting found it — prepared at VRAU, proposed at Värmlandsrådet. Only from the statuses a
# recording leads to; an initiative Region Värmland has decided on is past any annulment.
ANNULMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PROPOSED: frozenset({Status.PREPARED}),
    Status.SUPPORTED: frozenset({Status.PROPOSED}),
    Status.NOT_SUPPORTED: frozenset({Status.PREPARED, Status.PROPOSED}),
    Status.SUBMITTED: frozenset({Status.PREPARED, Status.PROPOSED}),
}

CLOSED_STATUSES = frozenset(
    {Status.NOT_ELIGIBLE, Status.NOT_SUPPORTED, Status.COMPLETED, Status.WITHDRAWN, Status.TERMINATED}
)

# Statuses in which money has been decided for the initiative: its money is shown, and what was paid may
# be claimed back.
FUNDED_STATUSES = frozenset({Status.DECIDED, Status.COMPLETED, Status.TERMINATED})


# Statuses in which the party may still change the content (the complement loop reopens it).
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.COMPLEMENT_REQUESTED})

# The search document: Swedish stemming ('swedish' text search configuration, in every PostgreSQL).
SEARCH_CONFIG = "swedish"
SEARCH_FIELDS = ("title", "summary", "description")


def search_vector() -> SearchVector:
    return SearchVector(*SEARCH_FIELDS, config=SEARCH_CONFIG)


class Kind(models.TextChoices):
    PROJECT = "project", _("Projekt")
    OPERATION = "operation", _("Verksamhet")
    INVESTMENT = "investment", _("Investering")


class ActionArea(models.Model):
    name = models.CharField(_("namn"), max_length=120, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    is_active = models.BooleanField(_("aktivt"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("insatsområde")
        verbose_name_plural = _("insatsområden (Värmlandsstrategin)")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


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

    def with_registration_number(self, text: str):
        """The initiative that has this registration number (typed as 'DGR 2026/0007', '2026/7' …)."""
        year, serial = parse_registration_number(text) or (None, None)
        if year is None:
            return self.none()
        return self.filter(registration_year=year, registration_serial=serial)


_REGISTRATION_NUMBER = re.compile(r"^\s*(?:DGR\s*)?(\d{4})\s*/\s*(\d{1,6})\s*$", re.IGNORECASE)


def parse_registration_number(text: str) -> tuple[int, int] | None:
    """'DGR 2026/0007' -> (2026, 7); the prefix and leading zeros may be left out. None if not a number."""
    match = _REGISTRATION_NUMBER.match(text or "")
    if not match or int(match.group(2)) == 0:
        return None
    return int(match.group(1)), int(match.group(2))


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

    description = models.TextField(_("beskrivning"), max_length=20000, blank=True)
    kind = models.CharField(_("typ av satsning"), max_length=20, choices=Kind.choices, blank=True)
    co_parties = models.ManyToManyField(
        "people.Party", verbose_name=_("medverkande parter"), blank=True, related_name="co_sponsored"
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=150, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    whole_varmland_motivation = models.TextField(
        _("betydelse för hela Värmland"),
        max_length=5000,
        blank=True,
        help_text=_(
            "Varför satsningen har betydelse för hela Värmland och varför ingen enskild part kan göra den."
        ),
    )
    transport_plan = models.BooleanField(_("utgår från Trafikförsörjningsprogrammet"), default=False)
    transport_plan_motivation = models.TextField(
        _("motivering, Trafikförsörjningsprogrammet"), max_length=5000, blank=True
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    # A new token each time the content is handed in: a resent or double-clicked submit form carries
    # the old one and is recognised as a repeat (see services.initiative_submit).
    submission_token = models.UUIDField(default=uuid.uuid4, editable=False)
    # The search document, kept by PostgreSQL itself (a stored generated column with a GIN index):
    # ranking then reads it instead of stemming every description again on each search.
    search_document = models.GeneratedField(
        expression=search_vector(), output_field=SearchVectorField(), db_persist=True, editable=False
    )

    registration_year = models.PositiveSmallIntegerField(_("diarieår"), null=True, blank=True, editable=False)
    registration_serial = models.PositiveIntegerField(_("löpnummer"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True, editable=False)
    # Early termination (Status.TERMINATED): Region Värmland's decision, written in the same save (and
    # history row) as the status by accounting.services.initiative_terminate.
    terminated_on = models.DateField(_("avbrutet den"), null=True, blank=True, editable=False)
    termination_reason = models.TextField(_("skäl för avbrott"), max_length=2000, blank=True, editable=False)
    termination_reference = models.CharField(
        _("beslut om avbrott"), max_length=100, blank=True, editable=False
    )

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[co_parties], excluded_fields=["search_document"])

    class Meta:
        verbose_name = _("initiativ")
        verbose_name_plural = _("initiativ")
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["search_document"], name="initiative_search_document"),
            models.Index(fields=["status", "-created_at"], name="initiative_status_created"),
            # The secretariat's queue on the start page (todo.initiatives_to_prepare): the oldest
            # submissions waiting, read straight from this index in order (the id breaks ties, so it is
            # in the index too), never a scan and sort of the whole table.
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=[Status.SUBMITTED, Status.COMPLEMENT_REQUESTED]),
                name="initiative_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="initiative_period_in_order",
            ),
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
            models.CheckConstraint(
                condition=~Q(status=Status.TERMINATED)
                | (Q(terminated_on__isnull=False) & ~Q(termination_reason="")),
                name="initiative_terminated_has_date_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.registration_number} {self.title}" if self.registration_number else self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("initiatives:initiative-detail", args=[self.pk])

    @property
    def registration_number(self) -> str:
        """'DGR 2026/0007' once submitted, '' for a draft."""
        if self.registration_serial is None:
            return ""
        return f"DGR {self.registration_year}/{self.registration_serial:04d}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    # Labels through the enums: Django's get_FOO_display() rebuilds a hashable copy of every choice on
    # each call, which showed in the bench on pages listing many rows.
    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def status_tag(self) -> str:
        """The CSS modifier that colours the status tag."""
        if self.status in (Status.SUPPORTED, Status.DECIDED, Status.COMPLETED, Status.PREPARED):
            return "tag--ok"
        if self.status in (Status.COMPLEMENT_REQUESTED, Status.DRAFT):
            return "tag--warn"
        if self.status in (Status.NOT_ELIGIBLE, Status.NOT_SUPPORTED, Status.WITHDRAWN, Status.TERMINATED):
            return "tag--error"
        return "tag--info"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def period_years(self) -> range | None:
        if self.start_date is None or self.end_date is None:
            return None
        return range(self.start_date.year, self.end_date.year + 1)


class AreaAlignment(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="alignments")
    action_area = models.ForeignKey(
        ActionArea, verbose_name=_("insatsområde"), on_delete=models.PROTECT, related_name="alignments"
    )
    motivation = models.TextField(_("motivering"), max_length=5000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("koppling till insatsområde")
        verbose_name_plural = _("kopplingar till insatsområden")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "action_area"], name="alignment_unique_area"),
        ]

    def __str__(self):
        return str(self.action_area)


class BudgetYear(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budget_years")
    year = models.PositiveSmallIntegerField(_("år"))
    total_cost = MoneyField(_("total kostnad"))
    requested_amount = MoneyField(_("sökt belopp ur DGR"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budgetår")
        verbose_name_plural = _("budget per år")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="budget_year_unique"),
            models.CheckConstraint(condition=Q(total_cost__gt=0), name="budget_total_positive"),
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="budget_requested_positive"),
            models.CheckConstraint(
                condition=Q(requested_amount__lte=models.F("total_cost")),
                name="budget_requested_within_total",
            ),
        ]

    def __str__(self):
        return str(self.year)


class CoFinancing(models.Model):
    class Source(models.TextChoices):
        REGION = "region", _("Region Värmland")
        MUNICIPALITY = "municipality", _("Kommuner")
        STATE = "state", _("Staten")
        EU = "eu", _("EU")
        BUSINESS = "business", _("Näringslivet")
        OTHER = "other", _("Annan")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        APPLIED = "applied", _("Sökt")
        GRANTED = "granted", _("Beviljad")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="co_financing")
    year = models.PositiveSmallIntegerField(_("år"))
    source = models.CharField(_("källa"), max_length=20, choices=Source.choices)
    funder = models.CharField(_("finansiär"), max_length=200)
    state = models.CharField(_("läge"), max_length=20, choices=State.choices, default=State.PLANNED)
    amount = MoneyField(_("belopp"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medfinansiering")
        verbose_name_plural = _("medfinansiering")
        ordering = ["year", "source", "funder"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cofinancing_amount_positive"),
        ]

    def __str__(self):
        return f"{self.year} {self.funder}"

    @property
    def source_label(self) -> str:
        return self.Source(self.source).label

    @property
    def state_label(self) -> str:
        return self.State(self.state).label


def attachment_path(instance, filename: str) -> str:
    # A generated name: the uploader's file name is kept only as data, never as a path.
    return f"initiatives/{uuid.uuid4().hex}"


class Attachment(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(_("filtyp"), max_length=120)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    removed_at = models.DateTimeField(_("borttagen"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class RegistrationCounter(models.Model):
    """The last registration serial issued per year. Not in the audit trail: the numbers are."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("diarieräknare")
        verbose_name_plural = _("diarieräknare")

    def __str__(self):
        return f"{self.year}: {self.last_serial}"


class Revision(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("inlämnad"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(_("innehåll"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inlämnad version")
        verbose_name_plural = _("inlämnade versioner")
        ordering = ["initiative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return f"{self.initiative_id} v{self.number}"


class Preparation(models.Model):
    class Position(models.TextChoices):
        SUPPORT = "support", _("Tillstyrk")
        NOT_SUPPORT = "not_support", _("Avstyrk")

    initiative = models.OneToOneField(Initiative, on_delete=models.PROTECT, related_name="preparation")
    # The eligibility checklist, following the agreement.
    check_whole_varmland = models.BooleanField(_("Har betydelse för hela Värmland"), default=False)
    check_not_single_party = models.BooleanField(
        _("Kan inte hanteras av en enskild kommun eller regionen"), default=False
    )
    check_alignment = models.BooleanField(
        _("Utgår från Värmlandsstrategin eller Trafikförsörjningsprogrammet"), default=False
    )
    check_cofinancing_noted = models.BooleanField(_("Medfinansiering är noterad"), default=False)
    check_complete = models.BooleanField(_("Ansökan är komplett"), default=False)
    assessment = models.TextField(_("bedömning"), max_length=10000, blank=True)
    proposed_position = models.CharField(
        _("förslag till ställningstagande"), max_length=20, choices=Position.choices, blank=True
    )
    proposed_amount = MoneyField(_("föreslaget belopp"), null=True, blank=True)
    not_eligible_reason = models.TextField(_("skäl till att initiativet inte är stödberättigat"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    prepared_at = models.DateTimeField(_("berett"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beredning")
        verbose_name_plural = _("beredningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gt=0),
                name="preparation_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(proposed_position="support") | Q(proposed_amount__isnull=False),
                name="preparation_support_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.initiative_id}"

    @property
    def checklist_complete(self) -> bool:
        return all(
            (
                self.check_whole_varmland,
                self.check_not_single_party,
                self.check_alignment,
                self.check_cofinancing_noted,
                self.check_complete,
            )
        )


class ChangeKind(models.TextChoices):
    EXTENDED_PERIOD = "extended_period", _("Förlängd period")
    MOVE_BETWEEN_YEARS = "move_between_years", _("Pengar flyttas mellan år")
    REDUCED_SCOPE = "reduced_scope", _("Minskad omfattning")
    ADDITIONAL_FUNDING = "additional_funding", _("Utökad finansiering")


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Inlämnad")
    PROPOSED = "proposed", _("Föreslagen till Värmlandsrådet")
    SUPPORTED = "supported", _("Tillstyrkt av Värmlandsrådet")
    NOT_SUPPORTED = "not_supported", _("Ej tillstyrkt")
    APPROVED = "approved", _("Beviljad av Region Värmland")
    REJECTED = "rejected", _("Avslagen")
    WITHDRAWN = "withdrawn", _("Återkallad")


# The path of a change request (ändringsbegäran). A change within the frame Värmlandsrådet supported
# (period, years, less money) is decided by Region Värmland alone; more money needs a new consensus
# position first, like the initiative itself: VRAU proposes, Värmlandsrådet takes its position.
CHANGE_TRANSITIONS: dict[str, frozenset[str]] = {
    ChangeStatus.SUBMITTED: frozenset(
        {ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.PROPOSED, ChangeStatus.WITHDRAWN}
    ),
    ChangeStatus.PROPOSED: frozenset(
        {ChangeStatus.SUPPORTED, ChangeStatus.NOT_SUPPORTED, ChangeStatus.SUBMITTED, ChangeStatus.WITHDRAWN}
    ),
    ChangeStatus.SUPPORTED: frozenset({ChangeStatus.APPROVED, ChangeStatus.REJECTED}),
    ChangeStatus.NOT_SUPPORTED: frozenset(),
    ChangeStatus.APPROVED: frozenset(),
    ChangeStatus.REJECTED: frozenset(),
    ChangeStatus.WITHDRAWN: frozenset(),
}

# A meeting's recording annulled (council app): the change request back where the meeting found it.
CHANGE_ANNULMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    ChangeStatus.PROPOSED: frozenset({ChangeStatus.SUBMITTED}),
    ChangeStatus.SUPPORTED: frozenset({ChangeStatus.PROPOSED}),
    ChangeStatus.NOT_SUPPORTED: frozenset({ChangeStatus.PROPOSED}),
    ChangeStatus.SUBMITTED: frozenset({ChangeStatus.PROPOSED}),
}

CHANGE_CLOSED_STATUSES = frozenset(
    {ChangeStatus.NOT_SUPPORTED, ChangeStatus.APPROVED, ChangeStatus.REJECTED, ChangeStatus.WITHDRAWN}
)


class ChangeRequest(models.Model):
    """A change asked for after Region Värmland's decision (ändringsbegäran), with its own decision trail:
    the ledger's Decision rows point to it (`decisions`), and for more money the council's agenda items and
    positions too (`agenda_items`, `council_positions`). Only the fields of its kind are filled (CHECK)."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="change_requests", verbose_name=_("initiativ")
    )
    number = models.PositiveSmallIntegerField(_("nummer"), editable=False)
    kind = models.CharField(_("typ av ändring"), max_length=30, choices=ChangeKind.choices)
    reason = models.TextField(_("skäl till ändringen"), max_length=5000)
    new_end_date = models.DateField(_("nytt slutdatum"), null=True, blank=True)
    from_year = models.PositiveSmallIntegerField(_("flyttas från år"), null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(_("flyttas till år"), null=True, blank=True)
    amount = MoneyField(_("belopp"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inlämnad av")
    )
    submitted_at = models.DateTimeField(_("inlämnad"), auto_now_add=True)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ändringsbegäran")
        verbose_name_plural = _("ändringsbegäranden")
        ordering = ["initiative", "number"]
        indexes = [
            models.Index(
                fields=["submitted_at", "id"],
                condition=Q(status__in=["submitted", "supported"]),
                name="change_request_queue",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="change_request_number_unique"),
            models.CheckConstraint(condition=Q(status__in=ChangeStatus.values), name="change_status_known"),
            models.CheckConstraint(
                condition=Q(
                    kind="extended_period",
                    new_end_date__isnull=False,
                    amount__isnull=True,
                    from_year__isnull=True,
                    to_year__isnull=True,
                )
                | Q(
                    kind="move_between_years",
                    new_end_date__isnull=True,
                    amount__gt=0,
                    from_year__isnull=False,
                    to_year__isnull=False,
                )
                & ~Q(from_year=models.F("to_year"))
                | Q(
                    kind__in=["reduced_scope", "additional_funding"],
                    new_end_date__isnull=True,
                    amount__gt=0,
                    from_year__isnull=True,
                    to_year__isnull=True,
                ),
                name="change_fields_match_kind",
            ),
        ]

    def __str__(self):
        return _("Ändringsbegäran %(number)s: %(kind)s") % {"number": self.number, "kind": self.kind_label}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("initiatives:change-request-detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return ChangeKind(self.kind).label

    @property
    def status_label(self) -> str:
        return ChangeStatus(self.status).label

    @property
    def status_tag(self) -> str:
        if self.status == ChangeStatus.APPROVED or self.status == ChangeStatus.SUPPORTED:
            return "tag--ok"
        if self.status in (ChangeStatus.REJECTED, ChangeStatus.NOT_SUPPORTED, ChangeStatus.WITHDRAWN):
            return "tag--error"
        return "tag--info"

    @property
    def is_closed(self) -> bool:
        return self.status in CHANGE_CLOSED_STATUSES

    @property
    def needs_council(self) -> bool:
        """More money needs a new consensus position of Värmlandsrådet before Region Värmland decides."""
        return self.kind == ChangeKind.ADDITIONAL_FUNDING

    @property
    def agenda_title(self) -> str:
        """How the change request stands on a council agenda."""
        title = _("Ändringsbegäran: %(kind)s – %(initiative)s") % {
            "kind": self.kind_label.lower(),
            "initiative": self.initiative,
        }
        return title[:200]  # an agenda item's title


class Message(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("Meddelande")
        COMPLEMENT_REQUEST = "complement_request", _("Begäran om komplettering")
        NOT_ELIGIBLE = "not_eligible", _("Ej stödberättigat")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices, default=Kind.MESSAGE)
    body = models.TextField(_("meddelande"), max_length=10000)
    created_at = models.DateTimeField(_("skickat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.initiative_id}: {self.body[:40]}"
