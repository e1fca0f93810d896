from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from disruption.legal import WARN_DAYS, legal_clock_list
from disruption.models import DisruptionAction


@permission_required("disruption.view_disruptionaction", raise_exception=True)
def clock_dashboard(request: HttpRequest) -> HttpResponse:
    qs = None
    if request.user.has_perm("disruption.view_own_agency_only") and not (
        request.user.is_superuser
    ):
        profile = getattr(request.user, "profile", None)
        qs = DisruptionAction.objects.filter(agency=getattr(profile, "agency", ""))
    clocks = legal_clock_list(qs=qs)
    return render(
        request,
        "analysis/clocks.html",
        {
            "clocks": clocks,
            "due": [c for c in clocks if c.state != "running"],
            "warn_days": WARN_DAYS,
        },
    )
