"""Problem profiles: the list, a new profile from a selection, its page
gathering every analysis on its definition, and its PDF for the board.

Profiles are for the roles that see hot spots (analysts, tasking officers,
administrators): a profile lists premises and the disruption done. Opening
one runs its analyses: a consultation, logged with the session's reason;
its PDF is a disclosure, with its own reason each time."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import hotspot_access_required
from audit.consults import consulted, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from audit.web import export_justification_or_page
from disruption.models import Tasking

from ..analyst_forms import ProblemForm
from ..models import ProblemProfile
from ..presenters import problem_present
from ..problempdf import problem_pdf
from ..selectors.problems import (
    problem_list,
    problem_report,
    problem_tasking_choices,
    problem_taskings,
)
from ..services import problem_create, problem_tasking_link
from .analyses import every_role


def _problem(request: HttpRequest, pk: int) -> ProblemProfile:
    try:
        return problem_list(user=request.user).get(pk=pk)
    except ProblemProfile.DoesNotExist:
        raise Http404("No such problem profile.") from None


@hotspot_access_required
def problem_index(request: HttpRequest) -> HttpResponse:
    form = ProblemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_create(owner=request.user, **form.problem_fields())
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            return redirect("analysis:problem", pk=problem.pk)
    if request.method == "GET" and request.GET:
        # Started from an analysis page: its selection, ready to name.
        form = ProblemForm(initial=request.GET.dict(), user=request.user)
        for name in ("kind", "tag"):
            if name in request.GET:
                form.initial[name] = request.GET.getlist(name)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "analysis/problems.html",
        {"form": form, "problems": problem_list(user=request.user)},
        status=status,
    )


def _report(request: HttpRequest, problem: ProblemProfile, *, what: str, reason):
    report = problem_report(user=request.user, problem=problem)
    consulted(
        request,
        action=AccessAction.EXPORTED
        if what.endswith("(PDF)")
        else AccessAction.SEARCHED,
        what=what[:200],
        count=report.records_weighed,
        justification=reason,
    )
    return report


@hotspot_access_required
@justification_required(every_role)
@consults("Problem profile", action=AccessAction.SEARCHED)
def problem_page(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    report = _report(
        request,
        problem,
        what=f"Problem profile: {problem.name}",
        reason=session_justification(request),
    )
    return render(
        request,
        "analysis/problem.html",
        {
            "problem": problem,
            **problem_present(report=report, user=request.user),
            "pdf_url": reverse("analysis:problem-pdf", args=[problem.pk]),
            "taskings": problem_taskings(user=request.user, problem=problem),
            "tasking_choices": problem_tasking_choices(
                user=request.user, problem=problem
            ),
        },
    )


@require_POST
@permission_required("disruption.change_tasking", raise_exception=True)
@hotspot_access_required
def problem_tasking_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A tasking answers the problem."""
    problem = _problem(request, pk)
    raw = request.POST.get("tasking", "")
    tasking = None
    if raw.isascii() and raw.isdigit() and int(raw) < 2**31:
        tasking = Tasking.objects.filter(pk=int(raw)).first()
    if tasking is None:
        return HttpResponse(
            "Choose a tasking to link.", status=400, content_type="text/plain"
        )
    problem_tasking_link(problem=problem, tasking=tasking)
    messages.success(request, f"The tasking now answers {problem.name}.")
    return redirect("analysis:problem", pk=problem.pk)


@hotspot_access_required
@consults("Problem profile (PDF)", action=AccessAction.EXPORTED)
def problem_export(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    what = f"Problem profile: {problem.name} (PDF)"
    reason, page = export_justification_or_page(request, what=what)
    if page is not None:
        return page
    report = _report(request, problem, what=what, reason=reason)
    pdf = problem_pdf(
        problem=problem,
        presented=problem_present(report=report, user=request.user),
        made_by=request.user,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="problem-{problem.pk}.pdf"'
    return response
