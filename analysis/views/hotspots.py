from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.roles import hotspot_access_required
from common.db.router import standby_reads
from common.placement import placement_sees_exact

from ..forms import HotspotParamsForm
from ..mapimage import map_png
from ..selectors.gistar import CLASS_WORDS, hotspot_grid
from ..selectors.hotspots import hotspot_area_list, hotspot_location_list


def _params(request: HttpRequest) -> HotspotParamsForm:
    """Always bound: an empty query is valid and every field takes its default."""
    form = HotspotParamsForm(request.GET)
    form.is_valid()
    return form


@standby_reads
@hotspot_access_required
def hotspot_list(request: HttpRequest) -> HttpResponse:
    form = _params(request)
    if form.errors:
        return render(request, "analysis/hotspots.html", {"form": form}, status=400)
    settings = form.hotspot_settings()
    include_restricted = placement_sees_exact(user=request.user)
    grid_settings = form.grid_settings(restricted_exact=include_restricted)
    try:
        grid = hotspot_grid(settings=grid_settings)
    except ValueError as exc:
        form.add_error("cell_m", str(exc))
        return render(request, "analysis/hotspots.html", {"form": form}, status=400)
    context = {
        "form": form,
        "settings": settings,
        "grid_settings": grid_settings,
        "spots": hotspot_location_list(
            settings=settings, include_restricted=include_restricted
        ),
        "areas": hotspot_area_list(settings=settings),
        "cells": [c for c in grid.cells() if c.hot_class or c.hot][:30],
        "class_words": CLASS_WORDS,
        "query": request.GET.urlencode(),
        "map_config": {
            "urls": {"hotspots": reverse("api-hotspots")},
            "params": {k: v for k, v in request.GET.items() if k in form.fields},
        },
    }
    return render(request, "analysis/hotspots.html", context)


@standby_reads
@hotspot_access_required
def hotspot_map(request: HttpRequest) -> HttpResponse:
    form = _params(request)
    if form.errors:
        return HttpResponse(
            form.errors.as_text(), status=400, content_type="text/plain"
        )
    settings = form.hotspot_settings()
    include_restricted = placement_sees_exact(user=request.user)
    try:
        grid = hotspot_grid(
            settings=form.grid_settings(restricted_exact=include_restricted)
        )
    except ValueError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")
    spots = hotspot_location_list(
        settings=settings, include_restricted=include_restricted
    )
    png = map_png(grid=grid, spots=spots, title=settings.describe()[:120])
    return HttpResponse(png, content_type="image/png")
