"""Värmlandsstrategin's four action areas, and who may see or edit which model in the admin."""

from django.db import migrations

from initiatives.reference import ensure_action_areas
from people.reference import grant

MODELS = [
    "initiative",
    "actionarea",
    "areaalignment",
    "budgetyear",
    "cofinancing",
    "attachment",
    "revision",
    "preparation",
    "message",
]


def seed(apps, schema_editor):
    ensure_action_areas(apps)
    grant(apps, "administrator", "initiatives", "actionarea", "view", "add", "change")
    for model in MODELS:
        grant(apps, "administrator", "initiatives", model, "view")
        for reader in ("secretariat", "finance", "auditor"):
            grant(apps, reader, "initiatives", model, "view")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_content_budget_preparation"), ("people", "0003_roles")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
