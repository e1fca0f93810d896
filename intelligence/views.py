"""Retention review pages: the queue of records due, and one record's review.

Who may review: intelligence.review_retention (analysts, administrators);
which records: those visible_to(user), so a record the user may not see
answers 404 whether it exists or not.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit.consults import consult_denied, consulted, consults
from audit.justification import justification_required
from audit.models import AccessAction
from people.views import review_queue_subjects

from .forms import DisposeForm, RetainForm
from .models import IntelligenceRecord
from .selectors import (
    record_can_review,
    record_change_history,
    record_for_review,
    record_review_queue,
    record_reviews,
)
from .services import record_review_dispose, record_review_retain

QUEUE_PAGE_SIZE = 50


def _reviewer(request: HttpRequest) -> None:
    if not record_can_review(user=request.user):
        raise PermissionDenied("Your role does not review records for retention.")


def _record(request: HttpRequest, pk: int) -> IntelligenceRecord:
    try:
        return record_for_review(user=request.user, pk=pk)
    except IntelligenceRecord.DoesNotExist:
        consult_denied(request, what="Retention review", record_ids=[pk])
        raise Http404("No such record, or not one you may see.") from None


def _reviewing(user) -> bool:
    return record_can_review(user=user)


# The queue and a record's review page show records (references, kinds,
# dates; the review page their content and history): a consultation under
# s.62, so a session reason is asked and each page is logged.
@justification_required(_reviewing)
@consults("Retention review queue", denied_on=())
def review_queue(request: HttpRequest) -> HttpResponse:
    _reviewer(request)
    today = timezone.localdate()
    page = Paginator(
        record_review_queue(user=request.user, today=today), QUEUE_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for record in page:
        record.days_overdue = (today - record.review_date).days
    consulted(request, record_ids=[r.pk for r in page])
    return render(
        request,
        "intelligence/review_queue.html",
        {
            "page": page,
            "today": today,
            # Subjects' profiles join the same queue (people/).
            "subjects_due": review_queue_subjects(request),
        },
    )


def _render(request, record, *, retain_form=None, dispose_form=None, status=200):
    initial = {"review_due": record.review_date}
    context = {
        "record": record,
        "links": list(record.location_links.all()),
        "due": record.review_date <= timezone.localdate(),
        "reviews": record_reviews(record_id=record.pk),
        "changes": record_change_history(record=record, limit=100),
        "retain_form": retain_form or RetainForm(initial=initial),
        "dispose_form": dispose_form or DisposeForm(initial=initial),
    }
    return render(request, "intelligence/review.html", context, status=status)


@justification_required(_reviewing)
@consults("Retention review", action=AccessAction.OPENED, denied_on=())
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    _reviewer(request)
    record = _record(request, pk)
    consulted(request, record_ids=[record.pk])
    return _render(request, record)


def _decide(
    request, pk: int, form_class, service, form_key: str
) -> tuple[IntelligenceRecord, HttpResponse | None]:
    """Run one decision; the record, and the page to answer with if refused."""
    _reviewer(request)
    record = _record(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("confirm", None)
        try:
            service(record=record, user=request.user, **data)
        except IntelligenceRecord.DoesNotExist:
            raise Http404("This record has been disposed of.") from None
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return record, None
    # The refused form is shown on the record's review page: its content
    # again, so logged as opened again.
    shown = _record(request, pk)
    consulted(request, record_ids=[shown.pk])
    return record, _render(request, shown, status=400, **{form_key: form})


@require_POST
@justification_required(_reviewing)
@consults("Retention review", action=AccessAction.OPENED, denied_on=())
def review_retain(request: HttpRequest, pk: int) -> HttpResponse:
    record, refused = _decide(
        request, pk, RetainForm, record_review_retain, "retain_form"
    )
    if refused is not None:
        return refused
    messages.success(
        request,
        f"{record.reference} retained; next review {record.review_date:%-d %b %Y}.",
    )
    return redirect("intelligence:review-queue")


@require_POST
@justification_required(_reviewing)
@consults("Retention review", action=AccessAction.OPENED, denied_on=())
def review_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    record, refused = _decide(
        request, pk, DisposeForm, record_review_dispose, "dispose_form"
    )
    if refused is not None:
        return refused
    messages.success(
        request,
        f"{record.reference} disposed of: its content is deleted, the decision kept.",
    )
    return redirect("intelligence:review-queue")
