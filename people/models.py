"""Who acts in DGR: the parties of the agreement, their people and the roles they hold.

- Party: the 17 parties with initiative right — Region Värmland and the 16 municipalities, each with
  its official code (the region has the county code 17). Loaded by a data migration; only
  administrators edit them; never deleted (a DELETE is refused by the database).
- User: a person. Belongs to one party, or to none (administrators and system accounts); has a name,
  e-mail and title. Deactivated, never deleted: the audit trail names people for ever.
- Roles are groups (see people/roles.py); what a role may do is decided by the predicates in
  each app's permissions.py.
"""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
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

    objects = DgrUserManager()
    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        return self.get_full_name() or self.username

    def delete(self, *args, **kwargs):
        raise models.ProtectedError(_("Användare avaktiveras, de tas aldrig bort."), {self})

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
