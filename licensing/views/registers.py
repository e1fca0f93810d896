"""The licensing register's pages: drivers, vehicles, operators, the staff
and councillors' register, and licence decisions.

Drivers' names are licensing personal data: every page that shows them asks
for the session's reason and is logged (audit.consults) with the drivers and
vehicles shown. A role not cleared is refused a register (403) and answered
404 for a driver or vehicle, as a missing one is.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.consults import consulted, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from people.web import consultation_write

from ..compliance import compliance_missing
from ..forms import LicenceActionForm
from ..models import Compliance, Driver, LicenceType, LicensedVehicle
from ..selectors import (
    driver_compliance_counts,
    driver_get,
    driver_list,
    licensed_vehicle_get,
    licensed_vehicle_list,
    licensing_can_act,
    licensing_can_view,
    operator_list,
    staff_can_view,
    staff_list,
    taxi_check_can_log,
    taxi_checks_for,
)
from ..services import licence_act, prompt_dismiss

PAGE_SIZE = 50


def _shows_licences(user) -> bool:
    return licensing_can_view(user=user)


def _shows_staff(user) -> bool:
    return staff_can_view(user=user)


def _register(request: HttpRequest) -> None:
    if not licensing_can_view(user=request.user):
        raise PermissionDenied("The licensing register is for licensing roles.")


def _object(request: HttpRequest) -> None:
    if not licensing_can_view(user=request.user):
        raise Http404("No such licence.")


def _log(request, *, what: str, action=AccessAction.LISTED, drivers=(), vehicles=()):
    consultation_write(
        request=request,
        action=action,
        what=what,
        justification=session_justification(request),
        vehicle_ids=vehicles,
    )
    if drivers:
        consulted(
            request,
            action=action,
            what=f"{what}: drivers",
            count=len(drivers),
            params={"driver_ids": sorted(drivers)},
        )


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


@require_GET
@justification_required(_shows_licences)
@consults("Licensing register: drivers")
def driver_register(request: HttpRequest) -> HttpResponse:
    _register(request)
    q = request.GET.get("q", "").strip()[:100]
    compliance = request.GET.get("compliance", "")
    licence_type = request.GET.get("licence_type", "")
    if compliance and compliance not in Compliance.values:
        return HttpResponse(
            f"compliance must be one of {', '.join(Compliance.values)}.", status=400
        )
    if licence_type and licence_type not in LicenceType.values:
        return HttpResponse(
            f"licence_type must be one of {', '.join(LicenceType.values)}.", status=400
        )
    operator = request.GET.get("operator", "")
    if operator and _int(operator) is None:
        return HttpResponse("operator must be an operator's id.", status=400)
    qs = driver_list(
        q=q,
        compliance=compliance,
        licence_type=licence_type,
        operator_id=_int(operator),
    )
    order = (
        "-days_overdue" if compliance == Compliance.NOT_COMPLIANT else "licence_number"
    )
    qs = qs.order_by(f"{order}", "licence_number") if order != "licence_number" else qs
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"driver": d, "missing": compliance_missing(d)} for d in page]
    _log(request, what="Licensing register: drivers", drivers=[d.pk for d in page])
    return render(
        request,
        "licensing/driver_register.html",
        {
            "page": page,
            "rows": rows,
            "q": q,
            "compliance": compliance,
            "licence_type": licence_type,
            "compliances": Compliance.choices,
            "licence_types": LicenceType.choices,
            "counts": driver_compliance_counts(),
            "can_act": licensing_can_act(user=request.user),
        },
    )


@require_GET
@justification_required(_shows_licences)
@consults("Licensing: driver", action=AccessAction.OPENED)
def driver_page(request: HttpRequest, pk: int) -> HttpResponse:
    _object(request)
    try:
        driver = driver_get(pk=pk)
    except Driver.DoesNotExist:
        raise Http404("No such driver.") from None
    vehicles = list(licensed_vehicle_list().filter(driver=driver))
    _log(
        request,
        what=f"Licensing: driver {driver.licence_number}",
        action=AccessAction.OPENED,
        drivers=[driver.pk],
        vehicles=[v.vehicle_id for v in vehicles],
    )
    return _driver_render(request, driver=driver, vehicles=vehicles)


def _driver_render(request, *, driver, vehicles, form=None, status=200):
    return render(
        request,
        "licensing/driver.html",
        {
            "driver": driver,
            "missing": compliance_missing(driver),
            "vehicles": vehicles,
            "actions": driver.actions.select_related("decided_by"),
            "checks": taxi_checks_for(driver=driver)[:20],
            "form": form or LicenceActionForm(),
            "can_act": licensing_can_act(user=request.user),
            "can_check": taxi_check_can_log(user=request.user),
        },
        status=status,
    )


@require_POST
@justification_required(_shows_licences)
@consults("Licensing: licence decision", action=AccessAction.OPENED)
def driver_act(request: HttpRequest, pk: int) -> HttpResponse:
    _object(request)
    if not licensing_can_act(user=request.user):
        raise PermissionDenied("Licence decisions are for licensing officers.")
    try:
        driver = driver_get(pk=pk)
    except Driver.DoesNotExist:
        raise Http404("No such driver.") from None
    _log(
        request,
        what=f"Licensing: decision on {driver.licence_number}",
        action=AccessAction.OPENED,
        drivers=[driver.pk],
    )
    form = LicenceActionForm(request.POST)
    if form.is_valid():
        try:
            action = licence_act(driver=driver, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Licence {driver.licence_number}: {action.get_kind_display().lower()} "
                f"from {action.effective_on:%d %b %Y}.",
            )
            return redirect(driver.get_absolute_url())
    vehicles = list(licensed_vehicle_list().filter(driver=driver))
    return _driver_render(
        request, driver=driver, vehicles=vehicles, form=form, status=400
    )


@require_GET
@justification_required(_shows_licences)
@consults("Licensing register: vehicles")
def vehicle_register(request: HttpRequest) -> HttpResponse:
    _register(request)
    q = request.GET.get("q", "").strip()[:40]
    page = Paginator(licensed_vehicle_list(q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _log(
        request,
        what="Licensing register: vehicles",
        vehicles=[v.vehicle_id for v in page],
        drivers=[v.driver_id for v in page if v.driver_id],
    )
    return render(request, "licensing/vehicle_register.html", {"page": page, "q": q})


@require_GET
@justification_required(_shows_licences)
@consults("Licensing: vehicle", action=AccessAction.OPENED)
def vehicle_page(request: HttpRequest, pk: int) -> HttpResponse:
    _object(request)
    try:
        licence = licensed_vehicle_get(pk=pk)
    except LicensedVehicle.DoesNotExist:
        raise Http404("No such licensed vehicle.") from None
    _log(
        request,
        what=f"Licensing: vehicle {licence.plate_number}",
        action=AccessAction.OPENED,
        vehicles=[licence.vehicle_id],
        drivers=[licence.driver_id] if licence.driver_id else [],
    )
    return render(
        request,
        "licensing/vehicle.html",
        {
            "licence": licence,
            "missing": compliance_missing(licence.driver) if licence.driver else [],
            "checks": taxi_checks_for(vehicle=licence)[:20],
            "can_check": taxi_check_can_log(user=request.user),
        },
    )


@require_GET
@consults("Licensing register: operators", aggregate=True)
def operator_register(request: HttpRequest) -> HttpResponse:
    """Operators (businesses) with counts of their drivers and vehicles:
    no driver is named, so no reason is asked; the counts are logged."""
    _register(request)
    operators = list(operator_list())
    consulted(request, count=sum(o.driver_count for o in operators))
    return render(request, "licensing/operator_register.html", {"operators": operators})


@require_GET
@justification_required(_shows_staff)
@consults("Licensing: staff and councillors' register")
def staff_register(request: HttpRequest) -> HttpResponse:
    if not staff_can_view(user=request.user):
        raise PermissionDenied("The staff register is for licensing officers.")
    compliance = request.GET.get("compliance", "")
    if compliance and compliance not in Compliance.values:
        return HttpResponse(
            f"compliance must be one of {', '.join(Compliance.values)}.", status=400
        )
    page = Paginator(staff_list(compliance=compliance), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [{"member": s, "missing": compliance_missing(s)} for s in page]
    consulted(
        request,
        what="Licensing: staff and councillors' register",
        count=len(rows),
        params={"staff_ids": [s.pk for s in page]},
    )
    return render(
        request,
        "licensing/staff_register.html",
        {
            "page": page,
            "rows": rows,
            "compliance": compliance,
            "compliances": Compliance.choices,
        },
    )


@require_http_methods(["POST"])
def prompt_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        raise PermissionDenied
    if not prompt_dismiss(user=request.user, pk=pk):
        raise Http404("No such prompt of yours.")
    return redirect("home")
