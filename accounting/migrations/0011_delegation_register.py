"""The delegation register (issue 12): points of Region Värmland's delegation order, versioned, that a
formal decision refers to instead of free text; a decision's outcome (granted or rejected).

The database defends the register too: a decision above its point's amount limit, or outside the point's
validity, is refused on INSERT; a point's version is never changed (only its end date, set once) and never
deleted.

Existing free-text points are mapped to register points made from the distinct texts (one point per text,
from the day of its first decision, without an amount limit: the limit was never recorded). The terms of a
decision never change (0006/0009), so the trigger is set aside for this one mapping, as the owner.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

SQL = r"""
CREATE OR REPLACE FUNCTION accounting_decision_within_delegation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  point accounting_delegationpoint%ROWTYPE;
BEGIN
  IF NEW.delegation_point_id IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT * INTO point FROM accounting_delegationpoint WHERE id = NEW.delegation_point_id;
  IF point.amount_limit IS NOT NULL AND NEW.amount > point.amount_limit THEN
    RAISE EXCEPTION 'DGR: decision amount % exceeds the limit % of delegation point %',
      NEW.amount, point.amount_limit, point.code USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.decided_on < point.valid_from OR (point.valid_to IS NOT NULL AND NEW.decided_on > point.valid_to) THEN
    RAISE EXCEPTION 'DGR: delegation point % is not valid on %', point.code, NEW.decided_on
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounting_decision_within_delegation BEFORE INSERT ON accounting_decision
  FOR EACH ROW EXECUTE FUNCTION accounting_decision_within_delegation();

CREATE OR REPLACE FUNCTION accounting_delegationpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'DGR: delegation point % is never deleted (end it instead)', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF (to_jsonb(NEW) - 'valid_to') IS DISTINCT FROM (to_jsonb(OLD) - 'valid_to')
     OR (OLD.valid_to IS NOT NULL AND NEW.valid_to IS DISTINCT FROM OLD.valid_to) THEN
    RAISE EXCEPTION 'DGR: delegation point % is never changed (add a new version)', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounting_delegationpoint_refuse_change BEFORE UPDATE OR DELETE ON accounting_delegationpoint
  FOR EACH ROW EXECUTE FUNCTION accounting_delegationpoint_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounting_decision_within_delegation ON accounting_decision;
DROP FUNCTION IF EXISTS accounting_decision_within_delegation();
DROP TRIGGER IF EXISTS accounting_delegationpoint_refuse_change ON accounting_delegationpoint;
DROP FUNCTION IF EXISTS accounting_delegationpoint_refuse_change();
"""


def points_from_free_text(apps, schema_editor):
    Decision = apps.get_model("accounting", "Decision")
    HistoricalDecision = apps.get_model("accounting", "HistoricalDecision")
    DelegationPoint = apps.get_model("accounting", "DelegationPoint")
    decisions = list(Decision.objects.exclude(delegation_point_text="").order_by("decided_on", "id"))
    if not decisions:
        return
    points = {}
    for decision in decisions:
        code = decision.delegation_point_text.strip()
        if code not in points:
            points[code] = DelegationPoint.objects.create(
                code=code,
                description="Punkten fördes in som fritext i tidigare beslut; beskrivning och beloppsgräns "
                "saknas och läggs till i en ny version.",
                maker_kind=decision.maker_kind,
                maker_name=decision.maker_name,
                amount_limit=None,
                valid_from=decision.decided_on,
                created_by_id=decision.recorded_by_id,
            )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("ALTER TABLE accounting_decision DISABLE TRIGGER accounting_decision_refuse_change")
    for decision in decisions:
        decision.delegation_point = points[decision.delegation_point_text.strip()]
        decision.save(update_fields=["delegation_point"])
    for row in HistoricalDecision.objects.exclude(delegation_point_text=""):
        point = points.get(row.delegation_point_text.strip())
        if point is not None:
            row.delegation_point_id = point.pk
            row.save(update_fields=["delegation_point"])
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE accounting_decision ENABLE TRIGGER accounting_decision_refuse_change")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):

    dependencies = [
        ('accounting', '0010_balance_reads_only_open_years'),
        ('council', '0006_meeting_imported_and_signed_minutes_refuse_inserts'),
        ('initiatives', '0006_initiative_queue_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DelegationPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Till exempel 3.2.1.', max_length=50, verbose_name='punkt')),
                ('description', models.TextField(max_length=2000, verbose_name='beskrivning')),
                ('maker_kind', models.CharField(choices=[('board', 'Regionstyrelsen'), ('committee', 'Nämnd eller utskott'), ('delegate', 'Delegat (tjänsteperson)')], max_length=20, verbose_name='beslutsfattare')),
                ('maker_name', models.CharField(help_text='Funktion eller person, till exempel regiondirektören.', max_length=200, verbose_name='delegat')),
                ('amount_limit', models.DecimalField(blank=True, decimal_places=2, help_text='Tomt: ingen beloppsgräns i punkten.', max_digits=15, null=True, verbose_name='beloppsgräns')),
                ('valid_from', models.DateField(verbose_name='gäller från')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='gäller till och med')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
            ],
            options={
                'verbose_name': 'delegationspunkt',
                'verbose_name_plural': 'delegationspunkter',
                'ordering': ['code', '-valid_from'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalDelegationPoint',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.CharField(help_text='Till exempel 3.2.1.', max_length=50, verbose_name='punkt')),
                ('description', models.TextField(max_length=2000, verbose_name='beskrivning')),
                ('maker_kind', models.CharField(choices=[('board', 'Regionstyrelsen'), ('committee', 'Nämnd eller utskott'), ('delegate', 'Delegat (tjänsteperson)')], max_length=20, verbose_name='beslutsfattare')),
                ('maker_name', models.CharField(help_text='Funktion eller person, till exempel regiondirektören.', max_length=200, verbose_name='delegat')),
                ('amount_limit', models.DecimalField(blank=True, decimal_places=2, help_text='Tomt: ingen beloppsgräns i punkten.', max_digits=15, null=True, verbose_name='beloppsgräns')),
                ('valid_from', models.DateField(verbose_name='gäller från')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='gäller till och med')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='skapad')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical delegationspunkt',
                'verbose_name_plural': 'historical delegationspunkter',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveConstraint(
            model_name='decision',
            name='decision_amount_positive',
        ),
        migrations.AddField(
            model_name='decision',
            name='outcome',
            field=models.CharField(choices=[('granted', 'Beviljas'), ('rejected', 'Avslås')], default='granted', max_length=20, verbose_name='beslut'),
        ),
        migrations.AddField(
            model_name='historicaldecision',
            name='outcome',
            field=models.CharField(choices=[('granted', 'Beviljas'), ('rejected', 'Avslås')], default='granted', max_length=20, verbose_name='beslut'),
        ),
        migrations.AddField(
            model_name='delegationpoint',
            name='created_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='skapad av'),
        ),
        migrations.AddField(
            model_name='delegationpoint',
            name='replaces',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaced_by', to='accounting.delegationpoint', verbose_name='ersätter'),
        ),
        # The free-text point becomes a reference to the register: keep the text aside, add the reference,
        # map each distinct text to a register point made from it, then drop the text.
        migrations.RenameField(model_name='decision', old_name='delegation_point', new_name='delegation_point_text'),
        migrations.RenameField(
            model_name='historicaldecision', old_name='delegation_point', new_name='delegation_point_text'
        ),
        migrations.AddField(
            model_name='decision',
            name='delegation_point',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='accounting.delegationpoint', verbose_name='punkt i delegationsordningen'),
        ),
        migrations.AddField(
            model_name='historicaldecision',
            name='delegation_point',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounting.delegationpoint', verbose_name='punkt i delegationsordningen'),
        ),
        migrations.RunPython(points_from_free_text, migrations.RunPython.noop),
        migrations.RemoveField(model_name='decision', name='delegation_point_text'),
        migrations.RemoveField(model_name='historicaldecision', name='delegation_point_text'),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('outcome', 'granted')), models.Q(('amount', 0), ('outcome', 'rejected')), _connector='OR'), name='decision_amount_matches_outcome'),
        ),
        migrations.AddField(
            model_name='historicaldelegationpoint',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='skapad av'),
        ),
        migrations.AddField(
            model_name='historicaldelegationpoint',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaldelegationpoint',
            name='replaces',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounting.delegationpoint', verbose_name='ersätter'),
        ),
        migrations.AddConstraint(
            model_name='delegationpoint',
            constraint=models.UniqueConstraint(fields=('code', 'valid_from'), name='delegation_point_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='delegationpoint',
            constraint=models.CheckConstraint(condition=models.Q(('amount_limit__isnull', True), ('amount_limit__gt', 0), _connector='OR'), name='delegation_point_limit_positive'),
        ),
        migrations.AddConstraint(
            model_name='delegationpoint',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='delegation_point_dates'),
        ),
        migrations.AddConstraint(
            model_name='delegationpoint',
            constraint=models.CheckConstraint(condition=models.Q(('maker_kind__in', ['board', 'committee', 'delegate'])), name='delegation_point_maker_kind_known'),
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
