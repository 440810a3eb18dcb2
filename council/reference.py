"""Reference data every DGR database has for the council: the bodies, their first rules of procedure and
the agreement. Loaded by a data migration, and again by tests that run with real commits (their
teardown truncates every table). Takes a model registry so the migration can pass its historical models."""

import datetime

from django.utils import timezone

BODIES = [
    # name, short name, slug, takes positions, makes proposals
    ("Värmlandsrådet", "VR", "varmlandsradet", True, False),
    ("Värmlandsrådets arbetsutskott", "VRAU", "vrau", False, True),
]


def ensure_council_reference(apps, schema_editor=None) -> None:
    Body = apps.get_model("council", "Body")
    HistoricalBody = apps.get_model("council", "HistoricalBody")
    Rules = apps.get_model("council", "RulesOfProcedure")
    Agreement = apps.get_model("council", "Agreement")
    now = timezone.now()
    for name, short, slug, positions, proposals in BODIES:
        body, created = Body.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "takes_positions": positions,
                "makes_proposals": proposals,
            },
        )
        if created:
            # Historical models in migrations send no signals: write the audit row here.
            HistoricalBody.objects.create(
                id=body.id,
                name=name,
                short_name=short,
                slug=slug,
                takes_positions=positions,
                makes_proposals=proposals,
                is_active=True,
                history_date=now,
                history_type="+",
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
