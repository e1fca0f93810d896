"""Error answers with nothing of the code in them: the site's own pages, and
JSON for the API, so a client never has to parse an HTML page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "Something went wrong on the server; it has been logged."},
            status=500,
        )
    return defaults.server_error(request)
