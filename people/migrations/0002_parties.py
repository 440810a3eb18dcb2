"""The 17 parties of the agreement with their official codes."""

from django.db import migrations

from people.reference import ensure_parties


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(ensure_parties, migrations.RunPython.noop)]
