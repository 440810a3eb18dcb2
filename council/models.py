"""Värmlandsrådet and its working committee: meetings, agendas, consensus positions and signed minutes.

- Body: a body that meets (VRAU, Värmlandsrådet; room for others). Seeded by a data migration. A body
  with `takes_positions` (Värmlandsrådet) takes the council's position on initiatives by consensus; a
  body with `makes_proposals` (VRAU) records its proposal to Värmlandsrådet.
- RulesOfProcedure (arbetsordning): versioned data per body. A new version is a new row; rows are never
  changed once used. Quorum (parties that must take part, default all 17), whether standing aside
  counts as consent, whether positions between meetings (per capsulam) are allowed.
- Meeting: body, time, place; status planned → agenda published → held → minutes signed, moved only by
  the services. Once signed, the minutes are locked: the services refuse, and database triggers refuse
  UPDATE/DELETE on the meeting, its items, attendance, stances, paragraphs and adjusters, and INSERT of
  items, attendance, stances, positions, paragraphs and adjusters into signed minutes. The one exception
  is a meeting the import created (`imported`): it stands for minutes signed on paper before DGR, and the
  import adds that day's positions to it, one paragraph at a time. Minutes signed in DGR never grow.
- AgendaItem: ordered; a prepared/proposed initiative or another matter; presenter. Its outcome is
  COMPUTED from the stances and the rules (council/consensus.py), never typed, and stored with the
  rules version it was taken under. An item may be deferred to a later meeting.
- Attendance: one row per party and meeting: present (and by whom) or absent.
- Stance: one row per party and item, recorded once (a unique constraint): supports, stands aside,
  objects (a reason is required, also by a CHECK constraint) or conflict of interest (jäv: the party
  does not take part).
- Proposal: VRAU's proposal to Värmlandsrådet on an initiative: support, with its own proposed amount,
  or rejection, without one (a CHECK ties the amount to the recommendation).
- Recusal: a person (not a party) who declared jäv in an item and did not take part; in the minutes.
- An information item (anmälningsärende) is noted, "läggs till handlingarna", without stances.
- Position: Värmlandsrådet's position on an initiative (consensus or not), the supported amount, the
  rules version and when it was taken; or on a change request asking for more money (`change_request`,
  which its agenda item names too). Append-only (a trigger refuses UPDATE/DELETE). Region Värmland's
  formal decision (the ledger) refers to `Position.objects.consensus()`.
- Paragraph: the minutes' paragraphs, numbered through the year per body (§ 1, § 2 …), gapless via a
  locked counter row (ParagraphCounter). A correction is a new paragraph at a later meeting that
  refers to the paragraph it corrects.
- MinutesAdjuster: who signs the minutes: the chair (ordförande, at most one) and the adjusters
  (justerare), chosen when the meeting opens and numbered as its first paragraphs (Paragraph.opening);
  each signs in the app for themself; when all have signed, the minutes are locked.
- Protocol integrity (council/protocol.py, council/minutes.py): attendance is fixed once the first item
  is recorded, until the secretariat reopens it with a reason (kept in the meeting's history); until the
  meeting is closed a wrong recording can be annulled (kept, marked annulled, no paragraph) and the item
  recorded again; a paragraph's decision text is derived from the outcome, free words are an addition.
- Agreement / AgreementAdoption: the agreement itself, each party's fullmäktige adoption, and its end.
- Membership: a person's seat in a body for a party, ordinary member or substitute, for a term of office
  (history kept; ended, never deleted; a person's terms in one body never overlap — the service refuses).
  Members get the notices, see their body's meetings and documents, enter their party's stance in
  advance where the meeting allows it (council/membership.py, council/stances.py).
- NoticeMailing: each sending of a meeting's notice (calendar invitation, update or cancellation) to its
  members, once per calendar SEQUENCE (council/notices.py). A meeting may be cancelled before it is held.

Only the secretariat writes (through services.py); chosen adjusters sign; everyone logged-in reads held
meetings' minutes; council representatives also see Värmlandsrådet's coming meetings.
- SealedCopy: the one sealed PDF of signed minutes or of an excerpt, made by the worker when the minutes
  are locked; never changed (the app role may only add rows), unique per meeting and paragraph.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dbroles import append_only
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
    CANCELLED = "cancelled", _("Inställt")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Readers see every meeting; council representatives also Värmlandsrådet's coming ones;
        everyone else logged-in sees held meetings (their minutes are a public record)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(meetings_visible_to(user))


def meetings_visible_to(user, *, through: str = "") -> Q:
    """The meetings `user` sees (`MeetingQuerySet.visible_to`) as a condition on the meeting or, with
    `through` ("meeting__"), on rows that point to one: a page filters its agenda items by it directly
    rather than by a subquery of every visible meeting."""
    if not user.is_authenticated or not user.is_active:
        return Q(**{f"{through}pk__in": []})  # no meeting: Django answers without asking the database
    if reads_everything(user):
        return Q()
    held = Q(**{f"{through}status__in": [MeetingStatus.HELD, MeetingStatus.MINUTES_SIGNED]})
    # A body's members see its meetings, notices and documents (council/membership.py).
    member = Exists(
        Membership.objects.filter(body=OuterRef(f"{through}body"), person=user).on(timezone.localdate())
    )
    if user.has_role(Role.COUNCIL_REPRESENTATIVE):
        return held | Q(**{f"{through}body__takes_positions": True}) | member
    return held | member


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("organ"))
    starts_at = models.DateTimeField(_("datum och tid"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    per_capsulam = models.BooleanField(
        _("per capsulam"),
        default=False,
        help_text=_("Ställningstagande mellan sammanträden, om arbetsordningen tillåter det."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    chair = models.CharField(_("ordförande"), max_length=150, blank=True)
    secretary = models.CharField(_("sekreterare"), max_length=150, blank=True)
    # Attendance is fixed once the first item is recorded (council/protocol.py); the secretariat reopens
    # it explicitly, with a reason. The meeting's history keeps every reopening: who, when and why.
    attendance_reopened_at = models.DateTimeField(_("närvaron öppnad igen"), null=True, blank=True)
    attendance_reopen_reason = models.CharField(
        _("skäl till att närvaron öppnades igen"), max_length=500, blank=True
    )
    signed_at = models.DateTimeField(_("justerat"), null=True, blank=True, editable=False)
    # The members may enter their own party's stance before the meeting (per capsulam), when the rules
    # of procedure allow it; the secretariat turns it on per meeting (council/stances.py).
    advance_stances = models.BooleanField(
        _("ställningstaganden i förväg (per capsulam)"),
        default=False,
        help_text=_("Ledamöterna registrerar själva sin parts ställningstagande före sammanträdet."),
    )
    # The calendar invitation's SEQUENCE (RFC 5545): 0 when the notice goes out, one more for each change
    # of time or place after it and for the cancellation (council/notices.py).
    notice_sequence = models.PositiveIntegerField(_("kallelsens version"), default=0, editable=False)
    # Created by `position_import` from paper minutes signed before DGR; only such a meeting takes more
    # items after it is signed (a trigger refuses the rest). Never changed once set.
    imported = models.BooleanField(_("importerat ur tidigare protokoll"), default=False, editable=False)
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
        # Anmälningsärende: reported to the body for information and noted ("läggs till handlingarna"),
        # without stances or a position.
        INFORMATION = "information", _("Anmälningsärende")

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
    # A change request asking for more money (ändringsbegäran: utökad finansiering) goes the initiative's
    # way through VRAU and Värmlandsrådet: the item is the initiative's, and names the change request.
    change_request = models.ForeignKey(
        "initiatives.ChangeRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("ändringsbegäran"),
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
    # A wrong recording annulled before the meeting is closed (council/minutes.py): kept with its
    # stances (and position) for the history, shown as annulled, left out of the minutes' paragraphs. Its
    # place on the agenda (order) goes to the new item that is recorded instead.
    annulled_at = models.DateTimeField(_("annullerat"), null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annullerat av"),
    )
    annulment_reason = models.CharField(_("skäl till annulleringen"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                condition=Q(annulled_at__isnull=True),
                name="council_item_order_unique",
            ),
            models.CheckConstraint(
                condition=Q(annulled_at__isnull=True, annulment_reason="")
                | Q(annulled_at__isnull=False, annulled_by__isnull=False)
                & ~Q(annulment_reason="")
                & ~Q(outcome=""),
                name="council_item_annulment_complete",
            ),
            models.CheckConstraint(
                condition=Q(kind="initiative", initiative__isnull=False)
                | Q(kind__in=["other", "information"], initiative__isnull=True),
                name="council_item_kind_matches_initiative",
            ),
            models.CheckConstraint(
                condition=Q(change_request__isnull=True) | Q(kind="initiative"),
                name="council_item_change_request_is_initiative_item",
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

    @property
    def is_annulled(self) -> bool:
        return self.annulled_at is not None


def _document_path(instance, filename: str) -> str:
    # A random name: files are served only through the permission-checking view, never by URL guessing.
    import uuid
    from pathlib import PurePath

    return f"council/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class ItemDocument(models.Model):
    """A document for an agenda item (underlag), downloaded through a view that checks visibility."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="documents", verbose_name=_("ärende")
    )
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("fil"), upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlingar")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


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
    # Entered by the party's own member before the meeting (per capsulam), not by the secretariat at it.
    in_advance = models.BooleanField(_("lämnat i förväg"), default=False)

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


class ProposalQuerySet(models.QuerySet):
    def current(self):
        """VRAU's current proposals, latest first: the first per initiative is the one Värmlandsrådet
        takes its position on. A proposal whose recording was annulled at the VRAU meeting was never
        made. The one rule for the item's basis, the meeting page and the notice.

        Written as NOT IN (the annulled recordings) rather than a join to the item: read per item as a
        correlated subquery, the join let the planner scan every agenda item once per item when the
        tables had no statistics yet (20 items: 2,400 index probes, most of the meeting page's database
        time); NOT IN keeps the lookup on the initiative's index and reads the rare annulled items once."""
        annulled = AgendaItem.objects.filter(annulled_at__isnull=False).values("pk")
        return self.exclude(item__in=annulled).order_by("-recorded_at", "-pk")


class Proposal(models.Model):
    """VRAU's proposal to Värmlandsrådet, to support (with an amount) or to reject the initiative: either
    way the initiative moves PREPARED → PROPOSED and Värmlandsrådet takes its position."""

    class Recommendation(models.TextChoices):
        SUPPORT = "support", _("Stå bakom initiativet")
        REJECT = "reject", _("Inte stå bakom initiativet (avslag)")

    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="proposal", verbose_name=_("ärende")
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="council_proposals"
    )
    recommendation = models.CharField(
        _("VRAU föreslår"), max_length=20, choices=Recommendation.choices, default=Recommendation.SUPPORT
    )
    proposed_amount = MoneyField(_("föreslaget belopp"), null=True, blank=True)
    text = models.TextField(_("förslag"), max_length=4000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("förslag till Värmlandsrådet")
        verbose_name_plural = _("förslag till Värmlandsrådet")
        constraints = [
            models.CheckConstraint(
                condition=Q(recommendation="support", proposed_amount__gt=0)
                | Q(recommendation="reject", proposed_amount__isnull=True),
                name="council_proposal_amount_matches_recommendation",
            ),
        ]

    def __str__(self):
        return f"{self.initiative}: {self.proposed_amount}"


class PositionQuerySet(models.QuerySet):
    def consensus(self):
        """Consensus positions that stand: one whose recording was annulled at the meeting never did."""
        return self.filter(outcome=Outcome.CONSENSUS, item__annulled_at__isnull=True)


@append_only
class Position(models.Model):
    """Värmlandsrådet's position on an initiative. Append-only: the database refuses UPDATE/DELETE."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="council_positions"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="positions")
    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="position")
    # A position on a change request (more money) rather than on the initiative itself: Region Värmland's
    # decision on the initiative never rests on it, the decision on the change request does.
    change_request = models.ForeignKey(
        "initiatives.ChangeRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_positions",
        verbose_name=_("ändringsbegäran"),
    )
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
    class Opening(models.TextChoices):
        """The paragraphs a meeting opens with, before its items."""

        CHAIR = "chair", _("Val av ordförande")
        ADJUSTERS = "adjusters", _("Val av justerare")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="paragraphs")
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="paragraph"
    )
    opening = models.CharField(_("inledande paragraf"), max_length=20, choices=Opening.choices, blank=True)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveIntegerField(_("paragraf"))
    title = models.CharField(_("rubrik"), max_length=200)
    # `derived`: the text is the decision derived from the item's outcome (council/protocol.py), never
    # typed, so it cannot contradict the outcome; the secretariat's free words are the `addition`.
    # Paragraphs written before that (False) hold the text as it was typed then.
    text = models.TextField(_("protokollstext"), max_length=8000)
    addition = models.TextField(_("tillägg"), max_length=4000, blank=True)
    derived = models.BooleanField(_("beslutstext härledd ur utfallet"), default=False, editable=False)

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
            models.CheckConstraint(
                condition=Q(item__isnull=False, opening="") | Q(item__isnull=True) & ~Q(opening=""),
                name="council_paragraph_item_or_opening",
            ),
        ]

    def __str__(self):
        return f"§ {self.number}"


class MinutesAdjuster(models.Model):
    """Who signs the minutes: the chair (one) and the adjusters, chosen when the meeting opens; each signs
    for themself. Rows from before the chair signed in DGR are adjusters."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        ADJUSTER = "adjuster", _("Justerare")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="adjusters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.ADJUSTER)
    signed_at = models.DateTimeField(_("justerat"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("justerare")
        verbose_name_plural = _("justerare")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="council_adjuster_once"),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(role="chair"), name="council_one_chair_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["chair", "adjuster"]), name="council_signer_role_known"
            ),
        ]

    def __str__(self):
        return str(self.user)


class Recusal(models.Model):
    """A person who declared a conflict of interest (jäv, kommunallagen 6 kap. 28–32 §§) in an item and
    did not take part in it, recorded by the secretariat at the meeting and printed in the minutes.
    Once per person and item; locked with the minutes (triggers refuse any change to signed minutes)."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("ärende")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    ground = models.CharField(
        _("grund för jävet"),
        max_length=500,
        blank=True,
        help_text=_("Till exempel styrelseuppdrag i sökande."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anmält jäv")
        verbose_name_plural = _("anmälda jäv")
        ordering = ["item", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="council_recusal_once")]

    def __str__(self):
        return f"{self.person}: {self.item}"


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


def adoption_document_path(instance, filename: str) -> str:
    # A generated name: `filename` is core.uploads.stored_name, never the sender's name.
    import uuid
    from pathlib import PurePosixPath

    return f"adoptions/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class AgreementAdoption(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="adoptions")
    party = models.ForeignKey(
        "people.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    adopted_on = models.DateField(_("antaget av fullmäktige"))
    reference = models.CharField(_("beslutsreferens"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The council's minutes (protokollsutdrag) of the adoption, as PDF; the agreement page links it.
    document = models.FileField(
        _("protokollsutdrag"), upload_to=adoption_document_path, max_length=200, blank=True
    )
    document_name = models.CharField(_("protokollsutdragets filnamn"), max_length=200, blank=True)
    document_type = models.CharField(_("protokollsutdragets filtyp"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("antagande")
        verbose_name_plural = _("antaganden")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="council_adoption_once_per_party"),
        ]

    def __str__(self):
        return f"{self.party}: {self.adopted_on}"


class MembershipRole(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinarie ledamot")
    SUBSTITUTE = "substitute", _("Ersättare")


class MembershipQuerySet(models.QuerySet):
    def on(self, day):
        """Memberships whose term of office includes `day`."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class Membership(models.Model):
    """A person's seat in a body for a party: ordinary member or substitute, for a term of office
    (`ends_on` empty: until further notice). Ended, never deleted; overlapping terms of one person in one
    body are refused by council.membership.membership_add (rows across rows: the service)."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organ")
    )
    party = models.ForeignKey(
        "people.Party", on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(_("uppdrag"), max_length=20, choices=MembershipRole.choices)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ledamot eller ersättare")
        verbose_name_plural = _("ledamöter och ersättare")
        ordering = ["body", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values), name="council_membership_role_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="council_membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.party}, {self.get_role_display()})"


@append_only
class NoticeMailing(models.Model):
    """One sending of a meeting's notice to its members: the invitation (REQUEST, with the notice PDF)
    or its cancellation (CANCEL), per calendar SEQUENCE. Written by the worker with the mails it queues,
    once per sequence (a unique constraint), so a retried job never mails the members twice."""

    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("Kallelse")
        CANCEL = "CANCEL", _("Inställt")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="notice_mailings", verbose_name=_("sammanträde")
    )
    sequence = models.PositiveIntegerField(_("version"))
    method = models.CharField(_("typ"), max_length=10, choices=Method.choices)
    recipients = models.PositiveIntegerField(_("antal mottagare"))
    queued_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("utskick av kallelse")
        verbose_name_plural = _("utskick av kallelser")
        ordering = ["meeting", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sequence"], name="council_notice_once_per_sequence"),
        ]

    def __str__(self):
        return f"{self.meeting} v{self.sequence} {self.method}"


@append_only
class SealedCopy(models.Model):
    """The sealed copy of a public record: signed minutes (`paragraph` empty) or the excerpt of one of
    their paragraphs, made once by the worker when the minutes are locked (council/sealing.py) and handed
    out as it is to everyone who downloads it. Its SHA-256 and title let the public check page
    (archive:verify) name the document a PDF is a copy of; final annual reports are matched in the report
    archive instead. One copy per meeting and paragraph (unique); the app role may only add rows."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sealed_copies",
        verbose_name=_("sammanträde"),
    )
    paragraph = models.PositiveIntegerField(_("paragraf"), null=True, blank=True)
    content = models.BinaryField(_("PDF"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    title = models.CharField(_("dokument"), max_length=200)
    sealed = models.BooleanField(_("e-stämplad"))
    issued_at = models.DateTimeField(_("gjord"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-stämplad kopia")
        verbose_name_plural = _("e-stämplade kopior")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="council_sealedcopy_sha256"
            ),
            models.CheckConstraint(
                condition=Q(paragraph__isnull=True) | Q(meeting__isnull=False),
                name="council_sealedcopy_paragraph_of_meeting",
            ),
            # One copy of the minutes and one of each excerpt: a second job finds it made already.
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(meeting__isnull=False, paragraph__isnull=True),
                name="council_sealedcopy_one_minutes",
            ),
            models.UniqueConstraint(
                fields=["meeting", "paragraph"],
                condition=Q(paragraph__isnull=False),
                name="council_sealedcopy_one_excerpt",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.issued_at:%Y-%m-%d})"
