"""A decision's document is kept with its display name and content type (0008): replacing the document
changes all three columns, and nothing else of the decision may change (0006)."""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION accounting_decision_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'document' - 'document_name' - 'document_type')
     IS DISTINCT FROM (to_jsonb(OLD) - 'document' - 'document_name' - 'document_type') THEN
    RAISE EXCEPTION 'DGR: the terms of decision % are never changed (record a new decision)', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
"""

REVERSE = r"""
CREATE OR REPLACE FUNCTION accounting_decision_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) - 'document') IS DISTINCT FROM (to_jsonb(OLD) - 'document') THEN
    RAISE EXCEPTION 'DGR: the terms of decision % are never changed (record a new decision)', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("accounting", "0008_decision_document_generated_name")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
