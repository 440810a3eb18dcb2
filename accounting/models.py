"""The fund ledger: DGR's separately accounted fund, from opening capital to a closed year.

Models
- Fund: one separately accounted fund (DGR; the Keolis settlement money could be a second one). Every
  other row belongs to exactly one fund, so each fund has its own ledger, numbering and report. Its
  `amount_limit` is a sanity limit on any single amount of the fund (a decision, commitment, payment,
  capital added, …): a slip of the keyboard (three zeros too many) is refused, not booked. Finance and
  administrators change it, with history.
- CapitalPart: the parts the agreement keeps visible in every balance (55 + 101 + 44 MSEK), with origin.
- FiscalYear: a calendar year of a fund, open or closed. A closed year is never reopened (trigger).
- Account: the internal chart of accounts. Per capital part an *available capital* and a *reserved for
  granted initiatives* account; per fund one *settlement account with the region* (the money itself sits
  in the region's treasury). `region_account` maps each to the region's own account number (edited by
  finance; used in the SIE export).
- Decision: Region Värmland's formal decision under its delegation. It rests on Värmlandsrådet's consensus
  position on the initiative (`position`, required): recording one requires the initiative to be SUPPORTED,
  an amount no larger than the position's supported amount and a date no earlier than the position's
  meeting; it moves the initiative to DECIDED.
- DelegationPoint: the register of Region Värmland's delegation order (code, description, decision-maker,
  amount limit), versioned by validity dates; finance and administrators keep it. A decision taken under
  a point must lie within its dates and limit (the service refuses with a message, and a trigger refuses
  it in the database too). A version is never edited (only its end date is set once) nor deleted.
- Decision's outcome: positive (granted, amount > 0) or negative (rejected, amount 0, books nothing; the
  initiative is then not supported). A database CHECK ties the amount to the outcome.
- A decision on a change request (ändringsbegäran, issue 13) names it and the decision it amends (both or
  neither, CHECK): more money is `granted` with the additional amount and rests on Värmlandsrådet's position
  on the change request; a change within the frame (period, years, less money) is `changed` with amount 0
  and rests on the first decision's position; a refusal is `rejected`. Applying one is accounting's
  `change_decision_record` / `decision_record(change_request=…)`.
- Commitment: an amount granted to an initiative under a decision, from one capital part (a decision may be
  committed in several commitments, split over capital parts and planned years). Money events against it.
- Verification / VerificationLine: the double-entry journal. Signed amounts, debit positive and credit
  negative (as SIE writes them). Lines carry the capital part, initiative and commitment they concern, and
  the money event they book (a reversal's lines carry the reversed event, so figures net out). A
  disbursement carries where it was paid: payee, bankgiro/plusgiro/IBAN (accounting/bank.py) and the
  payee's reference; a CHECK keeps these whole, well-formed and on disbursements only.
- VerificationCounter: one row per (year, series) holding the last number, incremented in the posting's
  transaction, so numbers are gapless: a rolled-back posting rolls back its number too.
- YearBalance: the snapshot written when a year is closed: opening, movement and closing per account,
  capital part and event. Balances are the last closed snapshot plus the open years' lines.
- RecoveryClaim (återkrav): Region Värmland claims paid-out money back from an initiative (terminated
  early, or money not used as decided), with amount, reason, decision date and due date. Repayments book
  against it (`Verification.recovery_claim`; `repaid` is their sum, kept in the same transaction). The
  database refuses an amount not above zero, `repaid` below zero or above the amount, and a status that
  does not match `repaid` (open: nothing repaid; partly repaid; repaid: all of it; written off: with a
  reason and a decision, and something still outstanding). The service refuses a claim above what was
  paid out net and not already claimed, and a repayment above what is outstanding (the claim row is
  locked FOR UPDATE, so concurrent repayments queue up and never overpay).

Invariants, enforced by PostgreSQL (migration 0002) and not only here
- every verification has ≥ 2 lines summing to zero (a deferred constraint trigger, checked at COMMIT);
- verifications, lines, commitments and snapshots refuse UPDATE, DELETE and TRUNCATE (append-only;
  corrections are reversals). TRUNCATE is allowed only in a session with `dgr.allow_truncate = on`, which
  only the test database sets (pytest-django flushes with TRUNCATE);
- nothing is posted into a closed year or outside the year's dates;
- no available account goes below zero and no commitment below zero remaining (checked at COMMIT, after
  locking the capital parts `FOR NO KEY UPDATE`; the services lock the same rows first and refuse with a
  message);
- a verification reverses at most one other, and is reversed at most once (`reverses` is unique).

The journal is its own audit trail (author, registration time, never changed), so its tables have no
django-simple-history; funds, parts, years, accounts and decisions do.

Who: finance (Region Värmland) records decisions, posts, closes years and maps accounts; secretariat,
auditor and administrator read everything; an initiator reads the money of their own party's initiatives.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounting import bank
from core.dbroles import append_only
from core.money import MoneyField

# DGR holds about 200 MSEK: no single amount in it comes near 500 MSEK, while a typing slip of three zeros
# (200 000 000 000) does. A fund of another size sets its own limit.
DEFAULT_AMOUNT_LIMIT = Decimal("500000000.00")


class Fund(models.Model):
    slug = models.SlugField(_("kortnamn"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    opened_on = models.DateField(_("öppnad"))
    organisation = models.CharField(_("förvaltas av"), max_length=200, default="Region Värmland")
    amount_limit = MoneyField(
        _("beloppsgräns"),
        default=DEFAULT_AMOUNT_LIMIT,
        help_text=_(
            "Högsta belopp som kan registreras i en enskild post i fonden (beslut, beviljande, utbetalning, "
            "kapitaltillskott med mera). Ett större belopp är nästan alltid ett skrivfel och vägras."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fond")
        verbose_name_plural = _("fonder")
        ordering = ["opened_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_limit__gt=0), name="fund_amount_limit_positive")
        ]

    def __str__(self):
        return self.name


class CapitalPart(models.Model):
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="capital_parts", verbose_name=_("fond")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("namn"), max_length=200)
    origin = models.TextField(_("ursprung"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kapitaldel")
        verbose_name_plural = _("kapitaldelar")
        ordering = ["fund", "number"]
        constraints = [models.UniqueConstraint(fields=["fund", "number"], name="capital_part_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.name}"


class FiscalYear(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Öppet")
        CLOSED = "closed", _("Stängt")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="fiscal_years", verbose_name=_("fond")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    starts_on = models.DateField(_("första dag"))
    ends_on = models.DateField(_("sista dag"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("stängt"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verksamhetsår")
        verbose_name_plural = _("verksamhetsår")
        ordering = ["fund", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="fiscal_year_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="fiscal_year_dates"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]), name="fiscal_year_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="fiscal_year_closed_has_time"
            ),
        ]

    def __str__(self):
        return str(self.year)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Account(models.Model):
    class Kind(models.TextChoices):
        AVAILABLE = "available", _("Tillgängligt kapital")
        RESERVED = "reserved", _("Reserverat för beviljade initiativ")
        SETTLEMENT = "settlement", _("Avräkning med Region Värmland")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("fond"))
    code = models.CharField(_("konto"), max_length=10)
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    capital_part = models.ForeignKey(
        CapitalPart, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    region_account = models.CharField(
        _("Region Värmlands konto"),
        max_length=20,
        blank=True,
        help_text=_("Kontot i regionens ekonomisystem som kontot motsvarar (används i SIE-exporten)."),
    )
    region_object = models.CharField(
        _("Region Värmlands objekt"),
        max_length=40,
        blank=True,
        help_text=_("Ansvar, projekt eller annat objekt i regionens ekonomisystem, om något."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        ordering = ["fund", "code"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "code"], name="account_code_unique"),
            models.UniqueConstraint(
                fields=["fund", "kind", "capital_part"], name="account_kind_per_part_unique"
            ),
            models.UniqueConstraint(
                fields=["fund"], condition=Q(kind="settlement"), name="account_one_settlement_per_fund"
            ),
            models.CheckConstraint(
                condition=Q(kind="settlement", capital_part__isnull=True)
                | Q(kind__in=["available", "reserved"], capital_part__isnull=False),
                name="account_part_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def export_code(self) -> str:
        return self.region_account or self.code


class MakerKind(models.TextChoices):
    BOARD = "board", _("Regionstyrelsen")
    COMMITTEE = "committee", _("Nämnd eller utskott")
    DELEGATE = "delegate", _("Delegat (tjänsteperson)")


def maker_label(name: str, kind: str) -> str:
    """Who decides, as a reader wants it: the name, with its kind only when the kind adds something
    ("Regionstyrelsen", not "Regionstyrelsen (Regionstyrelsen)")."""
    kind_label = str(MakerKind(kind).label)
    if name.strip().casefold() == kind_label.casefold():
        return name
    return f"{name} ({kind_label})"


class DecisionOutcome(models.TextChoices):
    GRANTED = "granted", _("Beviljas")
    REJECTED = "rejected", _("Avslås")
    # A change request within the frame already granted (period, years, less money) approved: no new
    # money, so no amount (the change itself is on the change request and in the postings it leads to).
    CHANGED = "changed", _("Ändring beviljas")


class DelegationPointQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class DelegationPoint(models.Model):
    """A point of Region Värmland's delegation order (delegationsordning): who may decide what, up to
    which amount. Versioned: a change is a new row for the same code from a later day, and the previous
    version ends the day before (`replaces`); a version is never edited otherwise (a trigger refuses it)
    and never deleted, so every decision keeps the terms it was taken under."""

    code = models.CharField(_("punkt"), max_length=50, help_text=_("Till exempel 3.2.1."))
    description = models.TextField(_("beskrivning"), max_length=2000)
    maker_kind = models.CharField(_("beslutsfattare"), max_length=20, choices=MakerKind.choices)
    maker_name = models.CharField(
        _("delegat"), max_length=200, help_text=_("Funktion eller person, till exempel regiondirektören.")
    )
    amount_limit = MoneyField(
        _("beloppsgräns"), null=True, blank=True, help_text=_("Tomt: ingen beloppsgräns i punkten.")
    )
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till och med"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("ersätter"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapad av")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = DelegationPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("delegationspunkt")
        verbose_name_plural = _("delegationspunkter")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="delegation_point_version_unique"),
            models.CheckConstraint(
                condition=Q(amount_limit__isnull=True) | Q(amount_limit__gt=0),
                name="delegation_point_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="delegation_point_dates",
            ),
            models.CheckConstraint(
                condition=Q(maker_kind__in=["board", "committee", "delegate"]),
                name="delegation_point_maker_kind_known",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.description[:60]}"

    @property
    def maker(self) -> str:
        return maker_label(self.maker_name, self.maker_kind)

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def decision_document_path(instance, filename: str) -> str:
    # A generated name (issue 17): `filename` is core.uploads.stored_name, never the client's name.
    return f"decisions/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Decision(models.Model):
    """Region Värmland's formal decision under its delegation (beslut enligt delegation)."""

    MakerKind = MakerKind
    Outcome = DecisionOutcome

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("fond"))
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("initiativ"),
    )
    # The council's consensus position the decision rests on (issue 5): the decision cannot grant more
    # than the amount Värmlandsrådet supported, nor be taken before the position.
    position = models.ForeignKey(
        "council.Position",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("Värmlandsrådets ställningstagande"),
    )
    # A decision on a change request after the first decision (ändringsbegäran): it names the request and
    # the decision it amends, so each change keeps its own decision trail back to the first one.
    change_request = models.ForeignKey(
        "initiatives.ChangeRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("ändringsbegäran"),
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("ändrar beslut"),
    )
    maker_kind = models.CharField(_("beslutsfattare"), max_length=20, choices=MakerKind.choices)
    maker_name = models.CharField(
        _("beslutsfattarens namn"),
        max_length=200,
        help_text=_("Till exempel regionstyrelsen eller en regiondirektör."),
    )
    # Positive (bevilja) or negative (avslå): a negative decision grants nothing and books nothing (its
    # amount is zero, and the database refuses commitments above a decision's amount).
    outcome = models.CharField(_("beslut"), max_length=20, choices=Outcome.choices, default=Outcome.GRANTED)
    # The point of the delegation order the decision was taken under (issue 12): chosen from the register,
    # valid on the decision's day, and the amount within its limit (the service refuses, a trigger too).
    # Empty for the regional board's own decisions (not delegated).
    delegation_point = models.ForeignKey(
        "DelegationPoint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("punkt i delegationsordningen"),
    )
    decided_on = models.DateField(_("beslutsdatum"))
    reference = models.CharField(
        _("beslutsnummer eller paragraf"), max_length=100, help_text=_("Till exempel RS 2026/123 § 45.")
    )
    amount = MoneyField(_("beviljat belopp"))
    document = models.FileField(
        _("beslutsdokument"), upload_to=decision_document_path, max_length=200, blank=True
    )
    # The uploader's file name, shown and offered when downloading; never used as a path.
    document_name = models.CharField(_("beslutsdokumentets filnamn"), max_length=200, blank=True)
    document_type = models.CharField(_("beslutsdokumentets filtyp"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="granted", amount__gt=0)
                | Q(outcome="rejected", amount=0)
                | Q(outcome="changed", amount=0, change_request__isnull=False),
                name="decision_amount_matches_outcome",
            ),
            models.CheckConstraint(
                condition=Q(change_request__isnull=True, amends__isnull=True)
                | Q(change_request__isnull=False, amends__isnull=False),
                name="decision_change_amends_first",
            ),
            models.CheckConstraint(
                condition=Q(maker_kind__in=["board", "committee", "delegate"]),
                name="decision_maker_kind_known",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.decided_on.isoformat()})"

    @property
    def maker(self) -> str:
        return maker_label(self.maker_name, self.maker_kind)


@append_only
class Commitment(models.Model):
    """An amount granted to an initiative from one capital part (append-only: the database refuses edits)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="commitments")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="commitments")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="commitments"
    )
    capital_part = models.ForeignKey(CapitalPart, on_delete=models.PROTECT, related_name="commitments")
    amount = MoneyField(_("beviljat belopp"))
    planned_year = models.PositiveSmallIntegerField(_("planerat utbetalningsår"), null=True, blank=True)
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_amount_positive")]

    def __str__(self):
        return _("Åtagande %(id)s") % {"id": self.pk}


class Kind(models.TextChoices):
    """What a verification books; lines carry the money event (a reversal's lines the reversed one)."""

    CAPITAL = "capital", _("Kapital")
    COMMITMENT = "commitment", _("Åtagande")
    DISBURSEMENT = "disbursement", _("Utbetalning")
    RELEASE = "release", _("Frigörande av åtagande")
    REPAYMENT = "repayment", _("Återbetalning")
    TRANSFER = "transfer", _("Överföring mellan kapitaldelar")
    REVERSAL = "reversal", _("Rättelse (omföring)")


EVENTS = [k for k in Kind if k != Kind.REVERSAL]


@append_only
class Verification(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="verifications")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="verifications")
    series = models.CharField(_("serie"), max_length=4, default="A")
    number = models.PositiveIntegerField(_("nummer"))
    booking_date = models.DateField(_("bokföringsdag"))
    registered_at = models.DateTimeField(_("registrerad"), auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("text"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="verifications"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="verifications"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # A repayment booked against a recovery claim (and the reversal of one carries the same claim).
    recovery_claim = models.ForeignKey(
        "RecoveryClaim", null=True, blank=True, on_delete=models.PROTECT, related_name="verifications"
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Where a disbursement was paid (issue 13): payee, account and the reference the payee asked for (OCR
    # or a message). Empty on every other kind, and on disbursements brought in from before DGR, whose
    # books did not keep them; a disbursement recorded in DGR itself always has them (services).
    # A database default too: rows written by SQL (tests of the triggers, repairs) need not name them.
    payee = models.CharField(_("betalningsmottagare"), max_length=bank.MAX_PAYEE, blank=True, db_default="")
    bank_account_kind = models.CharField(
        _("kontotyp"), max_length=10, choices=bank.AccountKind.choices, blank=True, db_default=""
    )
    bank_account_number = models.CharField(_("kontonummer"), max_length=34, blank=True, db_default="")
    payment_reference = models.CharField(
        _("OCR-nummer eller meddelande"), max_length=bank.MAX_REFERENCE, blank=True, db_default=""
    )

    class Meta:
        verbose_name = _("verifikation")
        verbose_name_plural = _("verifikationer")
        ordering = ["fiscal_year", "series", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "series", "number"], name="verification_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in Kind]), name="verification_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | Q(~Q(kind="reversal"), reverses__isnull=True),
                name="verification_reversal_has_original",
            ),
            # Payment details come whole (payee and a well-formed account) and only on a disbursement.
            models.CheckConstraint(
                condition=Q(payee="", bank_account_kind="", bank_account_number="", payment_reference="")
                | Q(
                    bank.account_number_shape("bank_account_kind", "bank_account_number"),
                    kind="disbursement",
                    payee__regex=r"\S",
                ),
                name="verification_payment_details",
            ),
        ]
        indexes = [models.Index(fields=["fund", "booking_date"], name="verification_fund_date")]

    def __str__(self):
        return self.number_label

    @property
    def number_label(self) -> str:
        return verification_number_label(self.series, self.number, self.fiscal_year.year)

    @property
    def kind_tag(self) -> str:
        """The kind as a tag in front of the text, unless the text already opens with it: the forms propose
        "Utbetalning: <initiativ>" (the text alone goes into SIE), which must not read
        "Utbetalning Utbetalning: …"."""
        kind = str(self.get_kind_display())
        return "" if self.text.casefold().startswith(kind.casefold()) else kind

    @property
    def payment(self) -> "bank.Payment | None":
        if not self.payee:
            return None
        return bank.Payment(
            payee=self.payee,
            account_kind=self.bank_account_kind,
            account_number=self.bank_account_number,
            reference=self.payment_reference,
        )


def verification_number_label(series: str, number: int, year: int) -> str:
    """The one way a verification number is written, on pages, in PDFs, exports and SIE texts: series
    and number, then the fiscal year ("A3 2026"); the number restarts each year, so the year belongs."""
    return f"{series}{number} {year}"


@append_only
class VerificationLine(models.Model):
    verification = models.ForeignKey(Verification, on_delete=models.PROTECT, related_name="lines")
    # Copied from the verification by a trigger (never trusted from the caller): balances are summed per
    # open year without a join.
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    capital_part = models.ForeignKey(CapitalPart, on_delete=models.PROTECT, related_name="lines")
    event = models.CharField(_("händelse"), max_length=20, choices=[(k.value, k.label) for k in EVENTS])
    initiative = models.ForeignKey(
        "initiatives.Initiative", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_lines"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    amount = MoneyField(_("belopp"), help_text=_("Debet positivt, kredit negativt."))

    class Meta:
        verbose_name = _("verifikationsrad")
        verbose_name_plural = _("verifikationsrader")
        # No default ordering: it would join the verification, its year and fund into every sum.
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="line_amount_not_zero"),
            models.CheckConstraint(condition=Q(event__in=[k.value for k in EVENTS]), name="line_event_known"),
        ]
        indexes = [
            models.Index(
                fields=["fiscal_year", "account", "capital_part", "event"],
                include=["amount"],
                name="line_year_account",
            ),
        ]

    def __str__(self):
        return f"{self.account_id} {self.amount}"

    @property
    def debit(self):
        return self.amount if self.amount > 0 else None

    @property
    def credit(self):
        return -self.amount if self.amount < 0 else None


class VerificationCounter(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+")
    series = models.CharField(max_length=4)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "series"], name="counter_unique")]

    def __str__(self):
        return f"{self.series} {self.fiscal_year_id}: {self.last_number}"


@append_only
class YearBalance(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="balances")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    capital_part = models.ForeignKey(CapitalPart, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=20, choices=[(k.value, k.label) for k in EVENTS])
    opening = MoneyField(_("ingående balans"))
    movement = MoneyField(_("årets förändring"))
    closing = MoneyField(_("utgående balans"))

    class Meta:
        verbose_name = _("årsbalans")
        verbose_name_plural = _("årsbalanser")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "account", "capital_part", "event"], name="year_balance_unique"
            ),
            models.CheckConstraint(
                condition=Q(closing=models.F("opening") + models.F("movement")), name="year_balance_adds_up"
            ),
        ]

    def __str__(self):
        return f"{self.fiscal_year_id} {self.account_id} {self.event}: {self.closing}"


class RecoveryClaimQuerySet(models.QuerySet):
    def outstanding(self):
        """Claims with money still to come back (not repaid in full, not written off)."""
        return self.filter(status__in=[RecoveryClaim.Status.OPEN, RecoveryClaim.Status.PARTLY_REPAID])

    def overdue(self, today):
        return self.outstanding().filter(due_on__lt=today)


class RecoveryClaim(models.Model):
    """A recovery claim (återkrav): money paid out that the initiative's party is to pay back."""

    class Status(models.TextChoices):
        OPEN = "open", _("Obetalt")
        PARTLY_REPAID = "partly_repaid", _("Delvis återbetalt")
        REPAID = "repaid", _("Återbetalt")
        WRITTEN_OFF = "written_off", _("Avskrivet")

    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, related_name="recovery_claims", verbose_name=_("fond")
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        related_name="recovery_claims",
        verbose_name=_("initiativ"),
    )
    amount = MoneyField(_("återkrävt belopp"))
    reason = models.TextField(_("skäl"), max_length=2000)
    reference = models.CharField(
        _("beslutsnummer"), max_length=100, blank=True, help_text=_("Till exempel RS 2026/123 § 45.")
    )
    decided_on = models.DateField(_("beslutsdatum"))
    due_on = models.DateField(_("förfallodag"))
    repaid = MoneyField(_("återbetalt"), default=Decimal("0.00"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    written_off_on = models.DateField(_("avskrivet den"), null=True, blank=True, editable=False)
    write_off_reason = models.TextField(
        _("skäl för avskrivning"), max_length=2000, blank=True, editable=False
    )
    write_off_reference = models.CharField(
        _("beslut om avskrivning"), max_length=100, blank=True, editable=False
    )
    # The last overdue reminder mailed to the party (accounting.tasks): one at most per REMIND_EVERY_DAYS.
    reminded_on = models.DateField(_("senast påmint"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )
    created_at = models.DateTimeField(_("registrerat"), auto_now_add=True)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = RecoveryClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("återkrav")
        verbose_name_plural = _("återkrav")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(repaid__gte=0, repaid__lte=models.F("amount")),
                name="recovery_claim_repaid_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("decided_on")), name="recovery_claim_due_after_decision"
            ),
            models.CheckConstraint(
                condition=Q(status="open", repaid=0)
                | Q(status="partly_repaid", repaid__gt=0, repaid__lt=models.F("amount"))
                | Q(status="repaid", repaid=models.F("amount"))
                | (
                    Q(status="written_off", written_off_on__isnull=False, repaid__lt=models.F("amount"))
                    & ~Q(write_off_reason="")
                ),
                name="recovery_claim_status_matches_repaid",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="recovery_claim_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="recovery_claim_status_due")]

    def __str__(self):
        return _("Återkrav %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("accounting:recovery-claim-detail", args=[self.pk])

    @property
    def outstanding(self) -> Decimal:
        """What is still to be paid back (nothing once written off)."""
        if self.status == self.Status.WRITTEN_OFF:
            return Decimal("0.00")
        return self.amount - self.repaid

    @property
    def written_off(self) -> Decimal:
        return self.amount - self.repaid if self.status == self.Status.WRITTEN_OFF else Decimal("0.00")

    def is_overdue(self, today) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PARTLY_REPAID) and self.due_on < today

    @staticmethod
    def status_for(amount: Decimal, repaid: Decimal) -> str:
        if repaid <= 0:
            return RecoveryClaim.Status.OPEN
        return RecoveryClaim.Status.REPAID if repaid >= amount else RecoveryClaim.Status.PARTLY_REPAID
