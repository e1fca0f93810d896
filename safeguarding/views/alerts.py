"""Safety plans (made from the young person's page) and their alerts: the
practitioner sees every alert, a police contact those of their plans, with
the record and what matched, never the child's profile."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.consults import consult_denied, consulted, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from people.services import vehicle_for_mark
from people.web import consultation_write

from ..forms import SafetyPlanForm
from ..models import SafetyPlanAlert
from ..selectors import (
    alert_get,
    alert_scope,
    alerts_can_view,
    safeguarding_can_view,
)
from ..services import alert_acknowledge, safety_plan_create
from .common import (
    alert_reader,
    places_choosable,
    practitioner,
    shows_subjects,
    users_with,
)
from .screening import _young_person


@require_http_methods(["GET", "POST"])
@justification_required(shows_subjects)
@consults("Safeguarding: new safety plan", action=AccessAction.OPENED)
def safety_plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    subject = _young_person(request, pk)
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Safeguarding: safety plan form for {subject.reference}",
        justification=session_justification(request),
        subject_ids=[subject.pk],
    )
    form = SafetyPlanForm(
        request.POST or None,
        police=users_with("intelligence.view_record_content"),
        professionals=users_with("safeguarding.view_screening"),
        locations=places_choosable(user=request.user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    safety_plan_create(
                        subject=subject,
                        police_contact=d["police_contact"],
                        lead_professional=d["lead_professional"],
                        starts_on=d["starts_on"],
                        ends_on=d["ends_on"],
                        user=request.user,
                        locations=d["locations"],
                        vehicles=[vehicle_for_mark(mark=m) for m in d["vehicles"]],
                    )
                return redirect("safeguarding:young-person", pk=subject.pk)
            except ValidationError as err:
                form.add_error(None, err.messages)
        status = 400
    return render(
        request,
        "safeguarding/safety_plan_new.html",
        {"subject": subject, "form": form},
        status=status,
    )


def _shows_records(user) -> bool:
    return safeguarding_can_view(user=user) or alerts_can_view(user=user)


@require_GET
@justification_required(_shows_records)
@consults("Safety-plan alerts")
def alerts(request: HttpRequest) -> HttpResponse:
    alert_reader(request)
    shown = list(alert_scope(user=request.user)[:100])
    consulted(request, record_ids=[a.record_id for a in shown])
    return render(
        request,
        "safeguarding/alerts.html",
        {"alerts": shown, "sees_child": safeguarding_can_view(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
@justification_required(_shows_records)
@consults("Safety-plan alert", action=AccessAction.OPENED)
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    alert_reader(request)
    try:
        found = alert_get(user=request.user, pk=pk)
    except SafetyPlanAlert.DoesNotExist:
        consult_denied(request, what=f"Safety-plan alert: {pk}")
        raise Http404("No such alert.") from None
    consulted(request, record_ids=[found.record_id])
    error = ""
    if request.method == "POST":
        try:
            alert_acknowledge(alert=found, user=request.user)
            return redirect("safeguarding:alert", pk=found.pk)
        except ValidationError as err:
            error = " ".join(err.messages)
    return render(
        request,
        "safeguarding/alert.html",
        {
            "a": found,
            "error": error,
            "sees_child": safeguarding_can_view(user=request.user),
            "triggers": found.plan.triggers.select_related("location", "vehicle"),
        },
        status=409 if error else 200,
    )
