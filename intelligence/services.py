"""Writes to intelligence records: Management of Police Information reviews.

Every record has a review date. When it comes, a reviewer decides: retain,
with the reason and the next review date, or dispose, with the reason.
Nothing is deleted without that recorded decision, and every decision is kept
for good (RecordReview is append-only in the database). Disposal removes the
record's content wherever the product holds it (the record, its location
links and their change history) and leaves a tombstone that says which record
it was, what kind, its dates, who disposed of it, when and why.
"""

from datetime import date

import pgtrigger
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import (
    IntelligenceLocationLink,
    IntelligenceRecord,
    RecordReview,
    ReviewDecision,
)

# Records themselves refuse DELETE except here, after the decision is kept.
_DISPOSAL = "intelligence.IntelligenceRecord:delete_only_by_disposal"


def _locked(
    *, record: IntelligenceRecord, review_due: date | None
) -> IntelligenceRecord:
    """The record, locked against a second reviewer deciding at the same time.

    IntelligenceRecord.DoesNotExist if it has gone (disposed meanwhile);
    ValidationError if it was reviewed since the reviewer read it.
    """
    current = IntelligenceRecord.objects.select_for_update().get(pk=record.pk)
    if review_due is not None and current.review_date != review_due:
        message = (
            "Someone reviewed this record while you were reading it: its review "
            f"date is now {current.review_date:%d %b %Y}. Reload it to see "
            "their decision."
        )
        raise ValidationError({NON_FIELD_ERRORS: message})
    return current


def _review(
    *, record: IntelligenceRecord, user: AbstractBaseUser, **fields
) -> RecordReview:
    review = RecordReview(
        record_id=record.pk,
        reference=record.reference,
        kind=record.kind,
        occurred_from=record.occurred_from,
        occurred_to=record.occurred_to,
        received_on=record.received_on,
        review_due=record.review_date,
        reviewed_by=user,
        **fields,
    )
    review.full_clean()
    review.save()
    return review


def _reason_checked(reason: str, errors: dict) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = ["Say why: the reason is kept with the decision."]
    return reason


@transaction.atomic
def record_review_retain(
    *,
    record: IntelligenceRecord,
    user: AbstractBaseUser,
    next_review_date: date | None,
    reason: str,
    review_due: date | None = None,
) -> RecordReview:
    """Keep the record until its next review, which must be in the future."""
    errors: dict[str, list[str]] = {}
    reason = _reason_checked(reason, errors)
    if next_review_date is None:
        errors["next_review_date"] = ["A retained record needs a next review date."]
    elif next_review_date <= timezone.localdate():
        errors["next_review_date"] = ["The next review date must be in the future."]
    if errors:
        raise ValidationError(errors)
    current = _locked(record=record, review_due=review_due)
    review = _review(
        record=current,
        user=user,
        decision=ReviewDecision.RETAIN,
        next_review_date=next_review_date,
        reason=reason,
    )
    IntelligenceRecord.objects.filter(pk=current.pk).update(
        review_date=next_review_date, version=F("version") + 1
    )
    record.refresh_from_db()
    return review


@transaction.atomic
def record_review_dispose(
    *,
    record: IntelligenceRecord,
    user: AbstractBaseUser,
    reason: str,
    review_due: date | None = None,
) -> RecordReview:
    """Delete the record's content and links for good; keep its tombstone."""
    errors: dict[str, list[str]] = {}
    reason = _reason_checked(reason, errors)
    if errors:
        raise ValidationError(errors)
    current = _locked(record=record, review_due=review_due)
    tombstone = _review(
        record=current, user=user, decision=ReviewDecision.DISPOSE, reason=reason
    )
    IntelligenceLocationLink.objects.filter(record_id=current.pk).delete()
    with pgtrigger.ignore(_DISPOSAL):
        IntelligenceRecord.objects.filter(pk=current.pk).delete()
    # The delete triggers have just copied the content into the history, as
    # they do for every delete: take it out with the rest of the history. The
    # history tables are append-only and the app's role may not DELETE from
    # them; the owner's function removes a disposed record's history only
    # (intelligence/migrations/0006, common/db/roles.py).
    with connection.cursor() as cur:
        cur.execute("SELECT intelligence_history_dispose(%s)", [current.pk])
    return tombstone
