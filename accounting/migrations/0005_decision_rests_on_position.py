"""A decision rests on Värmlandsrådet's consensus position on its initiative (required, issue 5).

Added nullable, filled for existing decisions with the initiative's latest consensus position, then made
required. A decision whose initiative has no consensus position stops the migration: that decision was
recorded on nothing, and someone must look at it before the ledger can say what it rests on.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_positions(apps, schema_editor):
    Decision = apps.get_model("accounting", "Decision")
    HistoricalDecision = apps.get_model("accounting", "HistoricalDecision")
    Position = apps.get_model("council", "Position")
    orphans = []
    for decision in Decision.objects.filter(position__isnull=True).order_by("pk"):
        position = (
            Position.objects.filter(initiative_id=decision.initiative_id, outcome="consensus")
            .order_by("-taken_at", "-pk")
            .first()
        )
        if position is None:
            orphans.append(f"{decision.reference} (beslut {decision.pk}, initiativ {decision.initiative_id})")
            continue
        decision.position_id = position.pk
        decision.save(update_fields=["position"])
        HistoricalDecision.objects.filter(id=decision.pk, position__isnull=True).update(position_id=position.pk)
    if orphans:
        raise RuntimeError(
            "Beslut utan Värmlandsrådets ställningstagande i konsensus för sitt initiativ: "
            + ", ".join(orphans)
            + ". Registrera ställningstagandet (eller rätta beslutet) innan migreringen körs igen."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0004_commitment_matches_decision"),
        ("council", "0005_per_capsulam"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="position",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="council.position",
                verbose_name="Värmlandsrådets ställningstagande",
            ),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="position",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="council.position",
                verbose_name="Värmlandsrådets ställningstagande",
            ),
        ),
        migrations.RunPython(fill_positions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="position",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="decisions",
                to="council.position",
                verbose_name="Värmlandsrådets ställningstagande",
            ),
        ),
    ]
