"""The one way the application's role removes a subject's history: after a
recorded disposal (people.services.subject_review_dispose), as
intelligence_history_dispose does for records. Defined by the owner,
SECURITY DEFINER; the application's role gets EXECUTE on this alone
(common/db/roles.py)."""

from django.db import migrations

# pghistory's append-only trigger on the subject history table, stepped over
# for the length of the function only.
_IGNORED = "{pgtrigger_append_only_3fcb6}"

CREATE = f"""
CREATE OR REPLACE FUNCTION public.people_history_dispose(disposed bigint)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = public, pg_temp
SET pgtrigger.ignore = '{_IGNORED}'
AS $$
DECLARE removed bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM people_subject WHERE id = disposed)
     OR NOT EXISTS (SELECT 1 FROM people_subjectreview
                    WHERE subject_id = disposed AND decision = 'dispose') THEN
    RAISE EXCEPTION 'Subject % has not been disposed of: its history stays.',
      disposed USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM people_subjectevent WHERE pgh_obj_id = disposed;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END;
$$;
REVOKE ALL ON FUNCTION public.people_history_dispose(bigint) FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("people", "0006_subject_reviews")]

    operations = [
        migrations.RunSQL(
            CREATE, "DROP FUNCTION IF EXISTS public.people_history_dispose(bigint);"
        )
    ]
