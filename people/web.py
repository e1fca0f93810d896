"""What views call to log a consultation of subjects: the access log entry
(who, when, why, which records), written by the view's declaration
(audit.consults), and beside it the subjects and vehicles shown (s.62:
every subject shown), in the same transaction."""

from collections.abc import Iterable

from django.http import HttpRequest

from audit.consults import consulted

from .graph import payload_shown
from .models import SubjectConsultation


def consultation_write(
    *,
    request: HttpRequest,
    action: str,
    what: str,
    justification: str,
    record_ids: Iterable[int] = (),
    subject_ids: Iterable[int] = (),
    vehicle_ids: Iterable[int] = (),
) -> None:
    subjects, vehicles = sorted(set(subject_ids)), sorted(set(vehicle_ids))

    def shown_beside(entry) -> None:
        SubjectConsultation.objects.create(
            entry=entry, subject_ids=subjects, vehicle_ids=vehicles
        )

    consulted(
        request,
        action=action,
        what=what,
        record_ids=sorted(set(record_ids)),
        justification=justification,
        then=shown_beside,
    )


def consultation_log(
    *, request: HttpRequest, action: str, what: str, payload: dict, justification: str
) -> None:
    """Log a graph or path answer with everything it shows."""
    records, subjects, vehicles = payload_shown(payload)
    consultation_write(
        request=request,
        action=action,
        what=what,
        justification=justification,
        record_ids=records,
        subject_ids=subjects,
        vehicle_ids=vehicles,
    )
