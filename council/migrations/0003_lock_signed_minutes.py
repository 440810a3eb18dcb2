"""Signed minutes cannot change: the database refuses UPDATE and DELETE on a signed meeting and on its
items, attendance, stances, paragraphs and adjusters, whatever the caller (the services refuse too).
Positions are append-only altogether: the ledger's formal decisions refer to them. (No TRUNCATE
trigger: the test suite's flush truncates every table.)"""

from django.db import migrations

# table -> SQL expression giving the meeting id of OLD
LOCKED = {
    "council_agendaitem": "OLD.meeting_id",
    "council_attendance": "OLD.meeting_id",
    "council_paragraph": "OLD.meeting_id",
    "council_minutesadjuster": "OLD.meeting_id",
    "council_stance": "(SELECT meeting_id FROM council_agendaitem WHERE id = OLD.item_id)",
}

FUNCTIONS = "\n".join(
    f"""
CREATE OR REPLACE FUNCTION {table}_refuse_when_signed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM council_meeting WHERE id = {meeting} AND status = 'minutes_signed') THEN
        RAISE EXCEPTION 'DGR: % belongs to signed minutes and cannot change', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER {table}_locked_when_signed BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_when_signed();
"""
    for table, meeting in LOCKED.items()
)

SQL = FUNCTIONS + """
CREATE OR REPLACE FUNCTION council_meeting_refuse_when_signed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'minutes_signed' THEN
        RAISE EXCEPTION 'DGR: the minutes of meeting % are signed and cannot change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER council_meeting_locked_when_signed BEFORE UPDATE OR DELETE ON council_meeting
    FOR EACH ROW EXECUTE FUNCTION council_meeting_refuse_when_signed();

CREATE OR REPLACE FUNCTION council_position_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'DGR: council positions are append-only' USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER council_position_append_only BEFORE UPDATE OR DELETE ON council_position
    FOR EACH ROW EXECUTE FUNCTION council_position_refuse_change();
"""

REVERSE = "\n".join(
    f"DROP TRIGGER IF EXISTS {t}_locked_when_signed ON {t}; DROP FUNCTION IF EXISTS {t}_refuse_when_signed();"
    for t in [*LOCKED, "council_meeting"]
) + """
DROP TRIGGER IF EXISTS council_position_append_only ON council_position;
DROP FUNCTION IF EXISTS council_position_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("council", "0002_bodies_rules_agreement")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
