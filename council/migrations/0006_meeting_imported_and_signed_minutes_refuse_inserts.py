"""Signed minutes cannot grow either (review of issue 10): 0003 refused UPDATE and DELETE on signed
minutes, but not INSERT, so a new item, stance, position or paragraph could still be added to minutes
signed in DGR. The database now refuses INSERT into the minutes' tables when the meeting is signed,
unless the meeting is `imported`: a meeting `position_import` created for minutes signed on paper before
DGR, to which the import adds that day's positions one by one.

Meetings the import already created are marked from their own creation history row (change reason
"importerat sammanträde", written only by `position_import`). The meeting's lock trigger is switched off
for that one statement only: the flag states how the row was created, it changes nothing in the minutes.
"""

from django.db import migrations, models

# table -> SQL expression giving the meeting id of NEW
GUARDED = {
    "council_agendaitem": "NEW.meeting_id",
    "council_attendance": "NEW.meeting_id",
    "council_stance": "(SELECT meeting_id FROM council_agendaitem WHERE id = NEW.item_id)",
    "council_position": "NEW.meeting_id",
    "council_paragraph": "NEW.meeting_id",
    "council_minutesadjuster": "NEW.meeting_id",
}

TRIGGERS = "\n".join(
    f"""
CREATE OR REPLACE FUNCTION {table}_refuse_insert_when_signed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM council_meeting WHERE id = {meeting} AND status = 'minutes_signed' AND NOT imported
    ) THEN
        RAISE EXCEPTION 'DGR: the minutes are signed: no new row in %', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER {table}_no_insert_when_signed BEFORE INSERT ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_refuse_insert_when_signed();
"""
    for table, meeting in GUARDED.items()
)

DROP_TRIGGERS = "\n".join(
    f"DROP TRIGGER IF EXISTS {t}_no_insert_when_signed ON {t};"
    f" DROP FUNCTION IF EXISTS {t}_refuse_insert_when_signed();"
    for t in GUARDED
)

MARK_IMPORTED = """
ALTER TABLE council_meeting DISABLE TRIGGER council_meeting_locked_when_signed;
UPDATE council_meeting SET imported = true WHERE id IN (
    SELECT id FROM council_historicalmeeting
    WHERE history_type = '+' AND history_change_reason = 'importerat sammanträde'
);
ALTER TABLE council_meeting ENABLE TRIGGER council_meeting_locked_when_signed;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0005_per_capsulam"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmeeting",
            name="imported",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="importerat ur tidigare protokoll"
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="imported",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="importerat ur tidigare protokoll"
            ),
        ),
        migrations.RunSQL(MARK_IMPORTED, migrations.RunSQL.noop),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
    ]
