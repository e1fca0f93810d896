"""The API's OpenAPI schema: every operation documents its error answers.

drf-spectacular documents only the success of each operation; the API also
answers 400 (bad parameters or body), 401/403 (not signed in, or the role may
not), 404 (no such object, or not one this user may see) and 415 (a body in a
media type the operation does not read). Clients, and the schema fuzzing test,
rely on those answers being in the schema with their bodies' shapes.
"""

from drf_spectacular.contrib.rest_framework_gis import (
    GeoFeatureModelSerializerExtension,
    build_point_geo_schema,
)
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """DRF's answer to a refused request: one sentence."""

    detail = serializers.CharField()


# Validation errors name the parameter or field: {"since": ["..."]}, nested
# for list items (common.errors.api_exception_handler, for every view).
VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Bad parameters or body, by field name."
)
ERRORS = {
    "400": VALIDATION_ERROR,
    "401": OpenApiResponse(ErrorSerializer, description="Not signed in."),
    "403": OpenApiResponse(
        ErrorSerializer, description="Not signed in, or the role may not do this."
    ),
}
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such object, or not one this user may see."
)
NOT_FOUND_PAGE = OpenApiResponse(
    ErrorSerializer, description="No such page of the list."
)
UNSUPPORTED_MEDIA_TYPE = OpenApiResponse(
    ErrorSerializer, description="The body is in a media type this does not read."
)


class AutoSchema(SpectacularAutoSchema):
    """Every operation documents its error answers as well as its success;
    audit.schema.AutoSchema adds the consultation reason's."""

    def _extra_errors(self) -> dict:
        return {}

    def _get_paginator(self):
        # Only a viewset's list is paginated; its extra actions answer whole.
        if getattr(self.view, "action", "list") != "list":
            return None
        return super()._get_paginator()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if "{" in self.path:
            errors["404"] = NOT_FOUND
        elif self._get_paginator() is not None:
            errors["404"] = NOT_FOUND_PAGE
        if self.method in ("POST", "PUT", "PATCH"):
            errors["415"] = UNSUPPORTED_MEDIA_TYPE
        errors.update(self._extra_errors())
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    response, code, direction=direction
                )
        return responses


class DisplayPointFeatureExtension(GeoFeatureModelSerializerExtension):
    """Features whose geometry is `display_point`: where this user may see
    the place (exact, or on the grid for a restricted one), a method field
    that drf-spectacular cannot type by itself. It is always a Point."""

    priority = 1

    @classmethod
    def _matches(cls, target) -> bool:
        meta = getattr(target, "Meta", None)
        return (
            super()._matches(target)
            and getattr(meta, "geo_field", None) == "display_point"
        )

    def map_serializer(self, auto_schema, direction):
        # Silences the "not supported" warnings for the method field that the
        # next line answers, and drops them from the tally that `check
        # --deploy` reports (silence() only stops the printing).
        before = set(GENERATOR_STATS._warn_cache)
        with GENERATOR_STATS.silence():
            schema = super().map_serializer(auto_schema, direction)
        for message in set(GENERATOR_STATS._warn_cache) - before:
            if "GeometrySerializerMethodField" in message or (
                '"get_display_point"' in message
            ):
                del GENERATOR_STATS._warn_cache[message]
        schema["properties"]["geometry"] = build_point_geo_schema()
        return schema
