"""Parties and people are never deleted: the database refuses it, whatever the caller."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION dgr_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'DGR: rows of % are never deleted (deactivate instead)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;
CREATE TRIGGER people_party_refuse_delete BEFORE DELETE ON people_party
    FOR EACH ROW EXECUTE FUNCTION dgr_refuse_delete();
CREATE TRIGGER people_user_refuse_delete BEFORE DELETE ON people_user
    FOR EACH ROW EXECUTE FUNCTION dgr_refuse_delete();
"""

REVERSE = """
DROP TRIGGER IF EXISTS people_user_refuse_delete ON people_user;
DROP TRIGGER IF EXISTS people_party_refuse_delete ON people_party;
DROP FUNCTION IF EXISTS dgr_refuse_delete();
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0003_roles")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
