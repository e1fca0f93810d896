"""police.uk street-level crime CSVs, as incident records.

Two published layouts: the current one (Crime ID, Longitude, Latitude, LSOA code)
and the early one of 2010-2011 (Easting, Northing in British National Grid, no
crime id).
"""

import csv
import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection

from common.placement import BNG_MAX_EASTING, BNG_MAX_NORTHING
from intelligence.models import IntelligenceRecord
from intelligence.retention import review_date_for

from .report import (
    ImportFileError,
    ImportReport,
    copy_rows,
    import_run,
    insert_select,
    lonlat_problem,
    parse_float,
    progress,
    temp_table,
)

SOURCE = "police_uk"
LONDON = ZoneInfo("Europe/London")
REQUIRED = ("Month", "Location", "Crime type")
# Published crimes are recorded by the force itself: a reliable source (1). The
# force knows of each crime through a victim's or witness's report, which the
# recording corroborates, and police.uk moves every point to an anonymised map
# point near by: known indirectly but corroborated (B), never A. The data are
# public under the Open Government Licence: lawful sharing permitted (P).
GRADE = {"source_evaluation": "1", "intelligence_assessment": "B", "handling_code": "P"}
# police.uk snaps each crime to the centre of a street or public place; the true
# place is usually within a couple of hundred metres.
PRECISION_M = 200
# British National Grid's false origin and extent, in metres.


@dataclass
class CrimeRow:
    where: str
    source_id: str
    month: str
    crime_type: str
    location_text: str
    summary: str
    x: float
    y: float


def _month_window(month: str) -> tuple[datetime, datetime]:
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=LONDON)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, following - timedelta(seconds=1)


def incidents_import(
    *,
    path: Path | str,
    inside_areas: bool = False,
    dry_run: bool = False,
    show_progress: bool | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import a police.uk CSV; with inside_areas, keep only crimes in a held area."""
    report = ImportReport(
        what=f"police.uk crimes from {Path(path).name}", dry_run=dry_run
    )

    def work() -> None:
        rows, srid = _parse(path, report, show_progress)
        points = _wgs84(rows, srid)
        kept = []
        for row, (lon, lat) in zip(rows, points, strict=False):
            if problem := lonlat_problem(lon, lat):
                report.reject(row.where, problem)
                continue
            row.x, row.y = lon, lat
            kept.append(row)
        if inside_areas:
            kept = _inside_areas(kept, report)
        _records_upsert(rows=kept, report=report, received=today or date.today())

    return import_run(report, work)


def _parse(path, report, show_progress) -> tuple[list[CrimeRow], int]:
    try:
        fh = open(path, newline="", encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ImportFileError(f"no such file: {path}") from exc
    with fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if {"Longitude", "Latitude"} <= set(header):
            xcol, ycol, srid = "Longitude", "Latitude", 4326
        elif {"Easting", "Northing"} <= set(header):
            xcol, ycol, srid = "Easting", "Northing", 27700
        else:
            missing.append("Longitude and Latitude (or Easting and Northing)")
        if missing:
            raise ImportFileError(
                f"line 1: not a police.uk crime file, no {', '.join(missing)} column "
                f"(the header has {', '.join(header) or 'nothing'})"
            )
        occurrences: Counter = Counter()
        rows = []
        for values in progress(reader, enabled=show_progress, desc="crimes"):
            where = f"line {reader.line_num}"
            if not any(values):
                continue
            report.read += 1
            if len(values) != len(header):
                raise ImportFileError(
                    f"{where}: {len(values)} fields where the header has {len(header)}"
                )
            field = dict(zip(header, (v.strip() for v in values), strict=True))
            get = field.get
            month, crime_type, place = (
                get("Month", ""),
                get("Crime type", ""),
                get("Location", ""),
            )
            try:
                _month_window(month)
            except ValueError:
                report.reject(where, f"month {month!r} is not YYYY-MM")
                continue
            if not crime_type:
                report.reject(where, "no crime type")
                continue
            x, y = parse_float(get(xcol)), parse_float(get(ycol))
            if x is None or y is None:
                report.reject(
                    where, "no location (police.uk publishes some crimes without one)"
                )
                continue
            if srid == 27700 and not (
                0 <= x <= BNG_MAX_EASTING and 0 <= y <= BNG_MAX_NORTHING
            ):
                report.reject(where, f"impossible grid reference (E {x}, N {y})")
                continue
            crime_id = get("Crime ID", "")
            if not crime_id:
                # No published id: the row's own content, and how many identical
                # rows came before it, identify it the same way on every import.
                key = "|".join(
                    (
                        month,
                        get("Falls within", ""),
                        get(xcol),
                        get(ycol),
                        place,
                        crime_type,
                    )
                )
                occurrences[key] += 1
                crime_id = (
                    "h:"
                    + hashlib.sha1(f"{key}|{occurrences[key]}".encode()).hexdigest()
                )
            outcome = get("Last outcome category", "")
            summary = f"{crime_type}, {place or 'no location given'} ({month})"
            if outcome:
                summary += f"; last outcome: {outcome}"
            if context := get("Context", ""):
                summary += f". {context}"
            rows.append(
                CrimeRow(
                    where=where,
                    source_id=crime_id[:64],
                    month=month,
                    crime_type=crime_type[:64],
                    location_text=place[:255],
                    summary=summary,
                    x=x,
                    y=y,
                )
            )
    return rows, srid


def _wgs84(rows: list[CrimeRow], srid: int) -> list[tuple[float, float]]:
    """Longitude and latitude of every row, transformed in one query."""
    if srid == 4326 or not rows:
        return [(r.x, r.y) for r in rows]
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT ST_X(p), ST_Y(p) FROM (
                SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), %s), 4326) p, n
                FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS u(x, y, n)
            ) q ORDER BY n
            """,
            [srid, [r.x for r in rows], [r.y for r in rows]],
        )
        return cur.fetchall()


def _inside_areas(rows: list[CrimeRow], report: ImportReport) -> list[CrimeRow]:
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT n - 1 FROM unnest(%s::float8[], %s::float8[])
                WITH ORDINALITY AS u(lon, lat, n)
            WHERE EXISTS (
                SELECT 1 FROM locations_area a WHERE ST_Intersects(
                    a.geom_bng,
                    ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 27700))
            )
            """,
            [[r.x for r in rows], [r.y for r in rows]],
        )
        inside = {i for (i,) in cur.fetchall()}
    outside = len(rows) - len(inside)
    report.skipped += outside
    if outside:
        report.notes.append(f"{outside} outside every loaded area, skipped")
    return [r for i, r in enumerate(rows) if i in inside]


_STAGE = (
    "source_id text, occurred_from timestamptz, occurred_to timestamptz, "
    "crime_type text, location_text text, summary text, lon float8, lat float8"
)


def _records_upsert(*, rows: list[CrimeRow], report: ImportReport, received: date):
    seen = {}
    staged = []
    for row in rows:
        if row.source_id in seen:
            report.reject(
                row.where, f"crime id repeated (first at {seen[row.source_id]})"
            )
            continue
        seen[row.source_id] = row.where
        start, end = _month_window(row.month)
        staged.append(
            (
                row.source_id,
                start,
                end,
                row.crime_type,
                row.location_text,
                row.summary,
                row.x,
                row.y,
            )  # fmt: skip
        )
    with temp_table("import_crime", _STAGE) as cur:
        copy_rows(
            cur, "import_crime", [c.split()[0] for c in _STAGE.split(", ")], staged
        )
        cur.execute(
            """
            WITH s AS (
                SELECT c.*, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS point
                FROM import_crime c
            )
            UPDATE intelligence_intelligencerecord r SET
                occurred_from = s.occurred_from, occurred_to = s.occurred_to,
                crime_type = s.crime_type, location_text = s.location_text,
                summary = s.summary, point = s.point,
                version = r.version + 1, updated_at = now()
            FROM s
            WHERE r.source = %s AND r.source_id = s.source_id AND (
                (r.occurred_from, r.occurred_to, r.crime_type, r.location_text, r.summary)
                IS DISTINCT FROM
                (s.occurred_from, s.occurred_to, s.crime_type, s.location_text, s.summary)
                OR NOT ST_Equals(r.point, s.point)
            )
            """,
            [SOURCE],
        )
        report.updated = cur.rowcount
        report.created = insert_select(
            cur,
            model=IntelligenceRecord,
            given={
                "reference": "'PUK-' || upper(left(encode(sha256("
                "convert_to(c.source_id, 'UTF8')), 'hex'), 24))",
                "kind": "'incident'",
                "occurred_from": "c.occurred_from",
                "occurred_to": "c.occurred_to",
                "received_on": "%s",
                "source_type": "'police'",
                "grading_scheme": "'3x5x2'",
                "source_evaluation": "%s",
                "intelligence_assessment": "%s",
                "handling_code": "%s",
                "summary": "c.summary",
                "point": "ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)",
                "precision_m": "%s",
                "location_text": "c.location_text",
                "crime_type": "c.crime_type",
                "review_date": "%s",
                "source": "%s",
                "source_id": "c.source_id",
            },
            source="""import_crime c WHERE NOT EXISTS (
                SELECT 1 FROM intelligence_intelligencerecord r
                WHERE r.source = %s AND r.source_id = c.source_id)""",
            params=[
                received,
                GRADE["source_evaluation"],
                GRADE["intelligence_assessment"],
                GRADE["handling_code"],
                PRECISION_M,
                review_date_for(received),
                SOURCE,
            ],
            source_params=[SOURCE],
        )
    report.unchanged = len(staged) - report.created - report.updated
