"""The OpenAPI schema class the API uses: common.schema's, plus the
consultation reason (DPA 2018 s.62) that views reading intelligence ask for."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from common.schema import AutoSchema as BaseAutoSchema
from common.schema import ErrorSerializer

from .justification import (
    FIELD,
    HEADER,
    JUSTIFICATION_MAX_CHARS,
    JUSTIFICATION_MIN_CHARS,
    PER_EXPORT,
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


class AutoSchema(BaseAutoSchema):
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

    def _extra_errors(self) -> dict:
        return {"428": JUSTIFICATION_REQUIRED} if self._justification() else {}
