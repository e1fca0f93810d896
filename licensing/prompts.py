"""Prompting the licensing officer who holds a licence when new intelligence
mentions the licensed vehicle: "new intelligence concerns a vehicle you
license; contact the police single point of contact".

A statement-level trigger on the mention links (people_link), which the
records' own trigger writes however a record is written (people/arrays.py):
the intake form, the API, triage, an import. It writes one prompt per
officer, licence and record, with no record content; the officer is the
vehicle's, else its driver's.
"""

TRIGGER_FUNCTION = "licensing_prompt_on_mention"
TRIGGER = "licensing_prompt_on_link_insert"

PROMPT_TRIGGER_SQL = f"""
    CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
    INSERT INTO licensing_licensingprompt
        (officer_id, licensed_vehicle_id, record_id, created_at)
    SELECT DISTINCT coalesce(lv.officer_id, d.officer_id), lv.id, l.record_id, now()
    FROM new_links l
    JOIN licensing_licensedvehicle lv ON lv.vehicle_id = l.vehicle_id
    LEFT JOIN licensing_driver d ON d.id = lv.driver_id
    WHERE l.record_id IS NOT NULL
      AND coalesce(lv.officer_id, d.officer_id) IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
    END;
    $$;
    CREATE TRIGGER {TRIGGER}
    AFTER INSERT ON people_link
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}();
"""
PROMPT_TRIGGER_DROP_SQL = (
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON people_link; "
    f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}();"
)
