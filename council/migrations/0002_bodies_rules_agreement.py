"""The bodies (VRAU, Värmlandsrådet), their first rules of procedure, the agreement, and the roles'
model permissions for the admin."""

import datetime

from django.db import migrations
from django.utils import timezone

from people.reference import grant

BODIES = [
    # name, short name, slug, takes positions, makes proposals
    ("Värmlandsrådet", "VR", "varmlandsradet", True, False),
    ("Värmlandsrådets arbetsutskott", "VRAU", "vrau", False, True),
]

MODELS = [
    "body", "rulesofprocedure", "meeting", "agendaitem", "attendance", "stance", "proposal", "position",
    "paragraph", "minutesadjuster", "agreement", "agreementadoption",
]


def seed(apps, schema_editor):
    Body = apps.get_model("council", "Body")
    HistoricalBody = apps.get_model("council", "HistoricalBody")
    Rules = apps.get_model("council", "RulesOfProcedure")
    Agreement = apps.get_model("council", "Agreement")
    now = timezone.now()
    for name, short, slug, positions, proposals in BODIES:
        body, created = Body.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "short_name": short, "takes_positions": positions, "makes_proposals": proposals},
        )
        if created:
            HistoricalBody.objects.create(
                id=body.id, name=name, short_name=short, slug=slug, takes_positions=positions,
                makes_proposals=proposals, is_active=True, history_date=now, history_type="+",
                history_change_reason="reference data",
            )
        Rules.objects.get_or_create(
            body=body,
            version=1,
            defaults={
                "valid_from": datetime.date(2022, 1, 1),
                "quorum": 17,
                "stand_aside_is_consent": True,
                "per_capsulam_allowed": False,
                "note": "Arbetsordning vid avtalets start: alla 17 parter deltar, avstående blockerar inte.",
            },
        )
    if not Agreement.objects.exists():
        Agreement.objects.create(
            title="Avtal om de gemensamma resurserna", use_starts_on=datetime.date(2022, 1, 1)
        )
    for model in MODELS:
        for reader in ("secretariat", "finance", "auditor"):
            grant(apps, reader, "council", model, "view")
    grant(apps, "administrator", "council", "body", "view", "change")
    grant(apps, "administrator", "council", "rulesofprocedure", "view", "add")


class Migration(migrations.Migration):
    dependencies = [("council", "0001_meetings_and_positions"), ("people", "0004_refuse_delete")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
