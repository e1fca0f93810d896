from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import can_see_hotspots

from ..index import analysis_index_entries


def analysis_index(request: HttpRequest) -> HttpResponse:
    """The analysis pages this user may open, each with what it is for."""
    entries = analysis_index_entries(request.user)
    if not entries:
        raise PermissionDenied("Your role opens no analysis page.")
    return render(
        request,
        "analysis/index.html",
        {"entries": entries, "did_it_work": can_see_hotspots(request.user)},
    )
