"""Who acts in DGR: the parties of the agreement, their people and the roles they hold.

- Party: the 17 parties with initiative right — Region Värmland and the 16 municipalities, each with
  its official code (the region has the county code 17). Loaded by a data migration; only
  administrators edit them; never deleted (a DELETE is refused by the database).
- User: a person. Belongs to one party, or to none (administrators and system accounts); has a name,
  e-mail and title. Deactivated, never deleted: the audit trail names people for ever.
- Roles are groups (see people/roles.py); what a role may do is decided by the predicates in
  each app's permissions.py.
- Invitation: an administrator's invitation of a person, with a one-time link that expires. Only
  the token's SHA-256 is stored; a link is used once (accepted_at) and the database refuses an
  accepted invitation without its time order. Never deleted: it is the record of who let whom in.
- EmailDomain: which party a single-sign-on person belongs to, by the domain of their e-mail address
  (`karlstad.se` → Karlstad). Administrators edit it; a person signing in through SSO from a domain
  that is not in the table gets no party and no automatic link to an existing account.
- Interest: what a person declares for jäv (conflicts of interest): organisations and parties they are
  tied to, with dates; the person keeps their own on *Mina intressen*, ended rather than deleted.
  Matched against initiatives in one place (initiatives.conflicts).
- A person who signs in through SSO for the first time gets an inactive account awaiting approval
  (User.awaiting_approval); an administrator approves it and grants roles (people.services).
"""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.db import SwedishSortKey


def agreement_order(path: str = "") -> tuple:
    """Order by party the way the agreement lists them: the region first, then the municipalities
    alphabetically. `path` leads to the party from another model: `agreement_order("party__")`."""
    # The kind as a literal, not CASE WHEN with a parameter: bound on the server, the same key in SELECT
    # DISTINCT and ORDER BY would become two different expressions (see core.db.SwedishSortKey).
    region_first = models.Func(
        models.F(f"{path}kind"),
        template=f"(CASE WHEN %(expressions)s = '{Party.Kind.REGION.value}' THEN 0 ELSE 1 END)",
        output_field=models.IntegerField(),
    )
    return (region_first, SwedishSortKey(f"{path}name"))


class PartyQuerySet(models.QuerySet):
    def in_swedish_order(self):
        return self.order_by(*agreement_order())

    def active(self):
        return self.filter(is_active=True)


class Party(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")

    code = models.CharField(
        _("kod"), max_length=4, unique=True, help_text=_("Officiell kommun- eller länskod.")
    )
    name = models.CharField(_("namn"), max_length=100, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    slug = models.SlugField(_("kortnamn"), max_length=40, unique=True)
    is_active = models.BooleanField(_("aktiv part"), default=True)

    objects = PartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parter")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{2,4}$"), name="party_code_digits"),
        ]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("En part tas aldrig bort."), {self})


class DgrUserManager(UserManager):
    def in_swedish_order(self):
        return self.order_by(SwedishSortKey("last_name"), SwedishSortKey("first_name"), "username")

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`manage.py createsuperuser`: the first administrator has nobody else to be created by, so the
        audit trail records them as creating themselves (with the reason). Inside `acting_as(someone)`
        the one acting is recorded instead."""
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields["is_staff"] is not True or extra_fields["is_superuser"] is not True:
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        user = self._create_user_object(username, email, password, **extra_fields)
        if getattr(HistoricalRecords.context, "request", None) is None:
            user._history_user = user
            user._change_reason = "skapad med createsuperuser"
        user.save(using=self._db)
        return user


class User(AbstractUser):
    party = models.ForeignKey(
        Party,
        verbose_name=_("part"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("Den kommun eller region personen företräder. Tom för administratörer."),
    )
    title = models.CharField(_("titel"), max_length=150, blank=True)
    awaiting_approval = models.BooleanField(
        _("väntar på godkännande"),
        default=False,
        help_text=_("Loggade in med single sign-on första gången; en administratör godkänner kontot."),
    )

    objects = DgrUserManager()
    # m2m_fields: a role is a group, and who gave whom a role belongs in the audit trail.
    history = HistoricalRecords(excluded_fields=["last_login", "password"], m2m_fields=["groups"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(awaiting_approval=True, is_active=True),
                name="user_awaiting_approval_is_inactive",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Användare avaktiveras, de tas aldrig bort."), {self})

    def clean(self):
        super().clean()
        if self.awaiting_approval and self.is_active:
            raise ValidationError(
                {"is_active": _("Kontot väntar på godkännande: godkänn det under Konton i DGR.")}
            )

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request (predicates ask many times)."""
        if not self.is_active:
            return frozenset()
        if "role_list" in self.__dict__:  # read with the user by people.backends.PartyAwareModelBackend
            return frozenset(self.role_list)
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))


class Invitation(models.Model):
    person = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("e-postadress"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name=_("inbjuden av"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("skickad"))
    expires_at = models.DateTimeField(_("giltig till"))
    accepted_at = models.DateTimeField(_("använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ersatt"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_sent",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True)
                | models.Q(accepted_at__gte=models.F("created_at")),
                name="invitation_accepted_after_sent",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d})"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("En inbjudan tas aldrig bort."), {self})

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class EmailDomainQuerySet(models.QuerySet):
    def party_for(self, email: str):
        """The party of an e-mail address by its domain, or None."""
        domain = email.rpartition("@")[2].strip().lower()
        found = self.select_related("party").filter(domain=domain).first() if domain else None
        return found.party if found else None


class EmailDomain(models.Model):
    domain = models.CharField(
        _("e-postdomän"),
        max_length=253,
        unique=True,
        help_text=_("Domänen efter @ i e-postadressen, t.ex. karlstad.se."),
    )
    party = models.ForeignKey(Party, verbose_name=_("part"), on_delete=models.PROTECT, related_name="+")

    objects = EmailDomainQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-postdomän för single sign-on")
        verbose_name_plural = _("e-postdomäner för single sign-on")
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    domain__regex=r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$"
                ),
                name="email_domain_lower_case_host_name",
            ),
        ]

    def __str__(self):
        return f"{self.domain} → {self.party}"

    def clean(self):
        self.domain = (self.domain or "").strip().lower()


class InterestQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day), valid_from__lte=day)


class Interest(models.Model):
    """A person's declared interest (kommunallagen 6 kap. 28–32 §§: jäv): an assignment, employment,
    ownership or other tie to an organisation or a party, from a day and possibly to a day. Declared by
    the person on their own page; ended, never deleted or rewritten (the history shows each change), so
    a past meeting's jäv can be read against what was declared then."""

    class Kind(models.TextChoices):
        ASSIGNMENT = "assignment", _("Uppdrag (styrelse, nämnd, förening)")
        EMPLOYMENT = "employment", _("Anställning")
        OWNERSHIP = "ownership", _("Ägande eller annat ekonomiskt intresse")
        RELATED = "related", _("Närstående med intresse")
        OTHER = "other", _("Annat")

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="interests", verbose_name=_("person")
    )
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Organisationens namn, till exempel ett bolag eller en förening."),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("part"),
        help_text=_("Om intresset gäller en av avtalets parter (en kommun eller regionen)."),
    )
    role = models.CharField(
        _("roll"), max_length=200, blank=True, help_text=_("Till exempel styrelseledamot.")
    )
    valid_from = models.DateField(_("från"))
    valid_to = models.DateField(_("till och med"), null=True, blank=True)
    declared_at = models.DateTimeField(_("anmält"), auto_now_add=True)

    objects = InterestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intresse (jäv)")
        verbose_name_plural = _("intressen (jäv)")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation="") | models.Q(party__isnull=False),
                name="people_interest_names_whom",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="people_interest_dates",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.holder}"

    @property
    def holder(self) -> str:
        """The organisation or party the interest is in, as a reader names it."""
        return self.organisation or (self.party.name if self.party_id else "")

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
