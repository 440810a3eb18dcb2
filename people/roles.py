"""The roles of DGR, as groups created by a data migration.

The group names are stable identifiers; their Swedish labels are what users see.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INITIATOR = "initiator", _("Initiativtagare")
    SECRETARIAT = "secretariat", _("Sekretariat (VRAG)")
    COUNCIL_REPRESENTATIVE = "council_representative", _("Representant i Värmlandsrådet")
    FINANCE = "finance", _("Ekonomi (Region Värmland)")
    AUDITOR = "auditor", _("Revisor")
    ADMINISTRATOR = "administrator", _("Administratör")


# Roles whose holders must belong to a party: they act for it.
PARTY_ROLES = frozenset({Role.INITIATOR, Role.COUNCIL_REPRESENTATIVE})
