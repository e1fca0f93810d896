"""Error answers with nothing of the code in them: the site's own pages, and
JSON for the API, so a client never has to parse an HTML page."""

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from intel_map.db.unavailable import (
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
