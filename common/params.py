"""Query parameters every API shares, parsed and checked at the edge.

Each field turns one parameter into a value a selector can use, or raises a
DRF ValidationError keyed by the parameter's name, which the API answers with
a 400 that names it. Points are WGS84 longitude,latitude.
"""

import json
from datetime import date, timedelta

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point, Polygon
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from drf_spectacular.contrib.rest_framework_gis import build_polygon_geo_schema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

# A radius query covers at most 50 km: a city and its surroundings.
RADIUS_MAX_M = 50_000
# A period longer than this is refused rather than scanned.
PERIOD_MAX_DAYS = 3660


def _in_extent(lon: float, lat: float) -> bool:
    min_lon, min_lat, max_lon, max_lat = settings.DEPLOYMENT_EXTENT
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def _numbers(value: str, count: int, what: str) -> list[float]:
    parts = [p.strip() for p in str(value).split(",")]
    if len(parts) != count:
        raise serializers.ValidationError(f"Give {what}: {count} numbers, by commas.")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise serializers.ValidationError(f"Give {what}: numbers only.") from None
    if any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
        raise serializers.ValidationError(f"Give {what}: finite numbers.")
    return numbers


class PointParam(serializers.Field):
    """`lon,lat` in WGS84, inside the deployment's extent."""

    def to_internal_value(self, data) -> Point:
        lon, lat = _numbers(data, 2, "longitude,latitude")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise serializers.ValidationError("Longitude or latitude out of range.")
        if not _in_extent(lon, lat):
            raise serializers.ValidationError(
                "This point is outside the area the system covers."
            )
        return Point(lon, lat, srid=4326)


class BBoxParam(serializers.Field):
    """`minlon,minlat,maxlon,maxlat` in WGS84."""

    def to_internal_value(self, data) -> Polygon:
        min_lon, min_lat, max_lon, max_lat = _numbers(
            data, 4, "minlon,minlat,maxlon,maxlat"
        )
        if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise serializers.ValidationError(
                "The box must run from west to east and south to north, "
                "within longitude -180..180 and latitude -90..90."
            )
        box = Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))
        box.srid = 4326
        return box


@extend_schema_field(build_polygon_geo_schema())
class PolygonParam(serializers.Field):
    """A GeoJSON Polygon (or a Feature holding one), WGS84, valid and simple."""

    def to_internal_value(self, data) -> GEOSGeometry:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError("Not valid GeoJSON.") from None
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict) or data.get("type") != "Polygon":
            raise serializers.ValidationError("Give a GeoJSON Polygon.")
        # Only the coordinates go to GDAL: a "crs" member would make it look a
        # name up as a file or URL (GDAL before 3.9 cannot be told not to).
        plain = {"type": "Polygon", "coordinates": data.get("coordinates")}
        try:
            geom = GEOSGeometry(json.dumps(plain), srid=4326)
        except (GEOSException, GDALException, ValueError, TypeError):
            raise serializers.ValidationError("Not valid GeoJSON.") from None
        if geom.empty or geom.num_coords < 4:
            raise serializers.ValidationError("A polygon needs at least three corners.")
        if not geom.valid:
            raise serializers.ValidationError(
                f"The polygon is not valid ({geom.valid_reason}); "
                "it must not cross itself."
            )
        lon_min, lat_min, lon_max, lat_max = geom.extent
        if not (_in_extent(lon_min, lat_min) and _in_extent(lon_max, lat_max)):
            raise serializers.ValidationError(
                "The polygon reaches outside the area the system covers."
            )
        return geom


# Periods are counted back and forward from the dates given; a date at the
# edge of the calendar (0001-01-01) would overflow instead of being refused.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_BOUNDS = [
    MinValueValidator(EARLIEST_DATE, "Give a date from 1900 onwards."),
    MaxValueValidator(LATEST_DATE, "Give a date before 2101."),
]


class PeriodParams(serializers.Serializer):
    """`since` and `until` as ISO dates; by default the last 90 days."""

    since = serializers.DateField(required=False, validators=DATE_BOUNDS)
    until = serializers.DateField(required=False, validators=DATE_BOUNDS)

    def validate(self, attrs):
        today = timezone.localdate()
        until = attrs.get("until") or today
        since = attrs.get("since") or until - timedelta(days=90)
        if since > until:
            raise serializers.ValidationError({"since": "since must be before until."})
        if (until - since).days > PERIOD_MAX_DAYS:
            raise serializers.ValidationError(
                {"since": f"The period can be at most {PERIOD_MAX_DAYS} days."}
            )
        return {**attrs, "since": since, "until": until}


class SpatialParams(serializers.Serializer):
    """The spatial filters every list shares: bbox, point + radius, area."""

    bbox = BBoxParam(required=False)
    point = PointParam(required=False)
    radius = serializers.IntegerField(
        required=False, min_value=1, max_value=RADIUS_MAX_M
    )
    area = serializers.CharField(required=False, max_length=16)

    def validate(self, attrs):
        if ("point" in attrs) != ("radius" in attrs):
            missing = "radius" if "point" in attrs else "point"
            raise serializers.ValidationError(
                {missing: "point and radius go together."}
            )
        return attrs


def params_parse(serializer_class, request, *, data=None) -> dict:
    """Parse a request's query string (lists for repeatable parameters)."""
    if data is None:
        data = {}
        list_fields = {
            name
            for name, field in serializer_class().fields.items()
            if isinstance(field, serializers.ListField)
        }
        for key in request.query_params:
            values = request.query_params.getlist(key)
            if key in list_fields:
                data[key] = [v for raw in values for v in raw.split(",") if v]
            else:
                data[key] = values[-1]
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def period_bounds(*, since: date, until: date):
    """The period as aware datetimes, `until` inclusive of its whole day."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(
        timezone.datetime.combine(since, timezone.datetime.min.time()), tz
    )
    end = timezone.make_aware(
        timezone.datetime.combine(
            until + timedelta(days=1), timezone.datetime.min.time()
        ),
        tz,
    )
    return start, end


# --- The same parameters as the API schema documents them --------------------
# Patterns, enums and ranges as the parsers above accept them, so clients (and
# the schema fuzzing test) know what a valid request is.
_NUMBER = r"-?[0-9]+(\.[0-9]+)?"


def _numbers_pattern(count: int) -> str:
    return rf"^{_NUMBER}(,{_NUMBER}){{{count - 1}}}$"


def _int_range(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


def _numbers_schema(count: int, format_name: str) -> dict:
    # The format names what the numbers mean (OpenAPI allows any format).
    return {"type": "string", "format": format_name, "pattern": _numbers_pattern(count)}


def bbox_param(*, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        "bbox",
        _numbers_schema(4, "wgs84-bbox"),
        required=required,
        description="minlon,minlat,maxlon,maxlat (WGS84)",
    )


def point_param(*, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        "point",
        _numbers_schema(2, "wgs84-point"),
        required=required,
        description="lon,lat (WGS84), inside the area the system covers",
    )


def radius_param(*, required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        "radius",
        _int_range(1, RADIUS_MAX_M),
        required=required,
        description="metres, with point",
    )


def zoom_param(low: int, high: int) -> OpenApiParameter:
    return OpenApiParameter("zoom", _int_range(low, high), required=True)


PERIOD_SCHEMA = [
    OpenApiParameter(
        "since", OpenApiTypes.DATE, description="default 90 days before until"
    ),
    OpenApiParameter("until", OpenApiTypes.DATE, description="default today"),
]
AREA_CODE_SCHEMA = OpenApiParameter(
    "area", str, description="area code, e.g. E05001218"
)
SPATIAL_SCHEMA = [bbox_param(), point_param(), radius_param(), AREA_CODE_SCHEMA]
