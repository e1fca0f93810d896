"""Triage pages (analysts, administrators): the queue of submissions
awaiting grading, oldest first, and one record's grading, links and
duplicates. Each shows record content: a session reason is asked and every
page is written to the access log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit.consults import consult_denied, consulted, consults
from audit.justification import justification_required
from audit.models import AccessAction
from common.versions import StaleEdit
from intelligence.grading import grade_can
from intelligence.intake.selectors import premises_selectable
from intelligence.intake.views import tag_labels
from intelligence.models import IntelligenceRecord, RecordStatus
from intelligence.selectors import record_change_history

from .forms import DuplicateForm, GradeForm, LinkForm
from .selectors import (
    duplicate_suggestions,
    link_suggestions,
    triage_queue,
    triage_record,
    triage_scope,
)
from .services import record_duplicate_mark, record_grade, record_link_add

PAGE_SIZE = 50


def _grader(request: HttpRequest) -> None:
    if not grade_can(user=request.user):
        raise PermissionDenied("Your role does not grade intelligence.")


def _grading(user) -> bool:
    return grade_can(user=user)


def _record(request: HttpRequest, pk: int) -> IntelligenceRecord:
    try:
        return triage_record(user=request.user, pk=pk)
    except IntelligenceRecord.DoesNotExist:
        consult_denied(request, what="Triage", record_ids=[pk])
        raise Http404("No such record, or not one you may see.") from None


def _log(request, *, action, what, ids) -> None:
    consulted(request, action=action, what=what, record_ids=ids)


@require_GET
@justification_required(_grading)
@consults("Triage queue", denied_on=())
def queue(request: HttpRequest) -> HttpResponse:
    _grader(request)
    page = Paginator(triage_queue(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for r in page:
        r.waiting = now - r.submitted_at if r.submitted_at else None
    _log(
        request,
        action=AccessAction.LISTED,
        what="Triage queue",
        ids=[r.pk for r in page],
    )
    return render(request, "intelligence/triage_queue.html", {"page": page})


def _page(request, record, *, grade_form=None, conflict="", status=200):
    near, named = link_suggestions(
        user=request.user, record=record, q=request.GET.get("q", "")
    )
    initial = {
        "lon": record.point.x,
        "lat": record.point.y,
        "precision_m": record.precision_m,
        "summary": record.summary,
        "version": record.version,
    }
    context = {
        "record": record,
        "awaiting": record.status == RecordStatus.AWAITING,
        "tag_labels": tag_labels(record.tags),
        "links": list(record.location_links.all()),
        "grade_form": grade_form or GradeForm(initial=initial),
        "link_form": LinkForm(),
        "near": near,
        "named": named,
        "q": request.GET.get("q", ""),
        "duplicates": duplicate_suggestions(user=request.user, record=record),
        "changes": record_change_history(record=record, limit=50),
        "conflict": conflict,
        "map_data": {"point": [record.point.x, record.point.y]},
    }
    return render(request, "intelligence/triage_record.html", context, status=status)


@justification_required(_grading)
@consults("Triage", action=AccessAction.OPENED, denied_on=())
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the record's triage page. POST: its grade."""
    _grader(request)
    rec = _record(request, pk)
    _log(request, action=AccessAction.OPENED, what="Triage", ids=[rec.pk])
    if request.method != "POST":
        return _page(request, rec)
    form = GradeForm(request.POST)
    if not form.is_valid():
        return _page(request, rec, grade_form=form, status=400)
    data = form.cleaned_data
    try:
        graded = record_grade(
            record=rec,
            user=request.user,
            version=data["version"],
            source_evaluation=data["source_evaluation"],
            intelligence_assessment=data["intelligence_assessment"],
            handling_code=data["handling_code"],
            handling_conditions=data["handling_conditions"],
            summary=data["summary"],
            point=data["point"],
            precision_m=data["precision_m"],
        )
    except StaleEdit as exc:
        # What they typed stays in the form; the page shows the record as
        # it is now.
        return _page(
            request,
            _record(request, pk),
            grade_form=form,
            conflict=str(exc),
            status=409,
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _page(request, rec, grade_form=form, status=400)
    messages.success(
        request, f"{graded.reference} graded {graded.grade}: it now counts."
    )
    return redirect("intelligence:triage-record", pk=graded.pk)


def _refused(request, rec, text: str) -> HttpResponse:
    """The record's page again, with why nothing was done."""
    _log(request, action=AccessAction.OPENED, what="Triage", ids=[rec.pk])
    messages.error(request, text)
    return _page(request, rec, status=400)


@require_POST
@justification_required(_grading)
@consults("Triage", action=AccessAction.OPENED, denied_on=())
def link(request: HttpRequest, pk: int) -> HttpResponse:
    _grader(request)
    rec = _record(request, pk)
    form = LinkForm(request.POST)

    location = None
    if form.is_valid():
        location = (
            premises_selectable(user=request.user)
            .filter(pk=form.cleaned_data["location"])
            .first()
        )
        if location is None:
            form.add_error("location", "No premises in the register has that id.")
    if location is None:
        errors = [e for errs in form.errors.values() for e in errs]
        return _refused(request, rec, f"Not linked: {' '.join(errors)}")
    record_link_add(
        record=rec, location=location, link_type=form.cleaned_data["link_type"]
    )
    messages.success(request, f"{rec.reference} linked to {location.name}.")
    return redirect("intelligence:triage-record", pk=rec.pk)


@require_POST
@justification_required(_grading)
@consults("Triage", action=AccessAction.OPENED, denied_on=())
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    _grader(request)
    rec = _record(request, pk)
    form = DuplicateForm(request.POST)
    error = ""
    if form.is_valid():
        of = triage_scope(user=request.user).filter(pk=form.cleaned_data["of"]).first()
        if of is None:
            error = "No record you may see has that id."
        else:
            try:
                marked = record_duplicate_mark(
                    record=rec,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    of=of,
                    merge=form.cleaned_data["action"] == "merge",
                )
            except StaleEdit as exc:
                _log(request, action=AccessAction.OPENED, what="Triage", ids=[rec.pk])
                return _page(
                    request, _record(request, pk), conflict=str(exc), status=409
                )
            except ValidationError as exc:
                error = " ".join(m for msgs in exc.message_dict.values() for m in msgs)
            else:
                verb = (
                    "merged into"
                    if marked.status == RecordStatus.MERGED
                    else ("marked as a duplicate of")
                )
                messages.success(request, f"{rec.reference} {verb} {of.reference}.")
                return redirect("intelligence:triage")
    else:
        error = "Choose the earlier record and whether to merge."
    return _refused(request, rec, f"Nothing was changed: {error}")
