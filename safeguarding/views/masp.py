"""MASP: the queue of missing episodes not yet reviewed, each with its
72-hour return-interview clock, and the review of one episode."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.consults import consult_denied, consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from intelligence.models import IntelligenceRecord
from locations.selectors import location_scope
from people.models import Link
from people.web import consultation_write

from ..forms import MaspReviewForm, ReturnInterviewForm
from ..selectors import (
    REPEAT_MISSING_COUNT,
    episode_get,
    episode_places,
    episodes_by_subject,
    masp_queue,
    placements,
    repeat_missing_count,
    subject_episodes,
    subject_placement,
)
from ..services import masp_review_record, return_interview_record
from .common import practitioner, shows_subjects


def _places_json(*, user, episodes) -> dict:
    """Where the episodes happened, placed as this user may see them (the
    small map's features, static/js/smallmap.js)."""
    qs = location_scope(user=user, qs=episode_places(episodes=episodes))
    return {
        "features": [
            {
                "point": [loc.display_point.x, loc.display_point.y],
                "label": "Protective place (position approximate)"
                if loc.position_approximate
                else loc.name,
                "approximate": bool(loc.position_approximate),
            }
            for loc in qs
        ]
    }


@require_GET
@justification_required(shows_subjects)
@consults("Safeguarding: MASP queue")
def queue(request: HttpRequest) -> HttpResponse:
    practitioner(request)
    episodes = masp_queue(user=request.user)
    children = {e.subject.pk for e in episodes}
    histories = episodes_by_subject(subject_ids=children)
    homes = placements(subject_ids=children)
    rows = [
        {
            "e": e,
            "history": len(histories.get(e.subject.pk, [])),
            "repeat": repeat_missing_count(episodes=histories.get(e.subject.pk, [])),
            "placement": homes.get(e.subject.pk),
        }
        for e in episodes
    ]
    consultation_write(
        request=request,
        action=AccessAction.LISTED,
        what="Safeguarding: MASP queue",
        justification=session_justification(request),
        record_ids=[e.record.pk for e in episodes],
        subject_ids=[e.subject.pk for e in episodes],
    )
    return render(
        request,
        "safeguarding/masp.html",
        {
            "rows": rows,
            "repeat_at": REPEAT_MISSING_COUNT,
            "places": _places_json(user=request.user, episodes=episodes),
        },
    )


def _episode(request, pk: int):
    link = Link.objects.filter(
        pk=pk, link_type="mentions", subject__isnull=False
    ).first()
    try:
        if link is None:
            raise IntelligenceRecord.DoesNotExist
        return episode_get(
            user=request.user, record_id=link.record_id, subject_id=link.subject_id
        )
    except IntelligenceRecord.DoesNotExist:
        consult_denied(request, what=f"Missing episode: {pk}")
        raise Http404("No such missing episode.") from None


@require_http_methods(["GET", "POST"])
@justification_required(shows_subjects)
@consults("Safeguarding: missing episode", action=AccessAction.OPENED)
def episode(request: HttpRequest, pk: int) -> HttpResponse:
    practitioner(request)
    e = _episode(request, pk)
    history = subject_episodes(subject=e.subject)
    consultation_write(
        request=request,
        action=AccessAction.OPENED,
        what=f"Safeguarding: missing episode {e.record.reference}",
        justification=session_justification(request),
        record_ids=[h.record.pk for h in history],
        subject_ids=[e.subject.pk],
    )
    review_form = MaspReviewForm(request.POST if "decision" in request.POST else None)
    interview_form = ReturnInterviewForm(
        request.POST if "held_at" in request.POST else None
    )
    status = 200
    if request.method == "POST":
        form = review_form if "decision" in request.POST else interview_form
        if form.is_valid():
            try:
                with transaction.atomic():
                    if form is review_form:
                        masp_review_record(
                            record=e.record,
                            subject=e.subject,
                            decision=form.cleaned_data["decision"],
                            notes=form.cleaned_data["notes"],
                            user=request.user,
                        )
                    else:
                        return_interview_record(
                            record=e.record,
                            subject=e.subject,
                            held_at=form.cleaned_data["held_at"],
                            user=request.user,
                        )
                return redirect("safeguarding:episode", pk=pk)
            except ValidationError as err:
                form.add_error(None, err.messages)
        status = 400
    return render(
        request,
        "safeguarding/episode.html",
        {
            "e": e,
            "history": history,
            "repeat": repeat_missing_count(episodes=history),
            "repeat_at": REPEAT_MISSING_COUNT,
            "placement": subject_placement(subject=e.subject),
            "review_form": review_form,
            "interview_form": interview_form,
            "places": _places_json(user=request.user, episodes=history),
        },
        status=status,
    )
