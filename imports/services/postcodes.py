"""Postcode centroids from a CSV (`Postcode,lat,long`, as NSPL extracts have it)."""

import csv
from pathlib import Path

from common.postcodes import postcode_normalise

from .report import (
    ImportFileError,
    ImportReport,
    copy_rows,
    import_run,
    lonlat_problem,
    parse_float,
    progress,
    temp_table,
)

# Header names seen in published postcode files, lower case.
POSTCODE_COLUMNS = ("postcode", "pcds", "pcd", "pcd7", "pcd8")
LAT_COLUMNS = ("lat", "latitude")
LON_COLUMNS = ("long", "lon", "lng", "longitude")


def _pick(header: list[str], names: tuple[str, ...], what: str) -> int:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    raise ImportFileError(
        f"line 1: no {what} column (looked for {', '.join(names)}; "
        f"the header has {', '.join(header)})"
    )


def postcodes_import(
    *, path: Path | str, dry_run: bool = False, show_progress: bool | None = None
) -> ImportReport:
    report = ImportReport(what=f"Postcodes from {Path(path).name}", dry_run=dry_run)

    def work() -> None:
        rows: dict[str, tuple[float, float]] = {}
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header:
                raise ImportFileError("line 1: the file is empty")
            pc, la, lo = (
                _pick(header, POSTCODE_COLUMNS, "postcode"),
                _pick(header, LAT_COLUMNS, "latitude"),
                _pick(header, LON_COLUMNS, "longitude"),
            )
            for row in progress(reader, enabled=show_progress, desc="postcodes"):
                report.read += 1
                where = f"line {reader.line_num}"
                if len(row) < len(header):
                    raise ImportFileError(
                        f"{where}: {len(row)} columns where the header has {len(header)}"
                    )
                code = postcode_normalise(row[pc])
                lat, lon = parse_float(row[la]), parse_float(row[lo])
                if not 5 <= len(code) <= 7:
                    report.reject(where, f"not a postcode: {row[pc]!r}")
                    continue
                if lat is None or lon is None:
                    report.reject(where, f"{row[pc]}: no coordinates")
                    continue
                if problem := lonlat_problem(lon, lat):
                    report.reject(where, f"{row[pc]}: {problem}")
                    continue
                rows[code] = (lon, lat)
        postcodes_upsert(rows=rows, report=report)

    return import_run(report, work)


def postcodes_upsert(*, rows: dict[str, tuple[float, float]], report: ImportReport):
    """Insert new postcodes and move changed ones, set-based."""
    with temp_table("import_postcode", "postcode text, lon float8, lat float8") as cur:
        copy_rows(
            cur,
            "import_postcode",
            ["postcode", "lon", "lat"],
            ((code, lon, lat) for code, (lon, lat) in rows.items()),
        )
        cur.execute(
            """
            WITH up AS (
                INSERT INTO imports_postcode (postcode, point)
                SELECT postcode, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
                FROM import_postcode
                ON CONFLICT (postcode) DO UPDATE SET point = EXCLUDED.point
                WHERE NOT ST_Equals(imports_postcode.point, EXCLUDED.point)
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM up
            """
        )
        report.created, report.updated = cur.fetchone()
    report.unchanged = len(rows) - report.created - report.updated


def postcodes_locate(*, codes: set[str]) -> dict[str, tuple[float, float]]:
    """Centroid (lon, lat) of each known postcode, keyed by normalised postcode."""
    from locations.models import Postcode

    found = {}
    qs = Postcode.objects.filter(postcode__in=[postcode_normalise(c) for c in codes])
    for code, point in qs.values_list("postcode", "point"):
        found[code] = (point.x, point.y)
    return found
