"""Safety-plan alerts from the record-writing path.

The floors below send a signal when a record or a link is written
(intelligence.signals.record_written, people.signals.link_written); these
receivers decide, in the same transaction, whether a live safety plan's
conditions are met and raise its alert (safeguarding.services.alert_raise).
A record counts as soon as it is written, awaiting grading or not: a safety
plan asks for an immediate response, not for the next triage.
"""

from collections.abc import Iterable

from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from intelligence.models import IntelligenceRecord
from intelligence.signals import record_written
from people.models import Link, LinkType
from people.signals import link_written

from .models import SafetyPlan, SafetyPlanTrigger
from .services import alert_raise


def _live(record: IntelligenceRecord):
    happened = timezone.localdate(record.occurred_from)
    today = timezone.localdate()
    return SafetyPlan.objects.filter(
        starts_on__lte=happened, ends_on__gte=max(happened, today)
    )


def alert_check(
    *,
    record: IntelligenceRecord,
    subject_ids: Iterable[int],
    location_ids: Iterable[int],
    vehicle_ids: Iterable[int],
) -> list:
    """Raise the alert of every live plan this record meets: it names the
    plan's young person, or one of its trigger places or vehicles."""
    subject_ids, location_ids = set(subject_ids), set(location_ids)
    vehicle_ids = set(vehicle_ids)
    plans = _live(record)
    raised = []
    for plan in plans.filter(subject_id__in=subject_ids):
        raised.append(
            alert_raise(
                plan=plan, record=record, matched="The record names the young person."
            )
        )
    triggers = (
        SafetyPlanTrigger.objects.filter(plan__in=plans)
        .filter(Q(location_id__in=location_ids) | Q(vehicle_id__in=vehicle_ids))
        .select_related("plan", "location", "vehicle")
    )
    for trigger in triggers:
        what = (
            f"At a trigger place: {trigger.location.name}."
            if trigger.location_id
            else f"In a trigger vehicle: {trigger.vehicle.registration}."
        )
        raised.append(alert_raise(plan=trigger.plan, record=record, matched=what))
    return [a for a in raised if a is not None]


@receiver(record_written, dispatch_uid="safeguarding-record-written")
def on_record_written(sender, record: IntelligenceRecord, **kwargs) -> None:
    mentions = Link.objects.filter(record=record, link_type=LinkType.MENTIONS)
    alert_check(
        record=record,
        subject_ids=mentions.exclude(subject=None).values_list("subject_id", flat=True),
        vehicle_ids=mentions.exclude(vehicle=None).values_list("vehicle_id", flat=True),
        location_ids=record.location_links.values_list("location_id", flat=True),
    )


@receiver(link_written, dispatch_uid="safeguarding-link-written")
def on_link_written(sender, link: Link, records, **kwargs) -> None:
    for record in records:
        alert_check(
            record=record,
            subject_ids=[i for i in (link.subject_id, link.other_subject_id) if i],
            location_ids=[link.location_id] if link.location_id else [],
            vehicle_ids=[link.vehicle_id] if link.vehicle_id else [],
        )
