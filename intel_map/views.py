from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from disruption.models import DisruptionAction, Tasking, TaskingStatus
from locations.models import Area, ConcernLevel, Location


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in landing page: what is in the system at a glance."""
    context = {
        "location_count": Location.objects.count(),
        "flagged_count": Location.objects.exclude(
            concern_level=ConcernLevel.NONE
        ).count(),
        "area_counts": Area.objects.values("area_type").annotate(n=Count("id")),
        "action_count": DisruptionAction.objects.count(),
        "open_taskings": Tasking.objects.filter(
            status__in=[TaskingStatus.OPEN, TaskingStatus.IN_PROGRESS]
        ).count(),
    }
    return render(request, "home.html", context)
