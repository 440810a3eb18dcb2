"""The bodies (VRAU, Värmlandsrådet), their first rules of procedure, the agreement, and the roles'
model permissions for the admin."""

from django.db import migrations

from council.reference import ensure_council_reference
from people.reference import grant

MODELS = [
    "body", "rulesofprocedure", "meeting", "agendaitem", "attendance", "stance", "proposal", "position",
    "paragraph", "minutesadjuster", "agreement", "agreementadoption",
]


def seed(apps, schema_editor):
    ensure_council_reference(apps)
    for model in MODELS:
        for reader in ("secretariat", "finance", "auditor"):
            grant(apps, reader, "council", model, "view")
    grant(apps, "administrator", "council", "body", "view", "change")
    grant(apps, "administrator", "council", "rulesofprocedure", "view", "add")


class Migration(migrations.Migration):
    dependencies = [("council", "0001_meetings_and_positions"), ("people", "0004_refuse_delete")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
