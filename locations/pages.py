"""The premises register, and adding and editing premises in the browser."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.roles import MAP_READ_PERMISSION
from audit.consults import consults
from audit.models import AccessAction
from common.versions import StaleEdit
from registers.core import Register, register_response, register_select

from .filters import LocationFilter
from .forms import PremisesForm
from .models import Location
from .selectors import (
    location_duplicates,
    location_get,
    location_is_editable,
    location_scope,
    postcode_point,
)
from .services import location_create, location_update
from .tables import LocationTable

LOCATIONS = Register(
    name="Premises register",
    filterset=LocationFilter,
    table=LocationTable,
    template="locations/register.html",
    map_layer="locations",
    filename="premises",
    map_label=lambda loc: loc.name,
)


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
# Premises are not intelligence: only an export (a disclosure) is logged.
@consults(LOCATIONS.name, action=AccessAction.EXPORTED)
def location_register(request: HttpRequest) -> HttpResponse:
    qs = location_scope(user=request.user).order_by("name", "id")
    selection = register_select(register=LOCATIONS, request=request, qs=qs)
    return register_response(
        request,
        register=LOCATIONS,
        selection=selection,
        context={
            "can_export": True,
            "can_add": request.user.has_perm("locations.add_location"),
        },
    )


def _point(form: PremisesForm) -> Point | None:
    data = form.cleaned_data
    if data.get("lon") is not None and data.get("lat") is not None:
        return Point(data["lon"], data["lat"], srid=4326)
    point = postcode_point(postcode=data.get("postcode", ""))
    if point is None:
        form.add_error(
            "postcode",
            "This postcode is not in the postcode table: place the pin on the map.",
        )
    return point


def _premises_form(request, *, location: Location | None):
    """The form's round: the page again (with errors, duplicates or a
    conflict), or None when the premises was saved."""
    user = request.user
    form = PremisesForm(request.POST)
    duplicates: list = []
    status = 400
    if form.is_valid() and (point := _point(form)) is not None:
        fields = form.location_fields(point)
        duplicates = list(
            location_duplicates(
                user=user,
                name=fields["name"],
                point=point,
                fhrs_id=fields["fhrs_id"],
                licence=fields["premises_licence_number"],
                exclude_pk=location.pk if location else None,
            )[:10]
        )
        if duplicates and not form.cleaned_data["not_duplicate"]:
            # Nothing saved: the officer looks, then confirms or goes there.
            status = 200
        else:
            try:
                if location is None:
                    saved = location_create(created_by=user, **fields)
                else:
                    saved = location_update(
                        location=location,
                        version=form.cleaned_data.get("version"),
                        **fields,
                    )
            except StaleEdit as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return saved, None
    return None, _render_form(
        request, form=form, location=location, duplicates=duplicates, status=status
    )


def _render_form(request, *, form, location, duplicates=(), status=200):
    point = None
    if form.is_bound and form.data.get("lon") and form.data.get("lat"):
        point = [form.data.get("lon"), form.data.get("lat")]
    elif location is not None:
        point = [location.point.x, location.point.y]
    return render(
        request,
        "locations/premises_form.html",
        {
            "form": form,
            "location": location,
            "duplicates": duplicates,
            "map_data": {
                "point": point,
                "postcodeUrl": reverse("location-postcode"),
            },
        },
        status=status,
    )


@permission_required("locations.add_location", raise_exception=True)
def premises_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        saved, page = _premises_form(request, location=None)
        if page is not None:
            return page
        messages.success(request, f"{saved.name} added.")
        return redirect(saved)
    return _render_form(request, form=PremisesForm(), location=None)


def _editable(request, pk: int) -> Location:
    """The premises, unless it is one whose address and position the user
    may not see (a protected place), which answers as if it did not exist."""
    try:
        location = location_get(user=request.user, pk=pk)
    except Location.DoesNotExist:
        raise Http404("No such location.") from None
    if not location_is_editable(user=request.user, location=location):
        raise Http404("No such location.")
    return location


@permission_required("locations.change_location", raise_exception=True)
def premises_edit(request: HttpRequest, pk: int) -> HttpResponse:
    location = _editable(request, pk)
    if request.method == "POST":
        saved, page = _premises_form(request, location=location)
        if page is not None:
            return page
        messages.success(request, f"{saved.name} saved.")
        return redirect(saved)
    initial = {
        "name": location.name,
        "category": location.category,
        "address": location.address,
        "postcode": location.postcode,
        "lon": location.point.x,
        "lat": location.point.y,
        "premises_licence_number": location.premises_licence_number,
        "licence_holder": location.licence_holder,
        "fhrs_id": location.fhrs_id,
        "version": location.version,
    }
    return _render_form(request, form=PremisesForm(initial=initial), location=location)


def _may_place(user) -> bool:
    return user.has_perm("locations.add_location") or user.has_perm(
        "locations.change_location"
    )


@require_GET
def location_postcode(request: HttpRequest) -> HttpResponse:
    """Where a postcode is, for the premises form's pin: {"point": [lon, lat]}."""
    if not _may_place(request.user):
        return JsonResponse({"detail": "Your role does not add premises."}, status=403)
    point = postcode_point(postcode=request.GET.get("postcode", ""))
    if point is None:
        return JsonResponse(
            {"detail": "This postcode is not in the postcode table."}, status=404
        )
    return JsonResponse({"point": [point.x, point.y]})
