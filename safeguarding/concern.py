"""Places named in CSE screenings are protective-concern locations: the hot
spots (analysis.selectors.hotspots) weigh a location's score up when a
screening in the period named it. The rule's one home."""

# A location named in at least one screening in the period scores this
# many times its records' weight.
PROTECTIVE_CONCERN_FACTOR = 1.5


def screening_named_sql() -> str:
    """A CTE body: per location, how many screenings in the period
    [%(start)s, %(end)s) named it."""
    return """
        SELECT m.location_id, count(DISTINCT m.screening_id) AS n
        FROM safeguarding_screeningmention m
        JOIN safeguarding_screening sc ON sc.id = m.screening_id
        WHERE m.location_id IS NOT NULL
          AND sc.screened_at >= %(start)s AND sc.screened_at < %(end)s
        GROUP BY m.location_id
    """
