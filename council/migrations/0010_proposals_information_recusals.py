"""Issue 12: VRAU may propose rejection (no amount) as well as support (an amount); information items
(anmälningsärenden) are noted without stances; a person's jäv in an item (Recusal) is recorded and, like
the rest of the minutes, locked once they are signed: the database refuses INSERT, UPDATE and DELETE of a
recusal in signed minutes (0003 and 0006 did the same for the other tables of the minutes)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models



LOCK_RECUSALS = r"""
CREATE OR REPLACE FUNCTION council_recusal_refuse_when_signed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    item_id bigint;
BEGIN
    item_id := CASE WHEN TG_OP = 'INSERT' THEN NEW.item_id ELSE OLD.item_id END;
    IF EXISTS (
        SELECT 1 FROM council_meeting m JOIN council_agendaitem i ON i.meeting_id = m.id
        WHERE i.id = item_id AND m.status = 'minutes_signed'
    ) THEN
        RAISE EXCEPTION 'DGR: the minutes are signed: their jäv records cannot change'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER council_recusal_locked_when_signed BEFORE INSERT OR UPDATE OR DELETE ON council_recusal
    FOR EACH ROW EXECUTE FUNCTION council_recusal_refuse_when_signed();
"""

UNLOCK_RECUSALS = """
DROP TRIGGER IF EXISTS council_recusal_locked_when_signed ON council_recusal;
DROP FUNCTION IF EXISTS council_recusal_refuse_when_signed();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('council', '0009_protocol_integrity'),
        ('initiatives', '0006_initiative_queue_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRecusal',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('ground', models.CharField(blank=True, help_text='Till exempel styrelseuppdrag i sökande.', max_length=500, verbose_name='grund för jävet')),
                ('recorded_at', models.DateTimeField(blank=True, editable=False, verbose_name='registrerat')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical anmält jäv',
                'verbose_name_plural': 'historical anmälda jäv',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='Recusal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ground', models.CharField(blank=True, help_text='Till exempel styrelseuppdrag i sökande.', max_length=500, verbose_name='grund för jävet')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='registrerat')),
            ],
            options={
                'verbose_name': 'anmält jäv',
                'verbose_name_plural': 'anmälda jäv',
                'ordering': ['item', 'recorded_at'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='agendaitem',
            name='council_item_kind_matches_initiative',
        ),
        migrations.RemoveConstraint(
            model_name='proposal',
            name='council_proposal_amount_positive',
        ),
        migrations.AddField(
            model_name='historicalproposal',
            name='recommendation',
            field=models.CharField(choices=[('support', 'Stå bakom initiativet'), ('reject', 'Inte stå bakom initiativet (avslag)')], default='support', max_length=20, verbose_name='VRAU föreslår'),
        ),
        migrations.AddField(
            model_name='proposal',
            name='recommendation',
            field=models.CharField(choices=[('support', 'Stå bakom initiativet'), ('reject', 'Inte stå bakom initiativet (avslag)')], default='support', max_length=20, verbose_name='VRAU föreslår'),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='kind',
            field=models.CharField(choices=[('initiative', 'Initiativ'), ('other', 'Övrigt ärende'), ('information', 'Anmälningsärende')], max_length=20, verbose_name='typ'),
        ),
        migrations.AlterField(
            model_name='historicalagendaitem',
            name='kind',
            field=models.CharField(choices=[('initiative', 'Initiativ'), ('other', 'Övrigt ärende'), ('information', 'Anmälningsärende')], max_length=20, verbose_name='typ'),
        ),
        migrations.AlterField(
            model_name='historicalproposal',
            name='proposed_amount',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=15, null=True, verbose_name='föreslaget belopp'),
        ),
        migrations.AlterField(
            model_name='proposal',
            name='proposed_amount',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=15, null=True, verbose_name='föreslaget belopp'),
        ),
        migrations.AddConstraint(
            model_name='agendaitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('initiative__isnull', False), ('kind', 'initiative')), models.Q(('initiative__isnull', True), ('kind__in', ['other', 'information'])), _connector='OR'), name='council_item_kind_matches_initiative'),
        ),
        migrations.AddConstraint(
            model_name='proposal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('proposed_amount__gt', 0), ('recommendation', 'support')), models.Q(('proposed_amount__isnull', True), ('recommendation', 'reject')), _connector='OR'), name='council_proposal_amount_matches_recommendation'),
        ),
        migrations.AddField(
            model_name='historicalrecusal',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalrecusal',
            name='item',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='council.agendaitem', verbose_name='ärende'),
        ),
        migrations.AddField(
            model_name='historicalrecusal',
            name='person',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person'),
        ),
        migrations.AddField(
            model_name='historicalrecusal',
            name='recorded_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registrerat av'),
        ),
        migrations.AddField(
            model_name='recusal',
            name='item',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recusals', to='council.agendaitem', verbose_name='ärende'),
        ),
        migrations.AddField(
            model_name='recusal',
            name='person',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='person'),
        ),
        migrations.AddField(
            model_name='recusal',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registrerat av'),
        ),
        migrations.AddConstraint(
            model_name='recusal',
            constraint=models.UniqueConstraint(fields=('item', 'person'), name='council_recusal_once'),
        ),
        migrations.RunSQL(LOCK_RECUSALS, UNLOCK_RECUSALS),
    ]
