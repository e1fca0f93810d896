"""Roll-ups for the heat map and the area counts (intelligence.rollups), kept
by statement-level triggers with transition tables in the writer's own
transaction, and filled from the records already held."""

from django.db import migrations, models

# As intelligence/rollups.py has them when this migration was written (a
# migration does not follow later edits of the app's code; the readers check
# rollups.rollup_rules_current() before using the roll-ups).
CELL_M = 100
HALF_LIFE_DAYS = 60
TZ = "Europe/London"
RESTRICTED = ("childrens_home", "residential_concern", "school")

RECORDS = "intelligence_intelligencerecord"
LINKS = "intelligence_intelligencelocationlink"
LOCATIONS = "locations_location"
CELLS = "intelligence_celldaycount"
AREAS = "intelligence_areadaycount"
GRID = "intelligence_rollupcell"

_RESTRICTED_IN = "IN (" + ", ".join(f"'{c}'" for c in RESTRICTED) + ")"
_DAY = f"(r.occurred_from AT TIME ZONE '{TZ}')::date"
_DAY_START = f"({_DAY}::timestamp AT TIME ZONE '{TZ}')"
# 2 ** (time since the start of its local day / half-life): the part of a
# record's age weight that does not depend on the end of the period.
_W = (
    f"power(2::float8, date_part('epoch', r.occurred_from - {_DAY_START}) "
    f"/ 86400.0 / {HALF_LIFE_DAYS})"
)
_CELL_KEY = (
    "day, gy, gx, kind, grading_scheme, source_evaluation, "
    "intelligence_assessment, handling_code, at_restricted"
)
_AREA_KEY = (
    "day, area_id, kind, grading_scheme, source_evaluation, "
    "intelligence_assessment, handling_code"
)
# Where a relation a trigger has no transition table for is named.
_NO_LINKS = "(SELECT NULL::bigint AS id, NULL::bigint AS record_id, NULL::bigint AS location_id WHERE false)"


def _restricted_now(record_id: str) -> str:
    """The record is linked to a restricted location (as the links are now)."""
    return f"""EXISTS (SELECT 1 FROM {LINKS} l
        JOIN {LOCATIONS} loc ON loc.id = l.location_id
        WHERE l.record_id = {record_id} AND loc.category {_RESTRICTED_IN})"""


def _cell_rows(source: str, *, sign: int, restricted: str) -> str:
    """One signed row per graded record with a point in `source` (alias r)."""
    return f"""
        SELECT {_DAY} AS day,
               floor(ST_Y(r.point_bng) / {CELL_M})::int AS gy,
               floor(ST_X(r.point_bng) / {CELL_M})::int AS gx,
               r.kind, r.grading_scheme, r.source_evaluation,
               r.intelligence_assessment, r.handling_code,
               {restricted} AS at_restricted,
               {sign} AS n, {sign} * {_W} AS w
        FROM {source}
        WHERE r.status = 'graded' AND r.point_bng IS NOT NULL"""


def _area_rows(source: str, *, sign: int) -> str:
    """One signed row per area of each graded record in `source` (alias r);
    n_first counts the record in its first area only."""
    return f"""
        SELECT {_DAY} AS day, u.aid AS area_id,
               r.kind, r.grading_scheme, r.source_evaluation,
               r.intelligence_assessment, r.handling_code,
               {sign} AS n, CASE WHEN u.o = 1 THEN {sign} ELSE 0 END AS n_first
        FROM {source}, unnest(r.area_ids) WITH ORDINALITY AS u(aid, o)
        WHERE r.status = 'graded'"""


def _cells_apply(rows: list[str], *, with_sql: str = "") -> str:
    """Add the rows' sums to the cell roll-up; drop the rows left empty. The
    upsert goes in key order, so two writers never wait on each other in
    opposite orders."""
    union = "\nUNION ALL\n".join(rows)
    return f"""
        {with_sql}
        INSERT INTO {CELLS} AS c ({_CELL_KEY}, n, w)
        SELECT {_CELL_KEY}, sum(n), sum(w) FROM ({union}) AS d
        GROUP BY {_CELL_KEY}
        HAVING sum(n) <> 0 OR sum(w) <> 0
        ORDER BY {_CELL_KEY}
        ON CONFLICT ({_CELL_KEY})
        DO UPDATE SET n = c.n + EXCLUDED.n, w = c.w + EXCLUDED.w;
        DELETE FROM {CELLS} WHERE n = 0;
    """


def _areas_apply(rows: list[str], *, with_sql: str = "") -> str:
    union = "\nUNION ALL\n".join(rows)
    return f"""
        {with_sql}
        INSERT INTO {AREAS} AS c ({_AREA_KEY}, n, n_first)
        SELECT {_AREA_KEY}, sum(n), sum(n_first) FROM ({union}) AS d
        GROUP BY {_AREA_KEY}
        HAVING sum(n) <> 0 OR sum(n_first) <> 0
        ORDER BY {_AREA_KEY}
        ON CONFLICT ({_AREA_KEY})
        DO UPDATE SET n = c.n + EXCLUDED.n, n_first = c.n_first + EXCLUDED.n_first;
        DELETE FROM {AREAS} WHERE n = 0;
    """


def _grid_add(source: str) -> str:
    """The cells of `source`'s points (alias r) not yet in the grid table,
    with the WGS84 extent of their four corners."""
    return f"""
        INSERT INTO {GRID} (gx, gy, lon_min, lat_min, lon_max, lat_max)
        SELECT k.gx, k.gy, b.lon_min, b.lat_min, b.lon_max, b.lat_max
        FROM (
            SELECT DISTINCT floor(ST_X(r.point_bng) / {CELL_M})::int AS gx,
                   floor(ST_Y(r.point_bng) / {CELL_M})::int AS gy
            FROM {source} WHERE r.point_bng IS NOT NULL
        ) AS k
        CROSS JOIN LATERAL (
            SELECT min(ST_X(p)) AS lon_min, min(ST_Y(p)) AS lat_min,
                   max(ST_X(p)) AS lon_max, max(ST_Y(p)) AS lat_max
            FROM (
                SELECT ST_Transform(ST_SetSRID(ST_MakePoint(
                    (k.gx + o.dx) * {CELL_M}, (k.gy + o.dy) * {CELL_M}), 27700),
                    4326) AS p
                FROM (VALUES (0, 0), (0, 1), (1, 0), (1, 1)) AS o(dx, dy)
            ) AS q
        ) AS b
        WHERE NOT EXISTS (SELECT 1 FROM {GRID} g WHERE g.gx = k.gx AND g.gy = k.gy)
        ON CONFLICT DO NOTHING;
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


# --- records -----------------------------------------------------------------

RECORD_INSERT = _function(
    "intelligence_rollup_records_insert",
    _grid_add("new_rows r")
    + _cells_apply(
        [_cell_rows("new_rows r", sign=1, restricted=_restricted_now("r.id"))]
    )
    + _areas_apply([_area_rows("new_rows r", sign=1)]),
)

# Only rows whose counted columns changed (a review date, a summary or a
# version moving on changes no roll-up).
_CHANGED = """
    SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (o.status, o.occurred_from, o.kind, o.grading_scheme,
           o.source_evaluation, o.intelligence_assessment, o.handling_code,
           o.area_ids, ST_AsEWKB(o.point_bng))
        IS DISTINCT FROM
          (n.status, n.occurred_from, n.kind, n.grading_scheme,
           n.source_evaluation, n.intelligence_assessment, n.handling_code,
           n.area_ids, ST_AsEWKB(n.point_bng))
"""
_OLD = f"({_CHANGED.format(side='o')}) AS r"
_NEW = f"({_CHANGED.format(side='n')}) AS r"

RECORD_UPDATE = _function(
    "intelligence_rollup_records_update",
    _grid_add(_NEW)
    + _cells_apply(
        [
            _cell_rows(_OLD, sign=-1, restricted=_restricted_now("r.id")),
            _cell_rows(_NEW, sign=1, restricted=_restricted_now("r.id")),
        ]
    )
    + _areas_apply([_area_rows(_OLD, sign=-1), _area_rows(_NEW, sign=1)]),
)

# A record's links are deleted before it is (the foreign key), so it leaves
# the cell roll-up as not at a restricted location, as the links' trigger
# left it.
RECORD_DELETE = _function(
    "intelligence_rollup_records_delete",
    _cells_apply(
        [_cell_rows("old_rows r", sign=-1, restricted=_restricted_now("r.id"))]
    )
    + _areas_apply([_area_rows("old_rows r", sign=-1)]),
)

REBUILD_SQL = f"""
    CREATE OR REPLACE FUNCTION intelligence_rollup_rebuild() RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
    DELETE FROM {CELLS};
    DELETE FROM {AREAS};
    {_grid_add(f"{RECORDS} r")}
    {
    _cells_apply(
        [
            _cell_rows(
                f"{RECORDS} r",
                sign=1,
                restricted=f'''r.id IN (SELECT l.record_id FROM {LINKS} l
                    JOIN {LOCATIONS} loc ON loc.id = l.location_id
                    WHERE loc.category {_RESTRICTED_IN})''',
            )
        ]
    )
}
    {_areas_apply([_area_rows(f"{RECORDS} r", sign=1)])}
    END
    $$;
"""

REBUILD_TRIGGER = _function(
    "intelligence_rollup_rebuild_trigger", "PERFORM intelligence_rollup_rebuild();"
)


# --- links and locations: whether a record is at a restricted location -------


def _flag_change(*, with_sql: str) -> str:
    """Move the records in `flags` (record_id, was, now) whose restricted
    flag changed from the old flag's cell rows to the new one's."""
    source = f"{RECORDS} r JOIN flags f ON f.record_id = r.id AND f.was <> f.now"
    return _cells_apply(
        [
            _cell_rows(source, sign=-1, restricted="f.was"),
            _cell_rows(source, sign=1, restricted="f.now"),
        ],
        with_sql=with_sql,
    )


def _lock_records(ids_sql: str) -> str:
    """Wait for other writers of these records, so that a flag is worked out
    from their committed state, not from a snapshot that misses them (two
    links made at once to one record would otherwise both move it)."""
    return f"""
        PERFORM 1 FROM {RECORDS} r WHERE r.id IN ({ids_sql})
        ORDER BY r.id FOR NO KEY UPDATE;
    """


def _links_function(name: str, *, new: str, old: str, flag_change=_flag_change) -> str:
    # The linked locations are held against a change of category until this
    # transaction ends, and the records against other writers.
    locks = f"""
        PERFORM 1 FROM {LOCATIONS} loc WHERE loc.id IN (
            SELECT location_id FROM {new} AS x
            UNION SELECT location_id FROM {old} AS y)
        ORDER BY loc.id FOR SHARE;
    """ + _lock_records(
        f"SELECT record_id FROM {new} AS x UNION SELECT record_id FROM {old} AS y"
    )
    # Before this statement the record's links were those now, less the ones
    # it added (`new`), plus the ones it removed (`old`).
    with_sql = f"""
        WITH affected AS (
            SELECT record_id FROM {new} AS x UNION SELECT record_id FROM {old} AS y
        ), flags AS (
            SELECT a.record_id,
                   EXISTS (SELECT 1 FROM {LINKS} l
                       JOIN {LOCATIONS} loc ON loc.id = l.location_id
                       WHERE l.record_id = a.record_id
                         AND loc.category {_RESTRICTED_IN}
                         AND l.id NOT IN (SELECT id FROM {new} AS z))
                   OR EXISTS (SELECT 1 FROM {old} AS l
                       JOIN {LOCATIONS} loc ON loc.id = l.location_id
                       WHERE l.record_id = a.record_id
                         AND loc.category {_RESTRICTED_IN}) AS was,
                   {_restricted_now("a.record_id")} AS now
            FROM affected a
        )
    """
    return _function(name, locks + flag_change(with_sql=with_sql))


LINK_INSERT = _links_function(
    "intelligence_rollup_links_insert", new="new_rows", old=_NO_LINKS
)
LINK_UPDATE = _links_function(
    "intelligence_rollup_links_update", new="new_rows", old="old_rows"
)
LINK_DELETE = _links_function(
    "intelligence_rollup_links_delete", new=_NO_LINKS, old="old_rows"
)


def _location_function(name: str, *, flag_change=_flag_change) -> str:
    """A location's category changing in or out of the restricted ones moves
    its records' roll-up rows (flag_change) from one flag to the other."""
    return _function(name, _location_body(flag_change))


def _location_body(flag_change) -> str:
    return (
        f"""
    IF NOT EXISTS (
        SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.category {_RESTRICTED_IN}) <> (n.category {_RESTRICTED_IN})
    ) THEN
        RETURN NULL;
    END IF;
    """
        + _lock_records(
            f"""SELECT l.record_id FROM {LINKS} l JOIN new_rows n ON n.id = l.location_id
            JOIN old_rows o ON o.id = n.id
            WHERE (o.category {_RESTRICTED_IN}) <> (n.category {_RESTRICTED_IN})"""
        )
        + flag_change(
            with_sql=f"""
        WITH moved AS (
            SELECT n.id, o.category {_RESTRICTED_IN} AS was_restricted
            FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.category {_RESTRICTED_IN}) <> (n.category {_RESTRICTED_IN})
        ), affected AS (
            SELECT DISTINCT l.record_id FROM {LINKS} l
            JOIN moved m ON m.id = l.location_id
        ), flags AS (
            SELECT a.record_id,
                   EXISTS (SELECT 1 FROM {LINKS} l
                       JOIN {LOCATIONS} loc ON loc.id = l.location_id
                       LEFT JOIN moved m ON m.id = loc.id
                       WHERE l.record_id = a.record_id
                         AND coalesce(m.was_restricted,
                                      loc.category {_RESTRICTED_IN})) AS was,
                   {_restricted_now("a.record_id")} AS now
            FROM affected a
        )
        """
        )
    )


LOCATION_UPDATE = _location_function("intelligence_rollup_locations_update")


def _trigger(table: str, name: str, event: str, function: str) -> str:
    referencing = {
        "INSERT": "REFERENCING NEW TABLE AS new_rows",
        "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "DELETE": "REFERENCING OLD TABLE AS old_rows",
        "TRUNCATE": "",
    }[event]
    return f"""
        CREATE TRIGGER {name} AFTER {event} ON {table} {referencing}
        FOR EACH STATEMENT EXECUTE FUNCTION {function}();
    """


TRIGGERS = [
    (RECORDS, "rollup_insert", "INSERT", "intelligence_rollup_records_insert"),
    (RECORDS, "rollup_update", "UPDATE", "intelligence_rollup_records_update"),
    (RECORDS, "rollup_delete", "DELETE", "intelligence_rollup_records_delete"),
    (RECORDS, "rollup_truncate", "TRUNCATE", "intelligence_rollup_rebuild_trigger"),
    (LINKS, "rollup_insert", "INSERT", "intelligence_rollup_links_insert"),
    (LINKS, "rollup_update", "UPDATE", "intelligence_rollup_links_update"),
    (LINKS, "rollup_delete", "DELETE", "intelligence_rollup_links_delete"),
    (LINKS, "rollup_truncate", "TRUNCATE", "intelligence_rollup_rebuild_trigger"),
    (LOCATIONS, "rollup_update", "UPDATE", "intelligence_rollup_locations_update"),
]
FUNCTIONS = [
    RECORD_INSERT,
    RECORD_UPDATE,
    RECORD_DELETE,
    REBUILD_SQL,
    REBUILD_TRIGGER,
    LINK_INSERT,
    LINK_UPDATE,
    LINK_DELETE,
    LOCATION_UPDATE,
]
FUNCTION_NAMES = [
    "intelligence_rollup_records_insert()",
    "intelligence_rollup_records_update()",
    "intelligence_rollup_records_delete()",
    "intelligence_rollup_rebuild_trigger()",
    "intelligence_rollup_links_insert()",
    "intelligence_rollup_links_update()",
    "intelligence_rollup_links_delete()",
    "intelligence_rollup_locations_update()",
    "intelligence_rollup_rebuild()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0010_data_version"),
        ("locations", "0005_postcode_from_imports"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaDayCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "day",
                        "area_id",
                        "kind",
                        "grading_scheme",
                        "source_evaluation",
                        "intelligence_assessment",
                        "handling_code",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("day", models.DateField()),
                ("area_id", models.BigIntegerField()),
                ("kind", models.CharField(max_length=16)),
                ("grading_scheme", models.CharField(max_length=8)),
                ("source_evaluation", models.CharField(max_length=1)),
                ("intelligence_assessment", models.CharField(max_length=1)),
                ("handling_code", models.CharField(max_length=1)),
                ("n", models.IntegerField()),
                ("n_first", models.IntegerField()),
            ],
            options={
                "verbose_name": "area-count roll-up row",
                "indexes": [
                    models.Index(
                        condition=models.Q(("n", 0)),
                        fields=["day"],
                        name="intel_areaday_empty",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CellDayCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "day",
                        "gy",
                        "gx",
                        "kind",
                        "grading_scheme",
                        "source_evaluation",
                        "intelligence_assessment",
                        "handling_code",
                        "at_restricted",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("day", models.DateField()),
                ("gx", models.IntegerField()),
                ("gy", models.IntegerField()),
                ("kind", models.CharField(max_length=16)),
                ("grading_scheme", models.CharField(max_length=8)),
                ("source_evaluation", models.CharField(max_length=1)),
                ("intelligence_assessment", models.CharField(max_length=1)),
                ("handling_code", models.CharField(max_length=1)),
                ("at_restricted", models.BooleanField()),
                ("n", models.IntegerField()),
                ("w", models.FloatField()),
            ],
            options={
                "verbose_name": "heat-map roll-up row",
                "indexes": [
                    models.Index(
                        condition=models.Q(("n", 0)),
                        fields=["day"],
                        name="intel_cellday_empty",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RollupCell",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "gx",
                        "gy",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("gx", models.IntegerField()),
                ("gy", models.IntegerField()),
                ("lon_min", models.FloatField()),
                ("lat_min", models.FloatField()),
                ("lon_max", models.FloatField()),
                ("lat_max", models.FloatField()),
            ],
            options={"verbose_name": "roll-up grid cell"},
        ),
        migrations.RunSQL(
            "\n".join(FUNCTIONS),
            "\n".join(f"DROP FUNCTION IF EXISTS {f} CASCADE;" for f in FUNCTION_NAMES),
        ),
        *(
            migrations.RunSQL(
                _trigger(table, name, event, function),
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
            )
            for table, name, event, function in TRIGGERS
        ),
        # The records already held.
        migrations.RunSQL(
            "SELECT intelligence_rollup_rebuild()", migrations.RunSQL.noop
        ),
    ]
