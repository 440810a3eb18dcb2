"""Reference data every DGR database has: the 17 parties and the role groups.

Loaded by data migrations, and again by tests that run with real commits (their teardown truncates
every table). Takes a model registry so migrations can pass their historical models.
"""

from django.utils import timezone

# Official codes: SCB municipality codes; the region has the county code 17.
PARTIES = [
    ("17", "Region Värmland", "region", "region"),
    ("1715", "Kil", "municipality", "kil"),
    ("1730", "Eda", "municipality", "eda"),
    ("1737", "Torsby", "municipality", "torsby"),
    ("1760", "Storfors", "municipality", "storfors"),
    ("1761", "Hammarö", "municipality", "hammaro"),
    ("1762", "Munkfors", "municipality", "munkfors"),
    ("1763", "Forshaga", "municipality", "forshaga"),
    ("1764", "Grums", "municipality", "grums"),
    ("1765", "Årjäng", "municipality", "arjang"),
    ("1766", "Sunne", "municipality", "sunne"),
    ("1780", "Karlstad", "municipality", "karlstad"),
    ("1781", "Kristinehamn", "municipality", "kristinehamn"),
    ("1782", "Filipstad", "municipality", "filipstad"),
    ("1783", "Hagfors", "municipality", "hagfors"),
    ("1784", "Arvika", "municipality", "arvika"),
    ("1785", "Säffle", "municipality", "saffle"),
]

ROLES = ["initiator", "secretariat", "council_representative", "finance", "auditor", "administrator"]


def ensure_parties(apps, schema_editor=None) -> None:
    Party = apps.get_model("people", "Party")
    HistoricalParty = apps.get_model("people", "HistoricalParty")
    for code, name, kind, slug in PARTIES:
        party, created = Party.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "slug": slug}
        )
        if created:
            # Historical models in migrations send no signals: write the audit row here.
            HistoricalParty.objects.create(
                id=party.id,
                code=code,
                name=name,
                kind=kind,
                slug=slug,
                is_active=True,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="reference data",
            )


def ensure_roles(apps, schema_editor=None) -> None:
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def grant(apps, group_name: str, app_label: str, model: str, *actions: str) -> None:
    """Give a role model permissions; later apps call this from their own data migrations."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    for action in actions:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {model}"},
        )
        Group.objects.get(name=group_name).permissions.add(permission)
