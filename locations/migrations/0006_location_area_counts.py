"""Locations per area (locations.models.LocationAreaCount), kept by
statement-level triggers with transition tables in the writer's own
transaction, and filled from the locations already held."""

from django.db import migrations, models

LOCATIONS = "locations_location"
COUNTS = "locations_locationareacount"


def _rows(source: str, *, sign: int) -> str:
    """A signed row per area of each location in `source` (alias l)."""
    return f"""
        SELECT u.aid AS area_id, {sign} AS n,
               CASE WHEN l.concern_level <> 'none' THEN {sign} ELSE 0 END
                   AS n_flagged
        FROM {source}, unnest(l.area_ids) AS u(aid)"""


def _apply(rows: list[str]) -> str:
    """Add the rows' sums in key order; drop the areas left with none."""
    union = "\nUNION ALL\n".join(rows)
    return f"""
        INSERT INTO {COUNTS} AS c (area_id, n, n_flagged)
        SELECT area_id, sum(n), sum(n_flagged) FROM ({union}) AS d
        GROUP BY area_id
        HAVING sum(n) <> 0 OR sum(n_flagged) <> 0
        ORDER BY area_id
        ON CONFLICT (area_id) DO UPDATE
            SET n = c.n + EXCLUDED.n, n_flagged = c.n_flagged + EXCLUDED.n_flagged;
        DELETE FROM {COUNTS} WHERE n = 0;
    """


def _function(name: str, body: str) -> str:
    return f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
        {body}
        RETURN NULL;
        END
        $$;
    """


# Only the locations whose areas or concern changed.
_CHANGED = """(
    SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.area_ids, o.concern_level) IS DISTINCT FROM (n.area_ids, n.concern_level)
) AS l"""

FUNCTIONS = [
    _function(
        "locations_area_counts_insert", _apply([_rows("new_rows l", sign=1)])
    ),
    _function(
        "locations_area_counts_update",
        _apply(
            [
                _rows(_CHANGED.format(side="o"), sign=-1),
                _rows(_CHANGED.format(side="n"), sign=1),
            ]
        ),
    ),
    _function(
        "locations_area_counts_delete", _apply([_rows("old_rows l", sign=-1)])
    ),
    f"""
    CREATE OR REPLACE FUNCTION locations_area_counts_rebuild() RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
    DELETE FROM {COUNTS};
    {_apply([_rows(f"{LOCATIONS} l", sign=1)])}
    END
    $$;
    """,
    _function(
        "locations_area_counts_truncate", "PERFORM locations_area_counts_rebuild();"
    ),
]
FUNCTION_NAMES = [
    "locations_area_counts_insert()",
    "locations_area_counts_update()",
    "locations_area_counts_delete()",
    "locations_area_counts_truncate()",
    "locations_area_counts_rebuild()",
]
TRIGGERS = [
    ("area_counts_insert", "INSERT", "REFERENCING NEW TABLE AS new_rows"),
    (
        "area_counts_update",
        "UPDATE",
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    ),
    ("area_counts_delete", "DELETE", "REFERENCING OLD TABLE AS old_rows"),
    ("area_counts_truncate", "TRUNCATE", ""),
]


class Migration(migrations.Migration):
    dependencies = [("locations", "0005_postcode_from_imports")]

    operations = [
        migrations.CreateModel(
            name="LocationAreaCount",
            fields=[
                ("area_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("n", models.IntegerField()),
                ("n_flagged", models.IntegerField()),
            ],
            options={"verbose_name": "locations-per-area roll-up row"},
        ),
        migrations.RunSQL(
            "\n".join(FUNCTIONS),
            "\n".join(f"DROP FUNCTION IF EXISTS {f} CASCADE;" for f in FUNCTION_NAMES),
        ),
        *(
            migrations.RunSQL(
                f"CREATE TRIGGER {name} AFTER {event} ON {LOCATIONS} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION "
                f"locations_area_counts_{event.lower()}();",
                f"DROP TRIGGER IF EXISTS {name} ON {LOCATIONS}",
            )
            for name, event, referencing in TRIGGERS
        ),
        migrations.RunSQL(
            "SELECT locations_area_counts_rebuild()", migrations.RunSQL.noop
        ),
    ]
