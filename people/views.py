"""Subject and vehicle pages, their registers, and the
"Linked people and vehicles" panels of the location and record pages.

Who: people.selectors (view_subject; young people need view_young_person).
A subject or vehicle the user may not see answers 404, as a missing one
does. Every page that shows subjects is a consultation: it asks for the
session's reason and is logged with every subject and record shown.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import MAP_READ_PERMISSION
from audit.consults import (
    AGGREGATE_REASON_NOT_ASKED,
    consult_denied,
    consulted,
    consults,
)
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from intelligence.selectors import record_can_review

from .forms import SubjectReviewForm
from .models import Subject, SubjectKind, Vehicle
from .nodes import Node
from .selectors import (
    link_removals,
    location_linked_people,
    record_linked_people,
    subject_can_view,
    subject_get,
    subject_links,
    subject_order_clocks,
    subject_review_queue,
    subject_search,
    vehicle_get,
    vehicle_links,
    vehicle_search,
)
from .services import subject_review_dispose, subject_review_retain
from .web import consultation_write

PAGE_SIZE = 50


def _viewer(request: HttpRequest, *, listing: bool = False) -> None:
    """Not cleared: a register is refused; a subject or vehicle answers 404,
    as one that does not exist does."""
    if not subject_can_view(user=request.user):
        if listing:
            raise PermissionDenied("Your role sees counts of linked people only.")
        raise Http404("No such subject or vehicle.")


def _shows_subjects(user) -> bool:
    return subject_can_view(user=user)


def chart_url(node: Node) -> str:
    return f"{reverse('people:link_chart')}?{urlencode({'centre': str(node)})}"


def _link_rows(links, *, own: Node) -> list[dict]:
    """Each link as the far end, its type and the records it rests on."""
    rows = []
    for link in links:
        ends = [
            ("subject", link.subject),
            ("subject", link.other_subject),
            ("vehicle", link.vehicle),
            ("location", link.location),
            ("record", link.record),
        ]
        far = [
            (kind, obj)
            for kind, obj in ends
            if obj is not None and Node(kind, obj.pk) != own
        ]
        kind, obj = far[0] if far else ends[0]
        rows.append(
            {
                "link": link,
                "kind": kind,
                "other": obj,
                "records": list(link.records.all()),
            }
        )
    return rows


def _shown_ids(rows) -> tuple[set, set, set]:
    records, subjects, vehicles = set(), set(), set()
    for row in rows:
        records.update(r.pk for r in row["records"])
        if row["kind"] == "subject":
            subjects.add(row["other"].pk)
        elif row["kind"] == "vehicle":
            vehicles.add(row["other"].pk)
    return records, subjects, vehicles


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Subject page", action=AccessAction.OPENED)
def subject_page(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer(request)
    try:
        subject = subject_get(user=request.user, pk=pk)
    except Subject.DoesNotExist:
        consult_denied(request, what=f"Subject page: {pk}")
        raise Http404("No such subject, or not one you may see.") from None
    node = Node("subject", subject.pk)
    rows = _link_rows(subject_links(user=request.user, subject=subject), own=node)
    removed = link_removals(user=request.user, subject=subject)
    records, subjects, vehicles = _shown_ids(rows)
    records |= {i for r in removed for i in r["removal"].record_ids}
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Subject page: {subject.reference}",
        justification=session_justification(request),
        record_ids=records,
        subject_ids=subjects | {subject.pk},
        vehicle_ids=vehicles,
    )
    return render(
        request,
        "people/subject.html",
        {
            "subject": subject,
            "rows": rows,
            "orders": subject_order_clocks(subject=subject),
            "removed": removed,
            "chart_url": chart_url(node),
        },
    )


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Vehicle page", action=AccessAction.OPENED)
def vehicle_page(request: HttpRequest, pk: int) -> HttpResponse:
    _viewer(request)
    try:
        vehicle = vehicle_get(user=request.user, pk=pk)
    except Vehicle.DoesNotExist:
        raise Http404("No such vehicle.") from None
    node = Node("vehicle", vehicle.pk)
    rows = _link_rows(vehicle_links(user=request.user, vehicle=vehicle), own=node)
    removed = link_removals(user=request.user, vehicle=vehicle)
    records, subjects, vehicles = _shown_ids(rows)
    records |= {i for r in removed for i in r["removal"].record_ids}
    subjects |= {r["removal"].subject_id for r in removed}
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Vehicle page: {vehicle.registration}",
        justification=session_justification(request),
        record_ids=records,
        subject_ids=subjects,
        vehicle_ids=vehicles | {vehicle.pk},
    )
    return render(
        request,
        "people/vehicle.html",
        {
            "vehicle": vehicle,
            "rows": rows,
            "removed": removed,
            "chart_url": chart_url(node),
        },
    )


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Subjects register")
def subject_register(request: HttpRequest) -> HttpResponse:
    _viewer(request, listing=True)
    q = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    qs = subject_search(user=request.user, q=q)
    if kind in SubjectKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    consultation_write(
        request=request,
        action=AccessAction.LISTED,
        what="Subjects register",
        justification=session_justification(request),
        subject_ids=[s.pk for s in page],
    )
    return render(
        request,
        "people/subject_register.html",
        {"page": page, "q": q, "kind": kind, "kinds": SubjectKind.choices},
    )


@require_GET
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Vehicles register")
def vehicle_register(request: HttpRequest) -> HttpResponse:
    _viewer(request, listing=True)
    q = request.GET.get("q", "")[:100]
    qs = vehicle_search(user=request.user, q=q)
    page = Paginator(qs.order_by("registration"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    consultation_write(
        request=request,
        action=AccessAction.LISTED,
        what="Vehicles register",
        justification=session_justification(request),
        vehicle_ids=[v.pk for v in page],
    )
    return render(request, "people/vehicle_register.html", {"page": page, "q": q})


@require_http_methods(["GET", "POST"])
@permission_required(MAP_READ_PERMISSION, raise_exception=True)
@justification_required(_shows_subjects)
@consults("Subject review", action=AccessAction.OPENED)
def subject_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A subject's MoPI review: retain with the next review date, or dispose
    of the profile, its links and its history; the decision is kept."""
    _viewer(request)
    if not record_can_review(user=request.user):
        raise PermissionDenied("Your role does not review for retention.")
    try:
        subject = subject_get(user=request.user, pk=pk)
    except Subject.DoesNotExist:
        raise Http404("No such subject, or not one you may see.") from None
    form = SubjectReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "retain":
                    subject_review_retain(
                        subject=subject,
                        user=request.user,
                        reason=data["reason"],
                        next_review_date=data["next_review_date"],
                    )
                else:
                    subject_review_dispose(
                        subject=subject, user=request.user, reason=data["reason"]
                    )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"{subject.reference}: decision recorded.")
                return redirect("intelligence:review-queue")
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Subject review: {subject.reference}",
        justification=session_justification(request),
        subject_ids=[subject.pk],
    )
    return render(
        request,
        "people/subject_review.html",
        {"subject": subject, "form": form},
        status=status,
    )


# --- Panels on other apps' pages ----------------------------------------------


def review_queue_subjects(request: HttpRequest, *, limit: int = 50) -> list:
    """The subjects due for review, for the retention review queue; logged
    as listed."""
    subjects = list(subject_review_queue(user=request.user)[:limit])
    reason = session_justification(request)
    if subjects and reason:
        consultation_write(
            request=request,
            action=AccessAction.LISTED,
            what="Retention review queue: subjects",
            justification=reason,
            subject_ids=[s.pk for s in subjects],
        )
    return subjects


def _add_link_url(request: HttpRequest, node: Node) -> str:
    """Where to add a link from this place or record, for those who may."""
    if not request.user.has_perm("people.add_link"):
        return ""
    return f"{reverse('people:link-new')}?{urlencode({'from': str(node)})}"


def location_people_panel(request: HttpRequest, *, location) -> dict:
    """The location page's panel; for cleared roles a consultation, logged
    (the page has asked for the session's reason)."""
    panel = location_linked_people(user=request.user, location=location)
    panel["chart_url"] = chart_url(Node("location", location.pk))
    # A protected place is not chosen as itself (common.placement): no link
    # is started from it by a role that sees it on the grid.
    if not getattr(location, "position_approximate", False):
        panel["add_link_url"] = _add_link_url(request, Node("location", location.pk))
    reason = session_justification(request)
    if panel["who"] and reason and (panel["subjects"] or panel["vehicles"]):
        consultation_write(
            request=request,
            action=AccessAction.LISTED,
            what=f"Linked people: {location.name}"[:200],
            justification=reason,
            subject_ids=[s.pk for s in panel["subjects"]],
            vehicle_ids=[v.pk for v in panel["vehicles"]],
        )
    elif panel["who"] and not reason:
        panel = {"who": False, "needs_reason": True}
    elif not panel["who"]:
        # Counts only (licensing, community safety): the links were counted
        # through the records they rest on, an aggregate consultation.
        consulted(
            request,
            what=f"Linked people counts: {location.name}"[:200],
            count=0,
            justification=AGGREGATE_REASON_NOT_ASKED,
        )
    return panel


def record_people_panel(request: HttpRequest, *, record) -> dict:
    panel = record_linked_people(user=request.user, record=record)
    panel["chart_url"] = chart_url(Node("record", record.pk))
    panel["add_link_url"] = _add_link_url(request, Node("record", record.pk))
    reason = session_justification(request)
    if panel["who"] and reason and (panel["subjects"] or panel["vehicles"]):
        consultation_write(
            request=request,
            action=AccessAction.LISTED,
            what=f"Linked people: {record.reference}",
            justification=reason,
            record_ids=[record.pk],
            subject_ids=[s.pk for s in panel["subjects"]],
            vehicle_ids=[v.pk for v in panel["vehicles"]],
        )
    return panel
