"""Writes for submissions: a new record awaiting grading, made from the
fields SubmissionForm has cleaned (the page and the API alike), and the API's
idempotent form of it."""

import hashlib
import json
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from intelligence.models import (
    GradingScheme,
    IntelligenceLocationLink,
    IntelligenceRecord,
    RecordStatus,
    SubmissionKey,
)
from intelligence.retention import review_date_for
from intelligence.signals import record_written

REFERENCE_PREFIX = "SUB"


def _next_id() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence("
            "'intelligence_intelligencerecord', 'id'))"
        )
        return cur.fetchone()[0]


def _agency(user: AbstractBaseUser) -> str:
    profile = getattr(user, "profile", None)
    return profile.agency if profile is not None else ""


@transaction.atomic
def submission_create(*, user: AbstractBaseUser, data: dict) -> IntelligenceRecord:
    """A record awaiting grading: no grade, no summary (the analyst writes
    the sanitised one), with the submitter's account and where and how
    premises were involved."""
    now = timezone.now()
    pk = _next_id()
    received = timezone.localdate(now)
    record = IntelligenceRecord(
        pk=pk,
        reference=f"{REFERENCE_PREFIX}-{received:%Y}-{pk:06d}",
        kind=data["kind"],
        occurred_from=data["occurred_from"],
        occurred_to=data.get("occurred_to"),
        received_on=received,
        source_type=data["source_type"],
        grading_scheme=GradingScheme.G3X5X2,
        source_evaluation="",
        intelligence_assessment="",
        handling_code="",
        status=RecordStatus.AWAITING,
        account=data["account"],
        people_text=data.get("people_text", ""),
        submitter_is_source=data["submitter_is_source"],
        location_method=data["location_method"],
        location_text=data.get("address", ""),
        tags=data.get("tags", []),
        vehicle_marks=data.get("vehicle_marks", []),
        point=data["point"],
        precision_m=data["precision_m"],
        # Management of Police Information: reviewed six years after receipt,
        # as imported records are.
        review_date=review_date_for(received),
        source="submission",
        submitted_by=user,
        submitted_at=now,
        submitter_agency=_agency(user),
        created_by=user,
    )
    record.full_clean()
    record.save(force_insert=True)
    IntelligenceLocationLink.objects.bulk_create(
        IntelligenceLocationLink(record=record, location=location, link_type=how)
        for location, how in data.get("premises", [])
    )
    record_written.send(sender=IntelligenceRecord, record=record)
    return record


class IdempotencyConflict(Exception):
    """The key was used before with a different body."""


@dataclass(frozen=True)
class KeptAnswer:
    status_code: int
    body: dict
    replayed: bool


def body_fingerprint(body) -> str:
    """The body's SHA-256, keys sorted, so key order and spacing do not count."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def submission_create_once(*, user: AbstractBaseUser, key: str, body, answer):
    """Run `answer()` (which makes the record and returns (status, body,
    record)) at most once per user and key; a retry gets the kept answer.

    The key's row is inserted first, inside the same transaction as the
    record: a second request with the same key waits on the unique index
    until the first commits, then finds the kept answer, so two concurrent
    retries still make one record.
    """
    fingerprint = body_fingerprint(body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                kept = SubmissionKey.objects.create(
                    user=user,
                    key=key,
                    body_sha256=fingerprint,
                    status_code=0,
                    response={},
                )
        except IntegrityError:
            kept = None
        if kept is not None:
            status_code, response, record = answer()
            if status_code >= 400:
                # A refused body is not kept: the client may correct it and
                # send it again under the same key.
                transaction.set_rollback(True)
            else:
                kept.status_code, kept.response = status_code, response
                kept.record = record
                kept.save(update_fields=["status_code", "response", "record"])
            return KeptAnswer(status_code, response, replayed=False)
    kept = SubmissionKey.objects.get(user=user, key=key)
    if kept.body_sha256 != fingerprint:
        raise IdempotencyConflict(
            "This Idempotency-Key was used before with a different body. Send "
            "the same body to repeat that request, or use a new key for a new "
            "submission."
        )
    return KeptAnswer(kept.status_code, kept.response, replayed=True)
