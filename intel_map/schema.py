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
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from audit.justification import (
    FIELD,
    HEADER,
    JUSTIFICATION_MAX_CHARS,
    JUSTIFICATION_MIN_CHARS,
    PER_EXPORT,
)


class ErrorSerializer(serializers.Serializer):
    """DRF's answer to a refused request: one sentence."""

    detail = serializers.CharField()


# Validation errors name the parameter or field: {"since": ["..."]}, nested
# for list items; the analysis API wraps them as {"errors": {...}}.
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


class JustificationErrorSerializer(ErrorSerializer):
    """428: the request would show records and no reason was given."""

    missing = serializers.CharField()


JUSTIFICATION_REQUIRED = OpenApiResponse(
    JustificationErrorSerializer,
    description=(
        "No justification: give one for the session (POST /api/v1/justification/)"
        f" or send the {HEADER} header; an export needs its own."
    ),
)
_REASON = {
    "type": "string",
    "minLength": JUSTIFICATION_MIN_CHARS,
    "maxLength": JUSTIFICATION_MAX_CHARS,
}
JUSTIFICATION_HEADER = OpenApiParameter(
    HEADER,
    _REASON,
    OpenApiParameter.HEADER,
    description="Why you are consulting intelligence (logged, DPA 2018 s.62).",
)
JUSTIFICATION_QUERY = OpenApiParameter(
    FIELD,
    _REASON,
    description="The reason for this export (logged); or the header.",
)


class AutoSchema(SpectacularAutoSchema):
    def _justification(self) -> str | None:
        """What the view asks for (audit.justification), if anything."""
        return getattr(self.view, "justification", None)

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if mode := self._justification():
            params.append(JUSTIFICATION_HEADER)
            if mode == PER_EXPORT and self.method == "GET":
                params.append(JUSTIFICATION_QUERY)
        return params

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
        if self._justification():
            errors["428"] = JUSTIFICATION_REQUIRED
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
