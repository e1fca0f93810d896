"""Pagination of GeoJSON lists, with a schema that matches what it sends."""

from rest_framework_gis.pagination import GeoJsonPagination as GisGeoJsonPagination


class GeoJsonPagination(GisGeoJsonPagination):
    """A page as a FeatureCollection: type, count, next, previous, features.

    rest_framework_gis documents the page with `results` still required and
    `features` as a whole FeatureCollection; the page sends `features` as the
    array of features itself.
    """

    page_size_query_param = "page_size"

    def get_paginated_response_schema(self, schema):
        # drf-spectacular passes the "<Feature>List" FeatureCollection
        # component; its features are "<Feature>" components.
        ref = schema.get("$ref", "")
        features = (
            {"type": "array", "items": {"$ref": ref.removesuffix("List")}}
            if ref.endswith("List")
            else {"type": "array", "items": {}}
        )
        return {
            "type": "object",
            "required": ["type", "count", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer", "example": 123},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "features": features,
            },
        }
