"""Case panels: the sittings of CMOG, MACE and the perpetrator forum (and
MASP's), each sitting's agenda of cases due, a case and its review, and the
agenda pack as PDF."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.consults import consult_denied, consulted, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from disruption.models import TaskingMeeting
from people.selectors import subject_order_clocks
from people.web import consultation_write

from ..forms import CaseReviewForm, PanelSittingForm
from ..models import PanelCase
from ..selectors import (
    case_get,
    case_places,
    case_records,
    meeting_agenda,
    panel_meeting_get,
    panel_meetings,
)
from ..services import ActionInput, case_review_record, panel_meeting_open
from .common import practitioner, shows_subjects, users_with
from .pack import agenda_pdf


@require_http_methods(["GET", "POST"])
@consults("Safeguarding: panel sittings", unasked="Not asked: panel dates only")
def panels(request: HttpRequest) -> HttpResponse:
    practitioner(request)
    form = PanelSittingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    meeting = panel_meeting_open(
                        panel=form.cleaned_data["panel"],
                        held_on=form.cleaned_data["held_on"],
                        chair=request.user,
                    )
                if meeting.group == "masp":
                    return redirect("safeguarding:masp")
                return redirect("safeguarding:panel", pk=meeting.pk)
            except ValidationError as err:
                form.add_error(None, err.messages)
        status = 400
    meetings = list(panel_meetings(user=request.user)[:50])
    # Dates and how many cases are due: no child or record shown.
    consulted(request, count=0)
    return render(
        request,
        "safeguarding/panels.html",
        {"meetings": meetings, "form": form},
        status=status,
    )


def _meeting(request, pk: int) -> TaskingMeeting:
    try:
        return panel_meeting_get(user=request.user, pk=pk)
    except TaskingMeeting.DoesNotExist:
        raise Http404("No such panel sitting.") from None


@require_GET
@justification_required(shows_subjects)
@consults("Safeguarding: panel agenda")
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    meeting = _meeting(request, pk)
    agenda = list(meeting_agenda(meeting=meeting))
    consultation_write(
        request=request,
        action=AccessAction.LISTED,
        what=f"Safeguarding: agenda of {meeting}",
        justification=session_justification(request),
        subject_ids=[c.subject_id for c in agenda],
    )
    return render(
        request, "safeguarding/panel.html", {"meeting": meeting, "agenda": agenda}
    )


@require_GET
@justification_required(shows_subjects)
@consults("Safeguarding: agenda pack", action=AccessAction.EXPORTED)
def panel_pack(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    meeting = _meeting(request, pk)
    agenda = list(meeting_agenda(meeting=meeting))
    pdf, record_ids = agenda_pdf(meeting=meeting, agenda=agenda, user=request.user)
    consultation_write(
        request=request,
        action=AccessAction.EXPORTED,
        what=f"Safeguarding: agenda pack of {meeting}",
        justification=session_justification(request),
        record_ids=record_ids,
        subject_ids=[c.subject_id for c in agenda],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="agenda-{meeting.group}-{meeting.held_on:%Y-%m-%d}.pdf"'
    )
    return response


@require_http_methods(["GET", "POST"])
@justification_required(shows_subjects)
@consults("Safeguarding: panel case", action=AccessAction.OPENED)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    try:
        found = case_get(user=request.user, pk=pk)
    except PanelCase.DoesNotExist:
        consult_denied(request, what=f"Panel case: {pk}")
        raise Http404("No such case.") from None
    records = list(case_records(case=found))
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Safeguarding: {found}",
        justification=session_justification(request),
        record_ids=[r.pk for r in records],
        subject_ids=[found.subject_id],
    )
    today = timezone.localdate()
    # The sittings a review may be recorded at: the last three months' and
    # the next two's; by default the one the case is on the agenda of.
    sittings = TaskingMeeting.objects.filter(
        group=found.panel,
        held_on__gte=today - timedelta(days=90),
        held_on__lte=today + timedelta(days=60),
    ).order_by("held_on")
    sitting = (
        sittings.filter(held_on__gte=found.next_review).first()
        or sittings.order_by("-held_on").first()
    )
    form = CaseReviewForm(
        request.POST or None,
        users=users_with("safeguarding.view_screening"),
        sittings=sittings,
        initial={
            "meeting": sitting.pk if sitting else None,
            "risk_level": found.risk_level,
            "lead_professional": found.lead_professional_id,
            "lead_agency": found.lead_agency,
            "intervention": found.intervention,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            meeting = d["meeting"]
            actions = []
            if d["action"]:
                actions.append(
                    ActionInput(
                        description=d["action"],
                        owner=d["lead_professional"],
                        owner_agency=d["lead_agency"],
                        due_date=d["action_due"] or d["next_review"],
                        intervention=d["action_intervention"] or "action",
                    )
                )
            try:
                if meeting is None:
                    raise ValidationError("Open a sitting of this panel first.")
                with transaction.atomic():
                    case_review_record(
                        case=found,
                        meeting=meeting,
                        user=request.user,
                        risk_level=d["risk_level"],
                        lead_professional=d["lead_professional"],
                        lead_agency=d["lead_agency"],
                        next_review=d["next_review"],
                        intervention=d["intervention"],
                        notes=d["notes"],
                        actions=actions,
                    )
                return redirect("safeguarding:case", pk=found.pk)
            except ValidationError as err:
                form.add_error(None, err.messages)
        status = 400
    return render(
        request,
        "safeguarding/case.html",
        {
            "case": found,
            "form": form,
            "sitting": sitting,
            "records": records,
            "places": case_places(case=found),
            "reviews": found.reviews.select_related("meeting", "lead_professional"),
            "actions": found.actions.select_related("owner", "served"),
            "clocks": subject_order_clocks(subject=found.subject),
        },
        status=status,
    )
