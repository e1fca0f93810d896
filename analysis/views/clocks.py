from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from disruption.legal import WARN_DAYS, legal_clock_list
from disruption.selectors import disruption_scope


@permission_required("disruption.view_disruptionaction", raise_exception=True)
def clock_dashboard(request: HttpRequest) -> HttpResponse:
    clocks = legal_clock_list(qs=disruption_scope(user=request.user))
    return render(
        request,
        "analysis/clocks.html",
        {
            "clocks": clocks,
            "due": [c for c in clocks if c.state != "running"],
            "warn_days": WARN_DAYS,
        },
    )
