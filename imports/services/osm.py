"""OpenStreetMap GeoJSON (Overpass and similar exports): points and polygons."""

import json
from pathlib import Path

import shapely
from shapely.geometry import shape

from common.postcodes import postcode_display
from locations.models import Category, Source

from .premises import PlaceRow, premises_upsert
from .report import ImportFileError, ImportReport, import_run, lonlat_problem, progress

# (key, value) -> category; value None means any value of that key.
TAG_CATEGORIES: list[tuple[str, str | None, str]] = [
    ("amenity", "taxi", Category.TAXI_RANK),
    ("amenity", "fast_food", Category.TAKEAWAY),
    ("tourism", "hotel", Category.HOTEL),
    ("tourism", "motel", Category.HOTEL),
    ("tourism", "hostel", Category.HOTEL),
    ("tourism", "guest_house", Category.BNB),
    ("amenity", "pub", Category.LICENSED_PREMISES),
    ("amenity", "bar", Category.LICENSED_PREMISES),
    ("amenity", "nightclub", Category.LICENSED_PREMISES),
    ("amenity", "parking", Category.CAR_PARK),
    ("leisure", "park", Category.PARK),
    ("amenity", "bus_station", Category.TRANSPORT_HUB),
    ("railway", "station", Category.TRANSPORT_HUB),
]
SHOP_CATEGORIES = {"mall": Category.SHOPPING_CENTRE}


def osm_category(*, tags: dict, shops: bool = False) -> str | None:
    for key, value, category in TAG_CATEGORIES:
        if tags.get(key) == value:
            return category
    if shops and tags.get("shop"):
        return SHOP_CATEGORIES.get(tags["shop"], Category.OTHER)
    return None


def _osm_id(feature: dict) -> str:
    props = feature.get("properties") or {}
    for value in (feature.get("id"), props.get("@id"), props.get("id")):
        if isinstance(value, str) and "/" in value:
            return value
    if props.get("@type") and props.get("@id"):
        return f"{props['@type']}/{props['@id']}"
    value = feature.get("id") or props.get("osm_id")
    return str(value) if value not in (None, "") else ""


def _unnamed(category: str, street: str) -> str:
    label = Category(category).label.split(" (")[0].split(" /")[0]
    return f"{label}, {street}" if street else label


def osm_import(
    *,
    path: Path | str,
    shops: bool = False,
    dry_run: bool = False,
    show_progress: bool | None = None,
) -> ImportReport:
    report = ImportReport(
        what=f"OpenStreetMap places from {Path(path).name}", dry_run=dry_run
    )

    def work() -> None:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
        except FileNotFoundError as exc:
            raise ImportFileError(f"no such file: {path}") from exc
        features = data.get("features") if isinstance(data, dict) else None
        if not isinstance(features, list):
            raise ImportFileError("not GeoJSON: no FeatureCollection with features")
        rows = []
        for n, feature in enumerate(
            progress(features, enabled=show_progress, desc="OSM", total=len(features)),
            1,
        ):
            report.read += 1
            row = _row(n, feature, shops, report)
            if row:
                rows.append(row)
        premises_upsert(source=Source.OSM, rows=rows, report=report)

    return import_run(report, work)


def _row(n: int, feature: dict, shops: bool, report: ImportReport) -> PlaceRow | None:
    if not isinstance(feature, dict):
        report.reject(f"feature {n}", "not a GeoJSON feature")
        return None
    tags = feature.get("properties") or {}
    osm_id = _osm_id(feature)
    where = f"feature {n}" + (f" ({osm_id})" if osm_id else "")
    category = osm_category(tags=tags, shops=shops)
    if category is None:
        report.skipped += 1
        return None
    if not osm_id:
        report.reject(where, "no OpenStreetMap id")
        return None
    try:
        geom = shape(feature.get("geometry") or {})
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        report.reject(where, f"unreadable geometry: {exc}")
        return None
    footprint = None
    if geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_empty:
        footprint = f"SRID=4326;{shapely.to_wkt(geom, rounding_precision=-1)}"
        point = geom.representative_point()
    elif geom.geom_type == "Point" and not geom.is_empty:
        point = geom
    else:
        report.reject(
            where, f"a {geom.geom_type or 'missing geometry'}, not a point or polygon"
        )
        return None
    if problem := lonlat_problem(point.x, point.y):
        report.reject(where, problem)
        return None
    street = " ".join(
        p for p in (tags.get("addr:housenumber"), tags.get("addr:street")) if p
    )
    address = ", ".join(p for p in (street, tags.get("addr:city")) if p)
    fhrs_id = str(tags.get("fhrs:id") or "").strip()
    return PlaceRow(
        where=where,
        source_id=osm_id[:64],
        name=(
            str(tags.get("name") or "").strip()
            or _unnamed(category, tags.get("addr:street", ""))
        )[:255],
        category=category,
        lon=point.x,
        lat=point.y,
        address=address,
        postcode=postcode_display(tags.get("addr:postcode"))[:10],
        fhrs_id=fhrs_id[:32] if fhrs_id.isdigit() else "",
        footprint_ewkt=footprint,
    )
