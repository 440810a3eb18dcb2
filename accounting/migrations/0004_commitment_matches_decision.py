"""A commitment belongs to its decision's fund and initiative, and draws on a capital part of that fund."""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION accounting_commitment_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d record;
BEGIN
    SELECT fund_id, initiative_id INTO d FROM accounting_decision WHERE id = NEW.decision_id;
    IF d.fund_id <> NEW.fund_id OR d.initiative_id <> NEW.initiative_id THEN
        RAISE EXCEPTION 'DGR: a commitment belongs to its decision''s fund and initiative'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM accounting_capitalpart WHERE id = NEW.capital_part_id AND fund_id = NEW.fund_id) THEN
        RAISE EXCEPTION 'DGR: the capital part belongs to another fund' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER accounting_commitment_before_insert BEFORE INSERT ON accounting_commitment
    FOR EACH ROW EXECUTE FUNCTION accounting_commitment_before_insert();
"""

REVERSE = """
DROP TRIGGER IF EXISTS accounting_commitment_before_insert ON accounting_commitment;
DROP FUNCTION IF EXISTS accounting_commitment_before_insert();
"""


class Migration(migrations.Migration):
    dependencies = [("accounting", "0003_line_without_default_ordering")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
