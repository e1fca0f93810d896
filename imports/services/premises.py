"""Writing imported premises to locations, set-based, without duplicating them.

Each row is matched, in order, to: the location this source gave the same id
before; a location with the same food-hygiene (FHRS) id; a near-by location with
a similar name (dedupe.MATCHER). A match on the source's own id is refreshed
from the file (but keeps a category other than "other" that it already has);
any other match only fills what the held location lacks, so another source's
data are never overwritten.
"""

from dataclasses import dataclass

from locations.models import Location

from . import dedupe
from .report import ImportReport, copy_rows, insert_select, temp_table


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
    "idx int, target_id bigint, own boolean NOT NULL DEFAULT false, source_id text,"
    " name text, category text, address text, postcode text, lon float8,"
    " lat float8, footprint text, fhrs_id text, fhrs_rating text"
)
_COPIED = [
    "idx", "source_id", "name", "category", "address", "postcode", "lon", "lat",
    "footprint", "fhrs_id", "fhrs_rating",
]  # fmt: skip


def _unique(rows: list[PlaceRow], report: ImportReport) -> list[PlaceRow]:
    seen: dict[str, str] = {}
    unique = []
    for row in rows:
        if row.source_id in seen:
            report.reject(
                row.where, f"id {row.source_id} repeated ({seen[row.source_id]})"
            )
            continue
        seen[row.source_id] = f"first at {row.where}"
        unique.append(row)
    return unique


def _match(cur, *, source: str, distance_m: float) -> None:
    """Set each staged row's target: its own earlier import, the same FHRS id,
    or a near-by, similarly named location of another source."""
    cur.execute(
        """
        UPDATE import_place s SET target_id = l.id, own = true
        FROM locations_location l
        WHERE l.source = %s AND l.source_id = s.source_id AND l.source_id <> ''
        """,
        [source],
    )
    cur.execute(
        """
        UPDATE import_place s SET target_id = (
            SELECT min(l.id) FROM locations_location l WHERE l.fhrs_id = s.fhrs_id)
        WHERE s.target_id IS NULL AND s.fhrs_id <> ''
        """
    )
    cur.execute(
        "SELECT min(lon), min(lat), max(lon), max(lat) FROM import_place"
        " WHERE target_id IS NULL"
    )
    box = cur.fetchone()
    if box[0] is None or not dedupe.held_nearby(
        bbox=box, exclude_source=source, distance_m=distance_m
    ):
        return
    cur.execute(
        "SELECT idx, lon, lat, name, category FROM import_place"
        " WHERE target_id IS NULL ORDER BY idx"
    )
    unmatched = cur.fetchall()
    places = [dedupe.NewPlace(*row[1:]) for row in unmatched]
    found = dedupe.MATCHER(places=places, exclude_source=source, distance_m=distance_m)
    if not found:
        return
    cur.execute("SELECT DISTINCT target_id FROM import_place WHERE target_id > 0")
    taken = {t for (t,) in cur.fetchall()}
    pairs = [(unmatched[k][0], loc) for k, loc in found.items() if loc not in taken]
    cur.execute(
        """
        UPDATE import_place s SET target_id = m.loc
        FROM unnest(%s::int[], %s::bigint[]) AS m(idx, loc) WHERE s.idx = m.idx
        """,
        [[i for i, _ in pairs], [loc for _, loc in pairs]],
    )


def premises_upsert(
    *,
    source: str,
    rows: list[PlaceRow],
    report: ImportReport,
    match_distance_m: float = dedupe.DEFAULT_DISTANCE_M,
) -> None:
    """Create, refresh or merge `rows` into locations; counts go to `report`."""
    rows = _unique(rows, report)
    with temp_table("import_place", _STAGE_COLUMNS) as cur:
        copy_rows(
            cur,
            "import_place",
            _COPIED,
            (
                (
                    i,
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
                for i, r in enumerate(rows)
            ),
        )
        cur.execute("ANALYZE import_place")
        _match(cur, source=source, distance_m=match_distance_m)
        cur.execute(
            "SELECT count(*) FILTER (WHERE target_id IS NOT NULL),"
            " count(*) FILTER (WHERE target_id IS NOT NULL AND NOT own)"
            " FROM import_place"
        )
        targeted, matched = cur.fetchone()
        report.matched += matched
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
                    -- An officer who reclassified a premises (a takeaway that
                    -- runs as a shisha lounge) is not undone by the next import.
                    CASE WHEN s.own AND l.category = 'other' THEN s.category
                         ELSE l.category END AS category,
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
        report.unchanged += targeted - cur.rowcount
        report.created += insert_select(
            cur,
            model=Location,
            given={
                "name": "name",
                "category": "category",
                "address": "address",
                "postcode": "postcode",
                "point": "ST_SetSRID(ST_MakePoint(lon, lat), 4326)",
                "footprint": "ST_Multi(ST_GeomFromEWKT(footprint))",
                "fhrs_id": "fhrs_id",
                "fhrs_rating": "fhrs_rating",
                "source": "%s",
                "source_id": "source_id",
            },
            source="import_place WHERE target_id IS NULL",
            params=[source],
        )
