"""Reference data of the initiatives app: Värmlandsstrategin 2021–2040's four action areas.

Loaded by a data migration, and again by tests that run with real commits (their teardown truncates
every table). Administrators edit the areas afterwards: the strategy will be revised.
"""

from django.utils import timezone

ACTION_AREAS = [
    ("Förbättra livsvillkoren", 1),
    ("Höja kompetensen", 2),
    ("Utveckla attraktiva platser", 3),
    ("Stärka konkurrenskraften", 4),
]


def ensure_action_areas(apps, schema_editor=None) -> None:
    ActionArea = apps.get_model("initiatives", "ActionArea")
    HistoricalActionArea = apps.get_model("initiatives", "HistoricalActionArea")
    for name, order in ACTION_AREAS:
        area, created = ActionArea.objects.get_or_create(name=name, defaults={"order": order})
        if created:
            # Historical models in migrations send no signals: write the audit row here.
            HistoricalActionArea.objects.create(
                id=area.id,
                name=name,
                description="",
                order=order,
                is_active=True,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="reference data",
            )
