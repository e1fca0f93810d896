from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.consults import consult_denied, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from people.models import Subject
from people.selectors import subject_search
from people.services import vehicle_for_mark
from people.web import consultation_write

from ..forms import ScreeningForm
from ..models import Screening
from ..rules import rule_steps
from ..selectors import (
    case_scope,
    indicator_set_current,
    repeat_missing_count,
    safety_plan_scope,
    screening_get,
    screening_scope,
    subject_episodes,
    subject_placement,
    young_person_scope,
)
from ..services import AnswerInput, screening_record
from .common import places_choosable, practitioner, shows_subjects


def _young_person(request, pk: int) -> Subject:
    try:
        return young_person_scope(user=request.user).get(pk=pk)
    except Subject.DoesNotExist:
        consult_denied(request, what=f"Young person: {pk}")
        raise Http404("No such young person.") from None


@require_GET
@justification_required(shows_subjects)
@consults("Safeguarding: young people")
def index(request: HttpRequest) -> HttpResponse:
    practitioner(request)
    q = request.GET.get("q", "")[:100]
    qs = subject_search(
        user=request.user, q=q, qs=young_person_scope(user=request.user)
    )
    page = Paginator(qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    consultation_write(
        request=request,
        action=AccessAction.LISTED,
        what="Safeguarding: young people",
        justification=session_justification(request),
        subject_ids=[s.pk for s in page],
    )
    return render(request, "safeguarding/index.html", {"page": page, "q": q})


@require_GET
@justification_required(shows_subjects)
@consults("Safeguarding: young person", action=AccessAction.OPENED)
def young_person(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    subject = _young_person(request, pk)
    episodes = subject_episodes(subject=subject)
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Safeguarding: young person {subject.reference}",
        justification=session_justification(request),
        record_ids=[e.record.pk for e in episodes],
        subject_ids=[subject.pk],
    )
    return render(
        request,
        "safeguarding/young_person.html",
        {
            "subject": subject,
            "screenings": screening_scope(user=request.user).filter(subject=subject),
            "episodes": episodes,
            "repeat": repeat_missing_count(episodes=episodes),
            "placement": subject_placement(subject=subject),
            "plans": safety_plan_scope(user=request.user).filter(subject=subject),
            "cases": case_scope(user=request.user).filter(subject=subject),
        },
    )


@require_http_methods(["GET", "POST"])
@justification_required(shows_subjects)
@consults("Safeguarding: screening form", action=AccessAction.OPENED)
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    subject = _young_person(request, pk)
    tool = indicator_set_current()
    form = ScreeningForm(
        request.POST or None,
        indicators=tool.indicators.all(),
        locations=places_choosable(user=request.user),
    )
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Safeguarding: screening form for {subject.reference}",
        justification=session_justification(request),
        subject_ids=[subject.pk],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            answers = [
                AnswerInput(
                    indicator=ind,
                    presence=data[f"p_{ind.pk}"],
                    when=data[f"w_{ind.pk}"],
                    comment=data[f"c_{ind.pk}"],
                )
                for ind in form.indicators
            ]
            try:
                with transaction.atomic():
                    screening = screening_record(
                        subject=subject,
                        indicator_set=tool,
                        user=request.user,
                        answers=answers,
                        outcome=data["outcome"] or None,
                        override_reason=data["override_reason"],
                        locations=data["locations"],
                        vehicles=[vehicle_for_mark(mark=m) for m in data["vehicles"]],
                    )
                return redirect("safeguarding:screening", pk=screening.pk)
            except ValidationError as e:
                for field, errors in e.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        status = 400
    return render(
        request,
        "safeguarding/screen.html",
        {
            "subject": subject,
            "tool": tool,
            "form": form,
            "steps": rule_steps(indicator_set=tool),
        },
        status=status,
    )


@require_GET
@justification_required(shows_subjects)
@consults("Safeguarding: screening", action=AccessAction.OPENED)
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    try:
        found = screening_get(user=request.user, pk=pk)
    except Screening.DoesNotExist:
        consult_denied(request, what=f"Screening: {pk}")
        raise Http404("No such screening.") from None
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Safeguarding: screening {found.pk} of {found.subject.reference}",
        justification=session_justification(request),
        subject_ids=[found.subject_id],
    )
    return render(
        request,
        "safeguarding/screening.html",
        {
            "s": found,
            "answers": found.answers.select_related("indicator"),
            "mentions": found.mentions.select_related("location", "vehicle"),
            "steps": rule_steps(indicator_set=found.indicator_set),
        },
    )
