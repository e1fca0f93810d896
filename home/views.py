from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.consults import WORKLIST_REASON_NOT_ASKED, consulted, consults
from licensing.services import prompt_mark_seen

from .selectors import home_panels


@consults("Home page", unasked=WORKLIST_REASON_NOT_ASKED, denied_on=())
def home_page(request: HttpRequest) -> HttpResponse:
    """Where every role lands: what needs them today. Its panels list
    records by reference (due for review, awaiting grading, one's own
    submissions): logged as listed, an empty list too (the queues were
    searched)."""
    panels = home_panels(user=request.user)
    shown = [r.pk for r in (*panels.records, *panels.awaiting_grading)]
    shown += [r.pk for r in panels.submissions if r.pk not in shown]
    shown += [a.record_id for a in panels.safety_alerts if a.record_id not in shown]
    consulted(request, record_ids=shown)
    if panels.licence_prompts:
        # When the officer was shown the prompt: kept on the prompt's row.
        prompt_mark_seen(user=request.user)
    return render(request, "home/home.html", {"p": panels})
