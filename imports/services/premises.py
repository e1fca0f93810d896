"""Writing imported premises to locations, set-based, without duplicating them.

Each row is matched, in order, to: the location this source gave the same id
before; a location with the same food-hygiene (FHRS) id; a near-by location with
a similar name (dedupe.MATCHER). A match on the source's own id is refreshed
from the file; any other match only fills what the held location lacks, so an
officer's edits and another source's data are never overwritten.
"""

from dataclasses import dataclass

from django.db import connection

from . import dedupe
from .report import ImportReport, copy_rows, temp_table


@dataclass
class PlaceRow:
    where: str
    source_id: str
    name: str
    category: str
    lon: float
    lat: float
    address: str = ""
    postcode: str = ""
    fhrs_id: str = ""
    fhrs_rating: str = ""
    footprint_ewkt: str | None = None  # MultiPolygon, SRID 4326


_STAGE_COLUMNS = (
    "target_id bigint, own boolean, source_id text, name text, category text, "
    "address text, postcode text, lon float8, lat float8, footprint text, "
    "fhrs_id text, fhrs_rating text"
)
_STAGE_NAMES = [c.split()[0] for c in _STAGE_COLUMNS.split(", ")]


def _id_map(sql: str, params: list) -> dict[str, int]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return dict(cur.fetchall())


def premises_upsert(
    *,
    source: str,
    rows: list[PlaceRow],
    report: ImportReport,
    match_distance_m: float = dedupe.DEFAULT_DISTANCE_M,
) -> None:
    """Create, refresh or merge `rows` into locations; counts go to `report`."""
    seen: dict[str, str] = {}
    unique_rows = []
    for row in rows:
        if row.source_id in seen:
            report.reject(
                row.where, f"id {row.source_id} repeated ({seen[row.source_id]})"
            )
            continue
        seen[row.source_id] = f"first at {row.where}"
        unique_rows.append(row)
    rows = unique_rows

    own = _id_map(
        "SELECT source_id, id FROM locations_location"
        " WHERE source = %s AND source_id = ANY(%s)",
        [source, [r.source_id for r in rows]],
    )
    fhrs_ids = [r.fhrs_id for r in rows if r.fhrs_id and r.source_id not in own]
    by_fhrs = _id_map(
        "SELECT DISTINCT ON (fhrs_id) fhrs_id, id FROM locations_location"
        " WHERE fhrs_id = ANY(%s) ORDER BY fhrs_id, id",
        [fhrs_ids],
    )
    targets: list[tuple[int | None, bool]] = []
    unmatched: list[int] = []
    for i, row in enumerate(rows):
        if row.source_id in own:
            targets.append((own[row.source_id], True))
        elif row.fhrs_id in by_fhrs:
            targets.append((by_fhrs[row.fhrs_id], False))
        else:
            targets.append((None, False))
            unmatched.append(i)
    places = [
        dedupe.NewPlace(rows[i].lon, rows[i].lat, rows[i].name, rows[i].category)
        for i in unmatched
    ]
    taken = {t for t, _ in targets if t}
    found = {}
    if dedupe.held_nearby(
        places=places, exclude_source=source, distance_m=match_distance_m
    ):
        found = dedupe.MATCHER(
            places=places, exclude_source=source, distance_m=match_distance_m
        )
    for k, loc_id in found.items():
        if loc_id not in taken:
            targets[unmatched[k]] = (loc_id, False)
            taken.add(loc_id)
    report.matched += sum(1 for t, is_own in targets if t and not is_own)

    with temp_table("import_place", _STAGE_COLUMNS) as cur:
        copy_rows(
            cur,
            "import_place",
            _STAGE_NAMES,
            (
                (
                    target,
                    is_own,
                    r.source_id,
                    r.name,
                    r.category,
                    r.address,
                    r.postcode,
                    r.lon,
                    r.lat,
                    r.footprint_ewkt,
                    r.fhrs_id,
                    r.fhrs_rating,
                )  # fmt: skip
                for r, (target, is_own) in zip(rows, targets, strict=False)
            ),
        )
        # Refresh what this source said before; fill the blanks of other matches.
        cur.execute(
            """
            WITH s AS (
                SELECT target_id, own, name, category, address, postcode,
                       ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS point,
                       ST_Multi(ST_GeomFromEWKT(footprint)) AS footprint,
                       fhrs_id, fhrs_rating
                FROM import_place WHERE target_id IS NOT NULL
            ), v AS (
                SELECT l.id,
                    CASE WHEN s.own THEN s.name ELSE l.name END AS name,
                    CASE WHEN s.own THEN s.category ELSE l.category END AS category,
                    CASE WHEN s.own OR l.address = '' THEN s.address
                         ELSE l.address END AS address,
                    CASE WHEN s.own OR l.postcode = '' THEN s.postcode
                         ELSE l.postcode END AS postcode,
                    CASE WHEN s.own THEN s.point ELSE l.point END AS point,
                    COALESCE(s.footprint, l.footprint) AS footprint,
                    CASE WHEN s.own OR l.fhrs_id = '' THEN s.fhrs_id
                         ELSE l.fhrs_id END AS fhrs_id,
                    COALESCE(NULLIF(s.fhrs_rating, ''), l.fhrs_rating) AS fhrs_rating
                FROM s JOIN locations_location l ON l.id = s.target_id
            )
            UPDATE locations_location l SET
                name = v.name, category = v.category, address = v.address,
                postcode = v.postcode, point = v.point, footprint = v.footprint,
                fhrs_id = v.fhrs_id, fhrs_rating = v.fhrs_rating,
                version = l.version + 1, updated_at = now()
            FROM v
            WHERE v.id = l.id AND (
                (l.name, l.category, l.address, l.postcode, l.fhrs_id, l.fhrs_rating)
                IS DISTINCT FROM
                (v.name, v.category, v.address, v.postcode, v.fhrs_id, v.fhrs_rating)
                OR NOT ST_Equals(l.point, v.point)
                OR ST_AsEWKB(l.footprint) IS DISTINCT FROM ST_AsEWKB(v.footprint)
            )
            """
        )
        report.updated += cur.rowcount
        report.unchanged += sum(1 for t, _ in targets if t) - cur.rowcount
        cur.execute(
            """
            INSERT INTO locations_location (
                name, category, address, postcode, point, footprint,
                premises_licence_number, licence_holder, fhrs_id, fhrs_rating,
                concern_level, source, source_id, area_ids, version,
                created_at, updated_at
            )
            SELECT name, category, address, postcode,
                   ST_SetSRID(ST_MakePoint(lon, lat), 4326),
                   ST_Multi(ST_GeomFromEWKT(footprint)),
                   '', '', fhrs_id, fhrs_rating, 'none', %s, source_id, '{}', 1,
                   now(), now()
            FROM import_place WHERE target_id IS NULL
            """,
            [source],
        )
        report.created += cur.rowcount
