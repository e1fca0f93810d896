from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from accounts.roles import hotspot_access_required
from locations.selectors import location_list_shown

from ..forms import WDQForm
from ..selectors.wdq import wdq_actions_at, wdq_default_at, wdq_for_location


@hotspot_access_required
def did_it_work(request: HttpRequest, pk: int) -> HttpResponse:
    location = get_object_or_404(location_list_shown(user=request.user), pk=pk)
    form = WDQForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "analysis/wdq.html",
            {"form": form, "location": location},
            status=400,
        )
    settings = form.wdq_settings(
        default_at=wdq_default_at(
            location=location, days=form.cleaned_data.get("days") or 90
        )
    )
    actions = wdq_actions_at(location=location)[:20]
    return render(
        request,
        "analysis/wdq.html",
        {
            "form": form,
            "location": location,
            "settings": settings,
            "result": wdq_for_location(location_id=location.pk, settings=settings),
            "actions": actions,
            "unfinished": settings.at + timedelta(days=settings.days) > timezone.now(),
        },
    )
