"""The people workspace: adding and editing subjects and vehicles, and
adding and removing links, in the browser rather than the admin.

Who: people.add_* and change_* (analysts and administrators, accounts.roles);
a tasking officer reads but does not write (403); a role that does not see
subjects gets 403 on a page of its own and 404 on a subject or vehicle, as
it does on their pages. Every page that shows a profile, a link or the
records it rests on is a logged consultation (people.web). Writes go through
people.services; an edit based on an old version is refused (409) with what
the user typed kept in the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.roles import MAP_READ_PERMISSION
from audit.consults import consult_denied, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from common.versions import StaleEdit
from intelligence.intake.selectors import premises_selectable
from intelligence.models import IntelligenceRecord
from locations.models import Location

from .forms import LinkForm, LinkRemoveForm, SubjectForm, VehicleForm
from .models import Link, Subject, Vehicle
from .nodes import Node, node_parse
from .selectors import (
    link_scope,
    location_linked_people,
    record_linked_people,
    record_scope,
    subject_can_view,
    subject_get,
    vehicle_get,
)
from .services import (
    link_create,
    link_remove,
    subject_create,
    subject_update,
    vehicle_create,
    vehicle_update,
)
from .web import consultation_write

READ_ONLY = "Your role reads people and vehicles; analysts add and change them."


def _shows_subjects(user) -> bool:
    return subject_can_view(user=user)


def _may(request: HttpRequest, perm: str, *, listing: bool) -> None:
    """Not cleared to see subjects: 403 on a page of its own, 404 on an
    object (as its page answers); cleared but read only: 403, whichever
    object is asked for (before looking it up, so it tells nothing)."""
    if not subject_can_view(user=request.user):
        if listing:
            raise PermissionDenied("Your role sees counts of linked people only.")
        raise Http404("No such subject or vehicle.")
    if not request.user.has_perm(perm):
        raise PermissionDenied(READ_ONLY)


def _errors_onto(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _subject(request: HttpRequest, pk: int) -> Subject:
    try:
        return subject_get(user=request.user, pk=pk)
    except Subject.DoesNotExist:
        consult_denied(request, what=f"Subject edit: {pk}")
        raise Http404("No such subject, or not one you may see.") from None


# --- Subjects and vehicles ---------------------------------------------------


def _created(request: HttpRequest, *, form, create, template: str) -> HttpResponse:
    """A new profile's or vehicle's round: the form again with what is
    wrong (400), or the saved one's page."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = create()
        except ValidationError as exc:
            _errors_onto(form, exc)
        else:
            messages.success(request, f"{obj} added.")
            return redirect(obj)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form}, status=status)


def _edited(
    request: HttpRequest,
    *,
    obj,
    form_class,
    update,
    template: str,
    name: str,
    form_kwargs: dict | None = None,
) -> HttpResponse:
    """An edit's round: the form from what is saved; on a stale edit (409)
    what the user typed stays in the form and what is saved now is shown
    beside it; else the form with what is wrong (400), or the saved page."""
    form_kwargs = form_kwargs or {}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **form_kwargs)
        status = 400
        if form.is_valid():
            try:
                update(form)
            except StaleEdit as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(request, f"{obj} saved.")
                return redirect(obj)
    else:
        form = form_class(
            initial=model_to_dict(obj, fields=list(form_class.base_fields))
        )
    saved = type(obj).objects.get(pk=obj.pk) if status == 409 else None
    return render(
        request, template, {"form": form, name: obj, "saved": saved}, status=status
    )


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
def subject_new(request: HttpRequest) -> HttpResponse:
    _may(request, "people.add_subject", listing=True)
    form = SubjectForm(request.POST or None)
    return _created(
        request,
        form=form,
        create=lambda: subject_create(**form.subject_fields(), created_by=request.user),
        template="people/subject_form.html",
    )


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Subject edit", action=AccessAction.OPENED)
def subject_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _may(request, "people.change_subject", listing=False)
    subject = _subject(request, pk)
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Subject edit: {subject.reference}",
        justification=session_justification(request),
        subject_ids=[subject.pk],
    )
    return _edited(
        request,
        obj=subject,
        form_class=SubjectForm,
        update=lambda form: subject_update(
            subject=subject,
            version=form.cleaned_data["version"],
            **form.subject_fields(),
        ),
        template="people/subject_form.html",
        name="subject",
        form_kwargs={"saved": subject},
    )


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
def vehicle_new(request: HttpRequest) -> HttpResponse:
    _may(request, "people.add_vehicle", listing=True)
    form = VehicleForm(request.POST or None)
    return _created(
        request,
        form=form,
        create=lambda: vehicle_create(**form.vehicle_fields(), created_by=request.user),
        template="people/vehicle_form.html",
    )


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Vehicle edit", action=AccessAction.OPENED)
def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _may(request, "people.change_vehicle", listing=False)
    try:
        vehicle = vehicle_get(user=request.user, pk=pk)
    except Vehicle.DoesNotExist:
        raise Http404("No such vehicle.") from None
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Vehicle edit: {vehicle.registration}",
        justification=session_justification(request),
        vehicle_ids=[vehicle.pk],
    )
    return _edited(
        request,
        obj=vehicle,
        form_class=VehicleForm,
        update=lambda form: vehicle_update(
            vehicle=vehicle,
            version=form.cleaned_data["version"],
            **form.vehicle_fields(),
        ),
        template="people/vehicle_form.html",
        name="vehicle",
    )


# --- Links ---------------------------------------------------------------------


def _start(request: HttpRequest, text: str) -> tuple[Node, object, dict]:
    """The entity a link is being added from (`from=<type>:<id>`): the node,
    the object (one the user may see, else 404) and the form's initial."""
    node = node_parse(text)
    user = request.user
    try:
        if node.type == "subject":
            obj = subject_get(user=user, pk=node.id)
            return node, obj, {"subject": obj.reference}
        if node.type == "vehicle":
            obj = vehicle_get(user=user, pk=node.id)
            return node, obj, {"vehicle": obj.registration, "link_type": "drives"}
        if node.type == "location":
            obj = premises_selectable(user=user).get(pk=node.id)
            return node, obj, {"location": obj.pk, "place": obj.name}
        obj = record_scope(user=user).get(pk=node.id)
        return node, obj, {"records": obj.reference}
    except (
        Subject.DoesNotExist,
        Vehicle.DoesNotExist,
        IntelligenceRecord.DoesNotExist,
        Location.DoesNotExist,
    ):
        raise Http404("Nothing you may see has that id.") from None


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("New link", action=AccessAction.OPENED)
def link_new(request: HttpRequest) -> HttpResponse:
    """A subject linked to a place, a vehicle or an associate, resting on
    records, from the page of any of them (`?from=location:12`)."""
    _may(request, "people.add_link", listing=True)
    start = request.GET.get("from")
    node = obj = None
    initial: dict = {}
    if start:
        try:
            node, obj, initial = _start(request, start)
        except ValueError as exc:
            return render(
                request,
                "people/link_form.html",
                {"form": None, "problem": f"from: {exc}"},
                status=400,
            )
    form = LinkForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                link = link_create(
                    link_type=data["link_type"],
                    subject=data["subject"],
                    other=data["other"],
                    records=data["records"],
                    created_by=request.user,
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                _log_link(request, link=link, records=data["records"])
                messages.success(
                    request,
                    f"{data['subject'].reference}: "
                    f"{link.get_link_type_display().lower()} {data['other']} added.",
                )
                return redirect(obj if obj is not None else data["subject"])
    linked = _log_start(request, node=node, obj=obj)
    return render(
        request,
        "people/link_form.html",
        {"form": form, "start": obj, "start_node": node, "linked": linked},
        status=status,
    )


def _log_start(request: HttpRequest, *, node: Node | None, obj) -> dict | None:
    """Log what the page shows of where the link starts: the entity, and
    for a place or a record who is linked there already (so a link is not
    made twice)."""
    if node is None:
        return None
    linked = None
    if node.type == "location":
        linked = location_linked_people(user=request.user, location=obj)
    elif node.type == "record":
        linked = record_linked_people(user=request.user, record=obj)
    subjects = [s.pk for s in linked["subjects"]] if linked else []
    vehicles = [v.pk for v in linked["vehicles"]] if linked else []
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"New link from {node}",
        justification=session_justification(request),
        record_ids=[obj.pk] if node.type == "record" else [],
        subject_ids=[obj.pk] if node.type == "subject" else subjects,
        vehicle_ids=[obj.pk] if node.type == "vehicle" else vehicles,
    )
    return linked


def _log_link(request: HttpRequest, *, link: Link, records) -> None:
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Link added: {link.get_link_type_display()}",
        justification=session_justification(request),
        record_ids=[r.pk for r in records],
        subject_ids=[i for i in (link.subject_id, link.other_subject_id) if i],
        vehicle_ids=[link.vehicle_id] if link.vehicle_id else [],
    )


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Link removal", action=AccessAction.OPENED)
def link_remove_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a link, saying why; it is kept (LinkRemoval) and shown among
    the removed links of the pages it was on."""
    _may(request, "people.delete_link", listing=False)
    link = (
        link_scope(user=request.user)
        .select_related("subject", "other_subject", "vehicle", "location")
        .filter(pk=pk)
        .first()
    )
    if link is None or link.record_id is not None:
        consult_denied(request, what=f"Link removal: {pk}")
        raise Http404("No such link, or not one you may see.")
    records = list(link.records.all())
    _log_link(request, link=link, records=records)
    form = LinkRemoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                link_remove(
                    link=link,
                    removed_by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _errors_onto(form, exc)
            else:
                messages.success(
                    request, "Link removed; it is kept among the removed links."
                )
                return redirect(link.subject)
    return render(
        request,
        "people/link_remove.html",
        {"form": form, "link": link, "records": records},
        status=status,
    )
