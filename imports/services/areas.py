"""Boundaries from GeoJSON or a shapefile, in WGS84 or British National Grid."""

from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException

from locations.models import AreaType
from locations.services import areas_reassign

from .report import (
    ImportFileError,
    ImportReport,
    copy_rows,
    import_run,
    progress,
    temp_table,
)

_POLYGONAL = {"Polygon", "MultiPolygon", "Polygon25D", "MultiPolygon25D"}


def _layer_srid(layer, srid: int | None, path: Path) -> int:
    if srid:
        return srid
    srs = layer.srs
    if srs is None:
        raise ImportFileError(
            f"{path.name} says nothing of its coordinate system (a shapefile without "
            "its .prj): give --srid, e.g. --srid 27700 for British National Grid"
        )
    try:
        srs.identify_epsg()
        code = srs.srid
    except GDALException:
        code = None
    if code is None:
        # GeoJSON's default, and the OGC name for WGS84 in lon/lat order.
        if "WGS 84" in (srs.name or "") or "CRS84" in srs.wkt:
            return 4326
        raise ImportFileError(
            f"cannot tell the EPSG code of {path.name}'s coordinate system "
            f"({srs.name}); give --srid"
        )
    return code


def areas_import(
    *,
    path: Path | str,
    area_type: str,
    code_field: str,
    name_field: str,
    srid: int | None = None,
    dry_run: bool = False,
    show_progress: bool | None = None,
) -> ImportReport:
    """Create or update areas, then recompute every row's areas, set-based."""
    path = Path(path)
    if area_type not in AreaType.values:
        raise ImportFileError(
            f"unknown area type {area_type!r}; one of {', '.join(AreaType.values)}"
        )
    report = ImportReport(what=f"{area_type} areas from {path.name}", dry_run=dry_run)

    def work() -> None:
        try:
            source = DataSource(str(path))
        except GDALException as exc:
            raise ImportFileError(
                f"cannot read {path.name} as GeoJSON or shapefile: {exc}"
            ) from exc
        layer = source[0]
        fields = list(layer.fields)
        for wanted, what in (
            (code_field, "--code-field"),
            (name_field, "--name-field"),
        ):
            if wanted not in fields:
                raise ImportFileError(
                    f"{what} {wanted!r} is not a field of {path.name}; "
                    f"its fields are {', '.join(fields)}"
                )
        layer_srid = _layer_srid(layer, srid, path)
        staged = {}
        for n, feature in enumerate(
            progress(layer, enabled=show_progress, desc="areas", total=len(layer)), 1
        ):
            report.read += 1
            code = str(feature.get(code_field) or "").strip()
            name = str(feature.get(name_field) or "").strip() or code
            where = f"feature {n}" + (f" ({code})" if code else "")
            if not code:
                report.reject(where, f"no {code_field}")
                continue
            geom_kind = feature.geom.geom_type.name
            if geom_kind not in _POLYGONAL:
                report.reject(where, f"a {geom_kind}, not a polygon")
                continue
            if code in staged:
                report.reject(where, f"code {code} repeated")
                continue
            staged[code] = (code[:16], name[:200], feature.geom.wkt)
        _areas_upsert(
            area_type=area_type, srid=layer_srid, rows=staged.values(), report=report
        )
        if report.created or report.updated:
            changed = areas_reassign()
            report.notes.append(
                "areas recomputed for "
                + ", ".join(f"{n} rows of {t}" for t, n in changed.items())
            )

    return import_run(report, work)


def _areas_upsert(*, area_type, srid, rows, report) -> None:
    with temp_table("import_area", "code text, name text, wkt text") as cur:
        copy_rows(cur, "import_area", ["code", "name", "wkt"], rows)
        # Transformed to WGS84 in SQL; invalid rings are repaired, not refused.
        cur.execute(
            """
            WITH s AS (
                SELECT code, name, ST_Multi(ST_CollectionExtract(ST_MakeValid(
                    ST_Transform(ST_SetSRID(ST_GeomFromText(wkt), %s), 4326)), 3)) AS geom
                FROM import_area
            ), up AS (
                INSERT INTO locations_area (area_type, code, name, geom)
                SELECT %s, code, name, geom FROM s
                ON CONFLICT (area_type, code) DO UPDATE
                    SET name = EXCLUDED.name, geom = EXCLUDED.geom
                WHERE locations_area.name IS DISTINCT FROM EXCLUDED.name
                   OR NOT ST_Equals(locations_area.geom, EXCLUDED.geom)
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM up
            """,
            [srid, area_type],
        )
        report.created, report.updated = cur.fetchone()
        report.unchanged = len(rows) - report.created - report.updated
