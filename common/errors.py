"""Error answers with nothing of the code in them: the site's own pages, and
JSON for the API, so a client never has to parse an HTML page."""

import sys

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.db.unavailable import (
    RETRY_AFTER_S,
    connections_close_failed,
    database_unavailable,
)


def server_error(request: HttpRequest) -> HttpResponse:
    if database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on the server; it has been logged."},
            status=500,
        )
    return defaults.server_error(request)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    connections_close_failed()
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": "The database is not answering (it may be switching to "
                f"a standby); nothing was saved. Try again in {RETRY_AFTER_S} s."
            },
            status=503,
        )
    else:
        # No context processors: they would ask the database again.
        body = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_S})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, which also answers a Django ValidationError (a service's
    `full_clean()`, a model constraint) with a 400 naming the fields, so views
    need not convert it. One envelope for every 400: {"field": ["message"]}."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = serializers.ValidationError(detail)
    return exception_handler(exc, context)
