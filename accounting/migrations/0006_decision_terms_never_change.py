"""A formal decision's terms never change once recorded: amount, date, reference, decision-maker, the
initiative, fund and position it rests on. A wrong decision is followed by a new one, never edited. Only
the attached document may still be replaced. Rows were already never deleted (0002)."""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION accounting_decision_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'document') IS DISTINCT FROM (to_jsonb(OLD) - 'document') THEN
    RAISE EXCEPTION 'DGR: the terms of decision % are never changed (record a new decision)', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER accounting_decision_refuse_change BEFORE UPDATE ON accounting_decision
  FOR EACH ROW EXECUTE FUNCTION accounting_decision_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounting_decision_refuse_change ON accounting_decision;
DROP FUNCTION IF EXISTS accounting_decision_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("accounting", "0005_decision_rests_on_position")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
