"""Värmlandsrådet and its working committee: meetings, agendas, consensus positions and signed minutes.

- Body: a body that meets (VRAU, Värmlandsrådet; room for others). Seeded by a data migration. A body
  with `takes_positions` (Värmlandsrådet) takes the council's position on initiatives by consensus; a
  body with `makes_proposals` (VRAU) records its proposal to Värmlandsrådet.
- RulesOfProcedure (arbetsordning): versioned data per body. A new version is a new row; rows are never
  changed once used. Quorum (parties that must take part, default all 17), whether standing aside
  counts as consent, whether positions between meetings (per capsulam) are allowed.
- Meeting: body, time, place; status planned → agenda published → held → minutes signed, moved only by
  the services. Once signed, the minutes are locked: the services refuse, and database triggers refuse
  UPDATE/DELETE on the meeting, its items, attendance, stances, paragraphs and adjusters.
- AgendaItem: ordered; a prepared/proposed initiative or another matter; presenter. Its outcome is
  COMPUTED from the stances and the rules (council/consensus.py), never typed, and stored with the
  rules version it was taken under. An item may be deferred to a later meeting.
- Attendance: one row per party and meeting: present (and by whom) or absent.
- Stance: one row per party and item, recorded once (a unique constraint): supports, stands aside,
  objects (a reason is required, also by a CHECK constraint) or conflict of interest (jäv: the party
  does not take part).
- Proposal: VRAU's proposal to Värmlandsrådet on an initiative, with its own proposed amount.
- Position: Värmlandsrådet's position on an initiative (consensus or not), the supported amount, the
  rules version and when it was taken. Append-only (a trigger refuses UPDATE/DELETE). Region Värmland's
  formal decision (the ledger) refers to `Position.objects.consensus()`.
- Paragraph: the minutes' paragraphs, numbered through the year per body (§ 1, § 2 …), gapless via a
  locked counter row (ParagraphCounter). A correction is a new paragraph at a later meeting that
  refers to the paragraph it corrects.
- MinutesAdjuster (justerare): chosen when the meeting is closed; each signs in the app; when all have
  signed, the minutes are locked.
- Agreement / AgreementAdoption: the agreement itself, each party's fullmäktige adoption, and its end.

Only the secretariat writes (through services.py); chosen adjusters sign; everyone logged-in reads held
meetings' minutes; council representatives also see Värmlandsrådet's coming meetings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.money import MoneyField
from people.permissions import reads_everything
from people.roles import Role


class Body(models.Model):
    name = models.CharField(_("namn"), max_length=100, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=20, unique=True)
    slug = models.SlugField(_("kod"), max_length=40, unique=True)
    takes_positions = models.BooleanField(_("tar ställning med konsensus"), default=False)
    makes_proposals = models.BooleanField(_("lämnar förslag till Värmlandsrådet"), default=False)
    is_active = models.BooleanField(_("aktivt"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organ")
        ordering = ["-takes_positions", "name"]

    def __str__(self):
        return self.name


class RulesOfProcedure(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="rules", verbose_name=_("organ"))
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("gäller från"))
    quorum = models.PositiveSmallIntegerField(
        _("beslutförhet (antal parter)"),
        default=17,
        help_text=_("Hur många parter som måste delta för att ett ställningstagande ska kunna tas."),
    )
    stand_aside_is_consent = models.BooleanField(_("avstående räknas som medgivande"), default=True)
    per_capsulam_allowed = models.BooleanField(_("ställningstagande per capsulam tillåtet"), default=False)
    note = models.TextField(_("anteckning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("arbetsordning")
        verbose_name_plural = _("arbetsordningar")
        ordering = ["body", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["body", "version"], name="council_rules_version_unique"),
            models.CheckConstraint(
                condition=Q(quorum__gte=1, quorum__lte=17), name="council_rules_quorum_range"
            ),
        ]

    def __str__(self):
        return f"{self.body.short_name} arbetsordning v{self.version}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    AGENDA_PUBLISHED = "agenda_published", _("Kallelse utskickad")
    HELD = "held", _("Genomfört")
    MINUTES_SIGNED = "minutes_signed", _("Protokoll justerat")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers see every meeting; council representatives also Värmlandsrådet's coming ones;
        everyone else logged-in sees held meetings (their minutes are a public record)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        held = Q(status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_SIGNED])
        if user.has_role(Role.COUNCIL_REPRESENTATIVE):
            return self.filter(held | Q(body__takes_positions=True))
        return self.filter(held)


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ"))
    starts_at = models.DateTimeField(_("datum och tid"))
    place = models.CharField(_("plats"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    chair = models.CharField(_("ordförande"), max_length=150, blank=True)
    secretary = models.CharField(_("sekreterare"), max_length=150, blank=True)
    signed_at = models.DateTimeField(_("justerat"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapat av")
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="council_meeting_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.MINUTES_SIGNED) | Q(signed_at__isnull=False),
                name="council_meeting_signed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.body.short_name} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("council:meeting-detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.MINUTES_SIGNED

    @property
    def is_held(self) -> bool:
        return self.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_SIGNED)


class Outcome(models.TextChoices):
    CONSENSUS = "consensus", _("Konsensus")
    NO_CONSENSUS = "no_consensus", _("Ingen konsensus")
    NOT_DECIDABLE = "not_decidable", _("Ej beslutbart (ej beslutfört)")
    DEFERRED = "deferred", _("Bordlagt")
    PROPOSED = "proposed", _("Förslag till Värmlandsrådet")
    NOTED = "noted", _("Noterat")


class BlockResolution(models.TextChoices):
    BACK_TO_PREPARATION = "back_to_preparation", _("Åter till beredning")
    CLOSE = "close", _("Avslutas (ej tillstyrkt)")


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("Initiativ")
        OTHER = "other", _("Övrigt ärende")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items", verbose_name=_("sammanträde")
    )
    order = models.PositiveSmallIntegerField(_("ordning"))
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("initiativ"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    presenter = models.CharField(_("föredragande"), max_length=150, blank=True)
    deferred_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bordlagt från"),
    )
    corrects = models.ForeignKey(
        "Paragraph",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("rättar paragraf"),
    )

    # The outcome: computed by council.consensus from the stances and the rules, stored when decided.
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_detail = models.CharField(_("utfallets förklaring"), max_length=500, blank=True)
    statement = models.TextField(_("beslutstext"), blank=True, max_length=4000)
    rules = models.ForeignKey(
        RulesOfProcedure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("arbetsordning"),
    )
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="council_item_order_unique"),
            models.CheckConstraint(
                condition=Q(kind="initiative", initiative__isnull=False)
                | Q(kind="other", initiative__isnull=True),
                name="council_item_kind_matches_initiative",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values), name="council_item_outcome_known"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_decided(self) -> bool:
        return bool(self.outcome)


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("sammanträde")
    )
    party = models.ForeignKey(
        "people.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    present = models.BooleanField(_("närvarande"))
    represented_by = models.CharField(_("företrädd av"), max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "party"], name="council_attendance_once"),
            models.CheckConstraint(
                condition=Q(present=False) | ~Q(represented_by=""),
                name="council_attendance_present_names_who",
            ),
        ]

    def __str__(self):
        return f"{self.party}: {'närvarande' if self.present else 'frånvarande'}"


class StanceKind(models.TextChoices):
    SUPPORTS = "supports", _("Står bakom")
    STANDS_ASIDE = "stands_aside", _("Avstår")
    OBJECTS = "objects", _("Motsätter sig")
    CONFLICT_OF_INTEREST = "conflict", _("Jäv (deltar inte)")


class Stance(models.Model):
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="stances", verbose_name=_("ärende")
    )
    party = models.ForeignKey(
        "people.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    kind = models.CharField(_("ställningstagande"), max_length=20, choices=StanceKind.choices)
    reason = models.TextField(_("motivering"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partens ställningstagande")
        verbose_name_plural = _("parternas ställningstaganden")
        constraints = [
            models.UniqueConstraint(fields=["item", "party"], name="council_stance_once_per_party"),
            models.CheckConstraint(condition=Q(kind__in=StanceKind.values), name="council_stance_kind_known"),
            models.CheckConstraint(
                condition=~Q(kind=StanceKind.OBJECTS) | ~Q(reason=""), name="council_objection_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.party}: {self.get_kind_display()}"


class Proposal(models.Model):
    """VRAU's proposal to Värmlandsrådet: the initiative moves PREPARED → PROPOSED."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="proposal", verbose_name=_("ärende")
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="council_proposals"
    )
    proposed_amount = MoneyField(_("föreslaget belopp"))
    text = models.TextField(_("förslag"), max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förslag till Värmlandsrådet")
        verbose_name_plural = _("förslag till Värmlandsrådet")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_amount__gt=0), name="council_proposal_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.initiative}: {self.proposed_amount}"


class PositionQuerySet(models.QuerySet):
    def consensus(self):
        return self.filter(outcome=Outcome.CONSENSUS)


class Position(models.Model):
    """Värmlandsrådet's position on an initiative. Append-only: the database refuses UPDATE/DELETE."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="council_positions"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="positions")
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="position")
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    supported_amount = MoneyField(_("tillstyrkt belopp"), null=True, blank=True)
    resolution = models.CharField(
        _("vid blockering"), max_length=30, choices=BlockResolution.choices, blank=True
    )
    reason = models.TextField(_("skäl"), blank=True)
    rules = models.ForeignKey(RulesOfProcedure, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taget"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PositionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ställningstagande")
        verbose_name_plural = _("ställningstaganden")
        ordering = ["-taken_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="consensus", supported_amount__gt=0)
                | (Q(outcome="no_consensus", supported_amount__isnull=True) & ~Q(resolution="")),
                name="council_position_consensus_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.initiative}: {self.get_outcome_display()}"


class ParagraphCounter(models.Model):
    """The last paragraph number per body and year; locked FOR UPDATE while numbering (gapless)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="council_counter_once")]

    def __str__(self):
        return f"{self.body_id}/{self.year}: {self.last_number}"


class Paragraph(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="paragraphs")
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="paragraph")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("protokollstext"), max_length=8000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="council_paragraph_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="council_paragraph_number_positive"),
        ]

    def __str__(self):
        return f"§ {self.number}"


class MinutesAdjuster(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="adjusters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("justerat"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="council_adjuster_once")]

    def __str__(self):
        return str(self.user)


class Agreement(models.Model):
    """The agreement on the common resources (one row, seeded). In force once all 17 parties have
    adopted it, from `use_starts_on`; ended when the cooperation agreement ends or the fund is consumed."""

    class EndReason(models.TextChoices):
        COOPERATION_ENDED = "cooperation_ended", _("Samverkansavtalet har upphört")
        FUND_CONSUMED = "fund_consumed", _("Resurserna är förbrukade")
        TERMINATED = "terminated", _("Avtalet har sagts upp")

    title = models.CharField(_("avtal"), max_length=200)
    use_starts_on = models.DateField(_("användning från"))
    ended_on = models.DateField(_("upphörde"), null=True, blank=True)
    end_reason = models.CharField(_("skäl"), max_length=30, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("anteckning"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avtal")
        verbose_name_plural = _("avtal")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="council_agreement_end_complete",
            ),
        ]

    def __str__(self):
        return self.title


class AgreementAdoption(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="adoptions")
    party = models.ForeignKey(
        "people.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    adopted_on = models.DateField(_("antaget av fullmäktige"))
    reference = models.CharField(_("beslutsreferens"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("antagande")
        verbose_name_plural = _("antaganden")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="council_adoption_once_per_party"),
        ]

    def __str__(self):
        return f"{self.party}: {self.adopted_on}"
