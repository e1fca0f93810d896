"""Bucket roll-ups (intelligence.rollups.CellBucketCount, AreaBucketCount):
rows over aligned runs of days and coarser cells, so that each holds many
records, kept by statement-level triggers with transition tables in the
writer's own transaction beside the day roll-ups of 0011, and filled from
the records already held."""

import importlib

from django.db import migrations, models

day_rollups = importlib.import_module("intelligence.migrations.0011_rollups")

# As intelligence/rollups.py has them when this migration was written (the
# readers check rollups.bucket_rules_current() before using these rows).
EPOCH = "2000-01-03"
DAYS = (1, 2, 4, 8, 16, 32, 64)
CELLS_M = (100, 400, 1600)
# Records at a restricted location also by their 500 m square.
SQUARE_M = 500
HALF_LIFE_DAYS = 60
SOURCE_WEIGHT = {"1": 1.0, "2": 0.6, "3": 0.2}
ASSESSMENT_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.5, "D": 0.3, "E": 0.1}
LEGACY_SOURCE = {"A": "1", "B": "1", "C": "2", "E": "2", "D": "3"}
LEGACY_ASSESSMENT = {"1": "A", "2": "A", "3": "B", "4": "D", "5": "E"}
LOW_SOURCES = ("3",)
LOW_ASSESSMENTS = ("E",)
RESTRICTED_HANDLING = {"3x5x2": ["C"], "5x5x5": ["2", "3", "4", "5"]}

RECORDS = day_rollups.RECORDS
BUCKETS = "intelligence_cellbucketcount"
AREA_BUCKETS = "intelligence_areabucketcount"
_DAY = day_rollups._DAY
_CELL_KEY = "days, start, cell_m, at_restricted, low, gy, gx, code_c"
_AREA_KEY = "days, start, area_id, code_c"


def _in(values) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _weight_case(column: str, weights: dict, legacy: dict) -> str:
    whens = [f"WHEN '{k}' THEN {float(w)}::float8" for k, w in weights.items()]
    whens += [f"WHEN '{k}' THEN {float(weights[v])}::float8" for k, v in legacy.items()]
    return f"CASE r.{column} " + " ".join(whens) + " ELSE 0::float8 END"


_GRADE_WEIGHT = (
    f"({_weight_case('source_evaluation', SOURCE_WEIGHT, LEGACY_SOURCE)}) * "
    f"({_weight_case('intelligence_assessment', ASSESSMENT_WEIGHT, LEGACY_ASSESSMENT)})"
)
_LOW = (
    f"((r.grading_scheme = '3x5x2' AND (r.source_evaluation IN {_in(LOW_SOURCES)} "
    f"OR r.intelligence_assessment IN {_in(LOW_ASSESSMENTS)})) "
    f"OR (r.grading_scheme = '5x5x5' AND (r.source_evaluation IN "
    f"{_in(k for k, v in LEGACY_SOURCE.items() if v in LOW_SOURCES)} "
    f"OR r.intelligence_assessment IN "
    f"{_in(k for k, v in LEGACY_ASSESSMENT.items() if v in LOW_ASSESSMENTS)})))"
)
_CODE_C = (
    "("
    + " OR ".join(
        f"(r.grading_scheme = '{s}' AND r.handling_code IN {_in(codes)})"
        for s, codes in RESTRICTED_HANDLING.items()
    )
    + ")"
)
_DAYS_VALUES = "(VALUES " + ", ".join(f"({d})" for d in DAYS) + ")"
_CELLS_VALUES = "(VALUES " + ", ".join(f"({m})" for m in (*CELLS_M, SQUARE_M)) + ")"
# Each bucket of each length holding the record's local day.
_BUCKETS_OF_DAY = f"""LATERAL (
    SELECT dd.d::smallint AS days,
           '{EPOCH}'::date + (floor((r.day - '{EPOCH}'::date) / dd.d::float8)
               * dd.d)::int AS start
    FROM {_DAYS_VALUES} AS dd(d)) AS t"""


def _cell_rows(source: str, *, sign: int, restricted: str) -> str:
    """A signed row per graded record with a point in `source` (alias r),
    per bucket and cell size, and for a record at a restricted location per
    bucket and 500 m square too."""
    return f"""
        SELECT t.days, t.start, lv.m::smallint AS cell_m, r.rf AS at_restricted,
               floor(r.y / lv.m)::int AS gy, floor(r.x / lv.m)::int AS gx,
               r.low, r.code_c, {sign} AS n,
               {sign} * r.gw * power(2::float8, (r.t - date_part('epoch',
                   t.start::timestamp AT TIME ZONE 'UTC')) / 86400.0
                   / {HALF_LIFE_DAYS}) AS w
        FROM (
            SELECT {_DAY} AS day, ST_X(r.point_bng) AS x, ST_Y(r.point_bng) AS y,
                   date_part('epoch', r.occurred_from) AS t, {restricted} AS rf,
                   {_LOW} AS low, {_CODE_C} AS code_c, {_GRADE_WEIGHT} AS gw
            FROM {source}
            WHERE r.status = 'graded' AND r.point_bng IS NOT NULL
        ) AS r
        CROSS JOIN {_CELLS_VALUES} AS lv(m)
        CROSS JOIN {_BUCKETS_OF_DAY}
        WHERE lv.m <> {SQUARE_M} OR r.rf"""


def _area_rows(source: str, *, sign: int) -> str:
    return f"""
        SELECT t.days, t.start, r.aid AS area_id, r.code_c, {sign} AS n,
               CASE WHEN r.o = 1 THEN {sign} ELSE 0 END AS n_first
        FROM (
            SELECT {_DAY} AS day, u.aid, u.o, {_CODE_C} AS code_c
            FROM {source}, unnest(r.area_ids) WITH ORDINALITY AS u(aid, o)
            WHERE r.status = 'graded'
        ) AS r
        CROSS JOIN {_BUCKETS_OF_DAY}"""


def _apply(table: str, key: str, sums: tuple[str, str], rows: list[str], with_sql=""):
    """Add the rows' sums to `table`; drop the rows left empty. In key
    order, so that two writers never wait on each other in opposite orders."""
    union = "\nUNION ALL\n".join(rows)
    cols = ", ".join(sums)
    aggregates = ", ".join(f"sum({c})" for c in sums)
    nonzero = " OR ".join(f"sum({c}) <> 0" for c in sums)
    updates = ", ".join(f"{c} = c.{c} + EXCLUDED.{c}" for c in sums)
    return f"""
        {with_sql}
        INSERT INTO {table} AS c ({key}, {cols})
        SELECT {key}, {aggregates} FROM ({union}) AS d
        GROUP BY {key}
        HAVING {nonzero}
        ORDER BY {key}
        ON CONFLICT ({key}) DO UPDATE SET {updates};
        DELETE FROM {table} WHERE n = 0;
    """


def _cells_apply(rows: list[str], *, with_sql: str = "") -> str:
    return _apply(BUCKETS, _CELL_KEY, ("n", "w"), rows, with_sql)


def _areas_apply(rows: list[str]) -> str:
    return _apply(AREA_BUCKETS, _AREA_KEY, ("n", "n_first"), rows)


_function = day_rollups._function
_restricted_now = day_rollups._restricted_now

RECORD_INSERT = _function(
    "intelligence_buckets_records_insert",
    _cells_apply(
        [_cell_rows("new_rows r", sign=1, restricted=_restricted_now("r.id"))]
    )
    + _areas_apply([_area_rows("new_rows r", sign=1)]),
)

RECORD_UPDATE = _function(
    "intelligence_buckets_records_update",
    _cells_apply(
        [
            _cell_rows(day_rollups._OLD, sign=-1, restricted=_restricted_now("r.id")),
            _cell_rows(day_rollups._NEW, sign=1, restricted=_restricted_now("r.id")),
        ]
    )
    + _areas_apply(
        [
            _area_rows(day_rollups._OLD, sign=-1),
            _area_rows(day_rollups._NEW, sign=1),
        ]
    ),
)

RECORD_DELETE = _function(
    "intelligence_buckets_records_delete",
    _cells_apply(
        [_cell_rows("old_rows r", sign=-1, restricted=_restricted_now("r.id"))]
    )
    + _areas_apply([_area_rows("old_rows r", sign=-1)]),
)

_RESTRICTED_ANY = f"""r.id IN (SELECT l.record_id FROM {day_rollups.LINKS} l
    JOIN {day_rollups.LOCATIONS} loc ON loc.id = l.location_id
    WHERE loc.category {day_rollups._RESTRICTED_IN})"""

REBUILD_SQL = f"""
    CREATE OR REPLACE FUNCTION intelligence_buckets_rebuild() RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
    DELETE FROM {BUCKETS};
    DELETE FROM {AREA_BUCKETS};
    {_cells_apply([_cell_rows(f"{RECORDS} r", sign=1, restricted=_RESTRICTED_ANY)])}
    {_areas_apply([_area_rows(f"{RECORDS} r", sign=1)])}
    END
    $$;
"""

REBUILD_TRIGGER = _function(
    "intelligence_buckets_rebuild_trigger", "PERFORM intelligence_buckets_rebuild();"
)


def _flag_change(*, with_sql: str) -> str:
    """day_rollups._flag_change for the bucket rows."""
    source = f"{RECORDS} r JOIN flags f ON f.record_id = r.id AND f.was <> f.now"
    return _cells_apply(
        [
            _cell_rows(source, sign=-1, restricted="f.was"),
            _cell_rows(source, sign=1, restricted="f.now"),
        ],
        with_sql=with_sql,
    )


LINK_INSERT = day_rollups._links_function(
    "intelligence_buckets_links_insert",
    new="new_rows",
    old=day_rollups._NO_LINKS,
    flag_change=_flag_change,
)
LINK_UPDATE = day_rollups._links_function(
    "intelligence_buckets_links_update",
    new="new_rows",
    old="old_rows",
    flag_change=_flag_change,
)
LINK_DELETE = day_rollups._links_function(
    "intelligence_buckets_links_delete",
    new=day_rollups._NO_LINKS,
    old="old_rows",
    flag_change=_flag_change,
)
LOCATION_UPDATE = day_rollups._location_function(
    "intelligence_buckets_locations_update", flag_change=_flag_change
)

# Named after the day roll-ups' triggers, so that they fire after them
# (PostgreSQL fires a table's triggers for one event in name order).
TRIGGERS = [
    (RECORDS, "rollup_zbuckets_insert", "INSERT", "intelligence_buckets_records_insert"),
    (RECORDS, "rollup_zbuckets_update", "UPDATE", "intelligence_buckets_records_update"),
    (RECORDS, "rollup_zbuckets_delete", "DELETE", "intelligence_buckets_records_delete"),
    (
        RECORDS,
        "rollup_zbuckets_truncate",
        "TRUNCATE",
        "intelligence_buckets_rebuild_trigger",
    ),
    (
        day_rollups.LINKS,
        "rollup_zbuckets_insert",
        "INSERT",
        "intelligence_buckets_links_insert",
    ),
    (
        day_rollups.LINKS,
        "rollup_zbuckets_update",
        "UPDATE",
        "intelligence_buckets_links_update",
    ),
    (
        day_rollups.LINKS,
        "rollup_zbuckets_delete",
        "DELETE",
        "intelligence_buckets_links_delete",
    ),
    (
        day_rollups.LINKS,
        "rollup_zbuckets_truncate",
        "TRUNCATE",
        "intelligence_buckets_rebuild_trigger",
    ),
    (
        day_rollups.LOCATIONS,
        "rollup_zbuckets_update",
        "UPDATE",
        "intelligence_buckets_locations_update",
    ),
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
    "intelligence_buckets_records_insert()",
    "intelligence_buckets_records_update()",
    "intelligence_buckets_records_delete()",
    "intelligence_buckets_rebuild_trigger()",
    "intelligence_buckets_links_insert()",
    "intelligence_buckets_links_update()",
    "intelligence_buckets_links_delete()",
    "intelligence_buckets_locations_update()",
    "intelligence_buckets_rebuild()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("intelligence", "0012_record_visible_by_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="AreaBucketCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "days",
                        "start",
                        "area_id",
                        "code_c",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("days", models.SmallIntegerField()),
                ("start", models.DateField()),
                ("area_id", models.BigIntegerField()),
                ("code_c", models.BooleanField()),
                ("n", models.IntegerField()),
                ("n_first", models.IntegerField()),
            ],
            options={
                "verbose_name": "area-count bucket roll-up row",
                "indexes": [
                    models.Index(
                        condition=models.Q(("n", 0)),
                        fields=["days"],
                        name="intel_areabucket_empty",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CellBucketCount",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "days",
                        "start",
                        "cell_m",
                        "at_restricted",
                        "low",
                        "gy",
                        "gx",
                        "code_c",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("days", models.SmallIntegerField()),
                ("start", models.DateField()),
                ("cell_m", models.SmallIntegerField()),
                ("at_restricted", models.BooleanField()),
                ("gy", models.IntegerField()),
                ("gx", models.IntegerField()),
                ("low", models.BooleanField()),
                ("code_c", models.BooleanField()),
                ("n", models.IntegerField()),
                ("w", models.FloatField()),
            ],
            options={
                "verbose_name": "heat-map bucket roll-up row",
                "indexes": [
                    models.Index(
                        condition=models.Q(("n", 0)),
                        fields=["days"],
                        name="intel_cellbucket_empty",
                    ),
                    models.Index(
                        condition=models.Q(("cell_m", 100)),
                        fields=["days", "start", "at_restricted", "low", "gx", "gy"],
                        name="intel_cellbucket_by_gx",
                    ),
                ],
            },
        ),
        migrations.RunSQL(
            "\n".join(FUNCTIONS),
            "\n".join(f"DROP FUNCTION IF EXISTS {f} CASCADE;" for f in FUNCTION_NAMES),
        ),
        *(
            migrations.RunSQL(
                day_rollups._trigger(table, name, event, function),
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
            )
            for table, name, event, function in TRIGGERS
        ),
        # The records already held.
        migrations.RunSQL(
            "SELECT intelligence_buckets_rebuild()", migrations.RunSQL.noop
        ),
    ]
