"""The one way the application's role removes history: the history of a
record already disposed of (its tombstone kept, the record gone). Defined by
the owner, SECURITY DEFINER, so the application's role needs no DELETE on the
history tables (common/db/roles.py grants it EXECUTE on this alone)."""

from django.db import migrations

# pgtrigger's append-only triggers on the two history tables, stepped over
# for the length of the function only (SET ... on the function).
_IGNORED = "{pgtrigger_append_only_2a71f,pgtrigger_append_only_d8318}"

CREATE = f"""
CREATE OR REPLACE FUNCTION public.intelligence_history_dispose(disposed bigint)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
SET pgtrigger.ignore = '{_IGNORED}'
AS $$
DECLARE removed bigint;
DECLARE links bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM intelligence_intelligencerecord WHERE id = disposed)
     OR NOT EXISTS (SELECT 1 FROM intelligence_recordreview
                    WHERE record_id = disposed AND decision = 'dispose') THEN
    RAISE EXCEPTION 'Record % has not been disposed of: its history stays.',
      disposed USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM intelligence_intelligencerecordevent WHERE pgh_obj_id = disposed;
  GET DIAGNOSTICS removed = ROW_COUNT;
  DELETE FROM intelligence_intelligencelocationlinkevent WHERE record_id = disposed;
  GET DIAGNOSTICS links = ROW_COUNT;
  RETURN removed + links;
END;
$$;
REVOKE ALL ON FUNCTION public.intelligence_history_dispose(bigint) FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0005_merge_20261129_1558")]

    operations = [
        migrations.RunSQL(
            CREATE,
            "DROP FUNCTION IF EXISTS public.intelligence_history_dispose(bigint);",
        )
    ]
