"""What views call to log a consultation of subjects: the access log entry
(who, when, why, which records) and, beside it, the subjects and vehicles
shown (s.62: every subject shown)."""

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest

from audit.web import access_log_request

from .graph import payload_shown
from .models import SubjectConsultation


@transaction.atomic
def consultation_write(
    *,
    request: HttpRequest,
    action: str,
    what: str,
    justification: str,
    record_ids: Iterable[int] = (),
    subject_ids: Iterable[int] = (),
    vehicle_ids: Iterable[int] = (),
) -> SubjectConsultation:
    entry = access_log_request(
        request=request,
        action=action,
        what=what,
        record_ids=sorted(set(record_ids)),
        justification=justification,
    )
    return SubjectConsultation.objects.create(
        entry=entry,
        subject_ids=sorted(set(subject_ids)),
        vehicle_ids=sorted(set(vehicle_ids)),
    )


def consultation_log(
    *, request: HttpRequest, action: str, what: str, payload: dict, justification: str
) -> SubjectConsultation:
    """Log a graph or path answer with everything it shows."""
    records, subjects, vehicles = payload_shown(payload)
    return consultation_write(
        request=request,
        action=action,
        what=what,
        justification=justification,
        record_ids=records,
        subject_ids=subjects,
        vehicle_ids=vehicles,
    )
