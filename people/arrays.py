"""The records' vehicle_marks and subject_refs arrays as Vehicle and Subject
rows and mention links, in SQL so it runs as one statement per step however
many records there are: the data migration (people/migrations/0002) and the
demo city's loader. Idempotent: it can run again and adds only what is
missing (the migration test runs it on its own records).

Marks are normalised as people.registration does (upper case, no spaces or
hyphens) and keep the format they match; a mark no UK format knows is kept
as written, flagged 'unvalidated'. A subject reference becomes a profile
('witness or other', age and sex not known) keeping the reference as its
former_ref, with the latest review date of the records naming it.
"""

from .registration import FORMATS, MarkFormat

_NORM = "upper(regexp_replace(m, '[[:space:]-]+', '', 'g'))"
_KEPT = f"left(coalesce(nullif({_NORM}, ''), m), 16)"


def _format_case(column: str) -> str:
    arms = " ".join(
        f"WHEN {column} ~ '^({pattern.pattern})$' THEN '{fmt.value}'"
        for fmt, pattern in FORMATS
    )
    return f"CASE WHEN length({column}) > 16 THEN '{MarkFormat.UNVALIDATED.value}' {arms} ELSE '{MarkFormat.UNVALIDATED.value}' END"


def arrays_sql(source: str = "intelligence_intelligencerecord") -> list[str]:
    """The statements, reading the records from `source` (the table, or a
    trigger's transition table of the rows just written)."""
    return [
        f"""
    INSERT INTO people_vehicle (registration, mark_format, make, model, colour,
                                plate_kind, plate_number, created_at, updated_at)
    SELECT reg, {_format_case("reg")}, '', '', '', '', '', now(), now()
    FROM (SELECT DISTINCT {_KEPT} AS reg
          FROM {source} r, unnest(r.vehicle_marks) AS m
         ) AS marks
    ON CONFLICT (registration) DO NOTHING
    """,
        f"""
    INSERT INTO people_link (link_type, record_id, vehicle_id, created_at)
    SELECT DISTINCT 'mentions', r.id, v.id, now()
    FROM {source} r, unnest(r.vehicle_marks) AS m
    JOIN people_vehicle v ON v.registration = {_KEPT}
    ON CONFLICT DO NOTHING
    """,
        f"""
    INSERT INTO people_subject (reference, kind, age_band, sex, descriptors,
                                agency, system_ref, former_ref, review_date,
                                forum, created_at, updated_at)
    SELECT 'S-' || extract(year FROM now())::int || '-'
               || lpad(nextval('people_subject_reference_seq')::text, 6, '0'),
           'other', 'unknown', 'unknown', '', '', '', ref, review_date, '',
           now(), now()
    FROM (SELECT s AS ref, max(r.review_date) AS review_date
          FROM {source} r, unnest(r.subject_refs) AS s
          WHERE NOT EXISTS (SELECT 1 FROM people_subject p WHERE p.former_ref = s)
          GROUP BY s ORDER BY s) AS refs
    ON CONFLICT (former_ref) WHERE former_ref <> '' DO NOTHING
    """,
        f"""
    INSERT INTO people_link (link_type, record_id, subject_id, created_at)
    SELECT DISTINCT 'mentions', r.id, p.id, now()
    FROM {source} r, unnest(r.subject_refs) AS s
    JOIN people_subject p ON p.former_ref = s
    ON CONFLICT DO NOTHING
    """,
        f"""
    INSERT INTO people_linkrecord (link_id, record_id)
    SELECT l.id, l.record_id FROM people_link l
    WHERE l.link_type = 'mentions'
      AND l.record_id IN (SELECT id FROM {source})
    ON CONFLICT DO NOTHING
    """,
    ]


def arrays_to_rows(cursor) -> None:
    for statement in arrays_sql():
        cursor.execute(statement)


# Records written from now on get theirs at once, however they are written
# (the intake form, the API, a merge in triage, an import, the admin): a
# statement-level trigger on the records reads the rows just written.
TRIGGER_FUNCTION = "people_record_mentions"
TRIGGERS = {
    "INSERT": "people_mentions_on_insert",
    "UPDATE": "people_mentions_on_update",
}


def trigger_sql() -> str:
    body = ";\n".join(s.strip() for s in arrays_sql("new_records"))
    creates = "\n".join(
        f"""
        CREATE TRIGGER {name}
        AFTER {op} ON intelligence_intelligencerecord
        REFERENCING NEW TABLE AS new_records
        FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_FUNCTION}();"""
        for op, name in TRIGGERS.items()
    )
    return f"""
        CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
        {body};
        RETURN NULL;
        END;
        $$;
        {creates}
    """


def trigger_drop_sql() -> str:
    drops = " ".join(
        f"DROP TRIGGER IF EXISTS {name} ON intelligence_intelligencerecord;"
        for name in TRIGGERS.values()
    )
    return f"{drops} DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}();"


# A mark or reference taken off a record (triage, a record's edit, the API,
# the admin) takes its mention with it: the record's citation of the mention
# link goes, and with the last citation the link (LinkRecord's trigger). One
# statement-level trigger on updates, comparing the rows before and after.
REMOVED_FUNCTION = "people_record_mentions_removed"
REMOVED_TRIGGER = "people_mentions_removed_on_update"


def removed_sql(old: str = "old_records", new: str = "new_records") -> str:
    """The citations of records' mention links whose mark or reference the
    update took off the record."""
    return f"""
    DELETE FROM people_linkrecord lr
    USING people_link l
    WHERE lr.link_id = l.id
      AND lr.record_id = l.record_id
      AND l.link_type = 'mentions'
      AND (
        (l.vehicle_id, l.record_id) IN (
          SELECT v.id, gone.record_id
          FROM (SELECT o.id AS record_id, {_KEPT} AS reg
                FROM {old} o, unnest(o.vehicle_marks) AS m
                EXCEPT
                SELECT n.id, {_KEPT}
                FROM {new} n, unnest(n.vehicle_marks) AS m) AS gone
          JOIN people_vehicle v ON v.registration = gone.reg
        )
        OR (l.subject_id, l.record_id) IN (
          SELECT p.id, gone.record_id
          FROM (SELECT o.id AS record_id, s AS ref
                FROM {old} o, unnest(o.subject_refs) AS s
                EXCEPT
                SELECT n.id, s FROM {new} n, unnest(n.subject_refs) AS s) AS gone
          JOIN people_subject p ON p.former_ref = gone.ref
        )
      )
    """


def removed_trigger_sql() -> str:
    return f"""
        CREATE OR REPLACE FUNCTION {REMOVED_FUNCTION}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
        {removed_sql().strip()};
        RETURN NULL;
        END;
        $$;
        CREATE TRIGGER {REMOVED_TRIGGER}
        AFTER UPDATE ON intelligence_intelligencerecord
        REFERENCING OLD TABLE AS old_records NEW TABLE AS new_records
        FOR EACH STATEMENT EXECUTE FUNCTION {REMOVED_FUNCTION}();
    """


def removed_trigger_drop_sql() -> str:
    return (
        f"DROP TRIGGER IF EXISTS {REMOVED_TRIGGER} ON intelligence_intelligencerecord;"
        f" DROP FUNCTION IF EXISTS {REMOVED_FUNCTION}();"
    )
