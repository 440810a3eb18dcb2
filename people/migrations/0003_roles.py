"""The roles as groups, with the model permissions of this app. Later apps grant their own."""

from django.db import migrations

from people.reference import ensure_roles, grant


def create_roles(apps, schema_editor):
    ensure_roles(apps)
    grant(apps, "administrator", "people", "party", "view", "change")
    grant(apps, "administrator", "people", "user", "view", "add", "change")
    for reader in ("secretariat", "finance", "auditor"):
        grant(apps, reader, "people", "party", "view")
        grant(apps, reader, "people", "user", "view")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_parties"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
