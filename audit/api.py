"""The session's justification for the map's own calls (session auth)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .justification import (
    FIELD,
    JUSTIFICATION_MAX_CHARS,
    JUSTIFICATION_MIN_CHARS,
    session_justification,
    session_justification_set,
)

_REQUEST = inline_serializer(
    "JustificationRequest",
    {
        FIELD: serializers.CharField(
            min_length=JUSTIFICATION_MIN_CHARS, max_length=JUSTIFICATION_MAX_CHARS
        )
    },
)
_ANSWER = inline_serializer(
    "Justification", {FIELD: serializers.CharField(allow_null=True)}
)


@extend_schema(request=_REQUEST, responses={200: _ANSWER})
@api_view(["GET", "POST"])
def justification(request):
    """GET: the reason given for this session (or null). POST
    {"justification": "..."}: give it, for every later call in the session.
    Token clients send the X-Justification header with each request instead."""
    if request.method == "POST":
        body = request.data if hasattr(request.data, "get") else {}
        session_justification_set(request=request, text=body.get(FIELD))
    return Response({FIELD: session_justification(request)})


urlpatterns = [path("justification/", justification, name="api-justification")]
