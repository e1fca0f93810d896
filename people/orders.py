"""Orders served on people (CAWN, sexual risk order) carried by subjects.

The legal clock stays the disruption action's (served and end dates, checked
by disruption.legal and listed at the location where it was served); the
subject it was served on carries the action (people.models.SubjectOrder).
Actions served before subjects existed get a person-of-interest profile of
their own, so no order is left without the person it was served on: one SQL
pass, run by people/migrations/0004 and by the demo city's loader.
"""

from .models import ORDER_TYPES, REFERENCE_SEQUENCE

# MoPI: a served order's subject is reviewed six years after it ends.
REVIEW_AFTER = "interval '6 years'"

_TYPES = ", ".join(f"'{t}'" for t in ORDER_TYPES)

ORDERS_TO_SUBJECTS = [
    f"""
    CREATE TEMPORARY TABLE people_unserved ON COMMIT DROP AS
    SELECT a.id AS action_id, a.agency,
           (coalesce(a.expires_at, a.served_at, a.occurred_at) + {REVIEW_AFTER})::date
               AS review_date,
           'S-' || extract(year FROM now())::int || '-'
               || lpad(nextval('{REFERENCE_SEQUENCE}')::text, 6, '0') AS reference
    FROM (SELECT * FROM disruption_disruptionaction
          WHERE action_type IN ({_TYPES})
            AND id NOT IN (SELECT action_id FROM people_subjectorder)
          ORDER BY id) AS a
    """,
    """
    INSERT INTO people_subject (reference, kind, age_band, sex, descriptors,
                                agency, system_ref, former_ref, review_date,
                                forum, created_at, updated_at)
    SELECT reference, 'person_of_interest', 'unknown', 'unknown', '', agency, '',
           '', review_date, '', now(), now()
    FROM people_unserved
    """,
    """
    INSERT INTO people_subjectorder (subject_id, action_id, created_at)
    SELECT s.id, u.action_id, now()
    FROM people_unserved u JOIN people_subject s ON s.reference = u.reference
    """,
    "DROP TABLE people_unserved",
]


def orders_to_subjects(cursor) -> None:
    for statement in ORDERS_TO_SUBJECTS:
        cursor.execute(statement)
