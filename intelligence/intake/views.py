"""The partner information form, its premises and postcode look-ups, and
the submitter's own submissions.

Open to every role that may submit (intelligence.submit_record): partners,
licensing and community safety officers as well as analysts and tasking
officers. A submitter sees what they submitted and its status, never how it
was graded or linked, and no other record (404 for any other id)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from audit.consults import consulted, consults
from audit.models import AccessAction
from intelligence.grading import submit_can
from intelligence.models import IndicatorTag, IntelligenceRecord, RecordStatus
from locations.selectors import postcode_point

from .forms import PREMISES_HOW, SubmissionForm
from .selectors import (
    SEARCH_MIN_CHARS,
    premises_search,
    submission_get_own,
    submission_list_own,
)
from .services import submission_create

PAGE_SIZE = 25
# The log's reason for a submitter reading back what they sent: they
# consult nothing of anyone else's, so they are not asked for one.
OWN_SUBMISSION_REASON = "The submitter reading their own submission"

# What a submitter is told of their submission: whether it has been dealt
# with, not the grade, the summary or the links an analyst made.
SUBMITTER_STATUS = {
    RecordStatus.AWAITING: "Awaiting grading",
    RecordStatus.GRADED: "Graded",
    RecordStatus.DUPLICATE: "Graded: the same report was already held",
    RecordStatus.MERGED: "Graded: added to a report already held",
}


def submitter_status(record: IntelligenceRecord) -> str:
    return SUBMITTER_STATUS[RecordStatus(record.status)]


def tag_labels(tags: list[str]) -> list[str]:
    known = dict(IndicatorTag.choices)
    return [known.get(t, t) for t in tags]


def _submitter(request: HttpRequest) -> None:
    if not submit_can(user=request.user):
        raise PermissionDenied("Your role does not submit intelligence.")


def _premises_chosen(form: SubmissionForm) -> list[dict]:
    """The premises already chosen, to show again when the form is refused."""
    chosen = getattr(form, "cleaned_data", {}).get("premises")
    if not isinstance(chosen, list):
        return []
    return [
        {"id": loc.pk, "name": loc.name, "how": how}
        for loc, how in chosen
        if hasattr(loc, "pk")
    ]


def _form_page(request, form, status=200) -> HttpResponse:
    config = {
        "premisesSearch": reverse("intelligence:premises-search"),
        "postcodeLookup": reverse("intelligence:postcode-lookup"),
        "searchMinChars": SEARCH_MIN_CHARS,
        "premisesHow": PREMISES_HOW,
        "chosen": _premises_chosen(form),
        "center": list(settings.MAP_CENTER),
    }
    return render(
        request,
        "intelligence/submit.html",
        {"form": form, "config": config},
        status=status,
    )


def submit(request: HttpRequest) -> HttpResponse:
    _submitter(request)
    if request.method != "POST":
        return _form_page(request, SubmissionForm(user=request.user))
    form = SubmissionForm(request.POST, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    record = submission_create(user=request.user, data=form.cleaned_data)
    messages.success(
        request,
        f"Thank you: {record.reference} is submitted and waits for an analyst "
        "to grade it.",
    )
    return redirect("intelligence:submission", pk=record.pk)


@require_GET
def premises_lookup(request: HttpRequest) -> JsonResponse:
    """The typeahead: premises whose name (or postcode) holds what was
    typed. Names, categories and addresses of the register, no concern
    flags; children's homes, schools and residential addresses only for
    roles cleared for their position."""
    _submitter(request)
    found = premises_search(user=request.user, q=request.GET.get("q", ""))
    return JsonResponse(
        {
            "results": [
                {
                    "id": loc.pk,
                    "name": loc.name,
                    "category": loc.get_category_display(),
                    "address": loc.address,
                    "postcode": loc.postcode,
                    "point": [round(loc.point.x, 6), round(loc.point.y, 6)],
                }
                for loc in found
            ]
        }
    )


@require_GET
def postcode_lookup(request: HttpRequest) -> JsonResponse:
    _submitter(request)
    postcode = request.GET.get("postcode", "").strip()
    point = postcode_point(postcode=postcode) if postcode else None
    if point is None:
        return JsonResponse(
            {
                "postcode": [
                    f"“{postcode}” is not a postcode we know: check it, or "
                    "pick the place on the map."
                ]
            },
            status=400,
        )
    return JsonResponse({"point": [round(point.x, 6), round(point.y, 6)]})


@require_GET
@consults("Own submissions", reason=OWN_SUBMISSION_REASON, denied_on=())
def submissions(request: HttpRequest) -> HttpResponse:
    _submitter(request)
    page = Paginator(submission_list_own(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for record in page:
        record.submitter_status = submitter_status(record)
    # The submitter's own words, read back to them: logged as any listing of
    # records is, with no reason asked (they consult nothing of anyone else).
    consulted(request, record_ids=[r.pk for r in page])
    return render(request, "intelligence/submissions.html", {"page": page})


@require_GET
@consults(
    "Own submission",
    action=AccessAction.OPENED,
    reason=OWN_SUBMISSION_REASON,
    denied_ids="pk",
)
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    _submitter(request)
    try:
        record = submission_get_own(user=request.user, pk=pk)
    except IntelligenceRecord.DoesNotExist:
        raise Http404("No such submission of yours.") from None
    consulted(request, record_ids=[record.pk])
    return render(
        request,
        "intelligence/submission.html",
        {
            "record": record,
            "status": submitter_status(record),
            "tag_labels": tag_labels(record.tags),
        },
    )
