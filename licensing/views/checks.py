"""Logging a taxi or private-hire check against a licence."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..forms import TaxiCheckForm
from ..models import Driver
from ..selectors import taxi_check_can_log
from ..services import taxi_check_log


@require_http_methods(["GET", "POST"])
def taxi_check(request: HttpRequest) -> HttpResponse:
    if not taxi_check_can_log(user=request.user):
        raise PermissionDenied("Taxi checks are logged by licensing officers.")
    form = TaxiCheckForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        vehicle = form.plate_vehicle()
        number = form.cleaned_data["driver_licence"].strip()
        driver = (
            Driver.objects.filter(licence_number__iexact=number).first()
            if number
            else None
        )
        if form.cleaned_data["plate"] and vehicle is None:
            form.add_error("plate", "No licensed vehicle has that plate or mark.")
        elif number and driver is None:
            form.add_error("driver_licence", "No driver holds that licence number.")
        else:
            try:
                check = taxi_check_log(
                    officer=request.user,
                    vehicle=vehicle,
                    driver=driver,
                    outcome=form.cleaned_data["outcome"],
                    occurred_at=form.cleaned_data["occurred_at"],
                    location=form.cleaned_data["location"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"Check logged: {check.get_outcome_display()}"
                    + (
                        f" (the licence was {check.get_status_when_checked_display().lower()})"
                        if check.status_when_checked not in ("", "active")
                        else ""
                    ),
                )
                target = check.driver or check.vehicle
                return redirect(target.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "licensing/check.html", {"form": form}, status=status)
