"""Management of Police Information reviews: the queue of records due, retain
or dispose with a recorded decision, tombstones that cannot be changed."""

from datetime import date, timedelta

import pghistory
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from intelligence.models import (
    IntelligenceLocationLink,
    IntelligenceLocationLinkEvent,
    IntelligenceRecord,
    IntelligenceRecordEvent,
    RecordReview,
)
from intelligence.selectors import record_review_queue
from intelligence.services import record_review_dispose, record_review_retain
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _due(days_ago: int, **kwargs) -> IntelligenceRecord:
    return factories.make_record(review_date=TODAY - timedelta(days=days_ago), **kwargs)


def test_queue_lists_records_due_oldest_first_within_what_the_user_may_see(
    client, analyst, admin_user
):
    newer = _due(3)
    oldest = _due(400)
    today = _due(0)
    _due(-1)  # due tomorrow: not yet
    restricted = _due(50, handling_code="C", handling_conditions="Police only.")
    # An analyst cleared for handling code C sees it; take that away and the
    # queue drops it.
    queue = list(record_review_queue(user=analyst))
    assert queue == [oldest, restricted, newer, today]
    analyst.groups.first().permissions.remove(
        *analyst.groups.first().permissions.filter(codename="view_handling_c")
    )
    analyst = type(analyst).objects.get(pk=analyst.pk)
    assert list(record_review_queue(user=analyst)) == [oldest, newer, today]

    client.force_login(admin_user)
    factories.justify(client)
    html = client.get("/intelligence/reviews/").content.decode()
    table = html[html.index('id="review-queue"') :]
    refs = [oldest.reference, restricted.reference, newer.reference, today.reference]
    positions = [table.index(r) for r in refs]
    assert positions == sorted(positions)
    assert "400 days overdue" in table and "due today" in table
    assert "Conditions: Police only." in table
    assert "<strong>4</strong> records due for review" in html
    # The navigation carries the count.
    assert '<span class="nav-count" title="records due">4</span>' in html


def test_queue_is_paginated(client, admin_user):
    records = [_due(100 - i) for i in range(55)]
    client.force_login(admin_user)
    factories.justify(client)
    first = client.get("/intelligence/reviews/").content.decode()
    second = client.get("/intelligence/reviews/?page=2").content.decode()
    assert records[0].reference in first and records[49].reference in first
    assert records[50].reference not in first
    assert records[50].reference in second and "Page 2 of 2" in second
    # A page past the end shows the last, never an error.
    assert client.get("/intelligence/reviews/?page=99").status_code == 200


@pytest.mark.parametrize(
    "fixture, status",
    [
        ("licensing_officer", 403),
        ("safety_officer", 403),
        ("tasking_officer", 403),
        ("analyst", 200),
        ("admin_user", 200),
    ],
)
def test_only_reviewers_open_the_queue(client, request, fixture, status):
    user = request.getfixturevalue(fixture)
    record = _due(10)
    client.force_login(user)
    factories.justify(client)
    assert client.get("/intelligence/reviews/").status_code == status
    assert client.get(f"/intelligence/reviews/{record.pk}/").status_code == status
    response = client.post(
        f"/intelligence/reviews/{record.pk}/dispose/",
        {
            "dispose-reason": "x",
            "dispose-confirm": "on",
            "dispose-review_due": record.review_date.isoformat(),
        },
    )
    assert response.status_code in (status, 302)
    assert IntelligenceRecord.objects.filter(pk=record.pk).exists() == (status != 200)
    html = client.get("/").content.decode()
    assert ("Reviews due" in html) == (status == 200)


def test_retain_needs_a_future_date_and_a_reason(client, analyst):
    record = _due(30)
    url = f"/intelligence/reviews/{record.pk}/retain/"
    client.force_login(analyst)
    factories.justify(client)
    for next_date, reason, field, message in [
        (TODAY, "Still relevant", "next_review_date", "must be in the future"),
        (TODAY - timedelta(days=5), "Still relevant", "next_review_date", "future"),
        ("", "Still relevant", "next_review_date", "needs a next review date"),
        ("30/02/2027", "Still relevant", "next_review_date", "as a date"),
        (TODAY + timedelta(days=365), "   ", "reason", "Say why"),
    ]:
        response = client.post(
            url,
            {
                "retain-next_review_date": str(next_date),
                "retain-reason": reason,
                "retain-review_due": record.review_date.isoformat(),
            },
        )
        assert response.status_code == 400
        html = response.content.decode()
        errors = html[html.index(f'id="retain-{field}-errors"') :][:400]
        assert message in errors
    assert not RecordReview.objects.exists()
    record.refresh_from_db()
    assert record.review_date == TODAY - timedelta(days=30)

    # The service refuses the same, whoever calls it.
    with pytest.raises(ValidationError) as err:
        record_review_retain(
            record=record, user=analyst, next_review_date=TODAY, reason=""
        )
    assert set(err.value.message_dict) == {"next_review_date", "reason"}


def test_retain_moves_the_review_date_and_keeps_the_decision(client, analyst):
    record = _due(30)
    next_date = TODAY + timedelta(days=365)
    client.force_login(analyst)
    factories.justify(client)
    response = client.post(
        f"/intelligence/reviews/{record.pk}/retain/",
        {
            "retain-next_review_date": next_date.isoformat(),
            "retain-reason": "Linked to an open investigation",
            "retain-review_due": record.review_date.isoformat(),
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.review_date == next_date
    review = RecordReview.objects.get(record_id=record.pk)
    assert (review.decision, review.reviewed_by, review.next_review_date) == (
        "retain",
        analyst,
        next_date,
    )
    assert review.review_due == TODAY - timedelta(days=30)
    assert review.reason == "Linked to an open investigation"
    # The record's change history says who moved the date.
    event = IntelligenceRecordEvent.objects.filter(pgh_obj_id=record.pk).last()
    assert event.pgh_context.metadata["user"] == analyst.pk
    assert event.review_date == next_date
    assert record not in record_review_queue(user=analyst)
    page = client.get(f"/intelligence/reviews/{record.pk}/").content.decode()
    assert "Linked to an open investigation" in page and "Retain" in page

    # A second reviewer working from the old review date is refused.
    response = client.post(
        f"/intelligence/reviews/{record.pk}/dispose/",
        {
            "dispose-reason": "No longer needed",
            "dispose-confirm": "on",
            "dispose-review_due": (TODAY - timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Someone reviewed this record" in response.content.decode()
    assert IntelligenceRecord.objects.filter(pk=record.pk).exists()


def test_dispose_removes_content_and_links_and_leaves_a_tombstone(
    client, analyst, location
):
    record = _due(
        90,
        summary="Named hotel room used for parties",
        subject_refs=["SUBJ-0001"],
        vehicle_marks=["AB12CDE"],
    )
    IntelligenceLocationLink.objects.create(
        record=record, location=location, link_type="occurred_at"
    )
    with pghistory.context(user=analyst.pk):
        IntelligenceRecord.objects.filter(pk=record.pk).update(
            summary="Named hotel room used for parties, revised"
        )
    assert IntelligenceRecordEvent.objects.filter(pgh_obj_id=record.pk).count() == 2
    client.force_login(analyst)
    factories.justify(client)
    # Disposal must be confirmed and explained.
    response = client.post(
        f"/intelligence/reviews/{record.pk}/dispose/",
        {"dispose-reason": "", "dispose-review_due": record.review_date.isoformat()},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why" in html and "Tick to confirm" in html
    assert IntelligenceRecord.objects.filter(pk=record.pk).exists()

    response = client.post(
        f"/intelligence/reviews/{record.pk}/dispose/",
        {
            "dispose-reason": "No longer necessary for a policing purpose",
            "dispose-confirm": "on",
            "dispose-review_due": record.review_date.isoformat(),
        },
    )
    assert response.status_code == 302
    assert not IntelligenceRecord.objects.filter(pk=record.pk).exists()
    assert not IntelligenceLocationLink.objects.filter(record_id=record.pk).exists()
    # Its content is gone from the history too.
    assert not IntelligenceRecordEvent.objects.filter(pgh_obj_id=record.pk).exists()
    assert not IntelligenceLocationLinkEvent.objects.filter(
        record_id=record.pk
    ).exists()
    tombstone = RecordReview.objects.get(record_id=record.pk)
    assert tombstone.decision == "dispose"
    assert tombstone.reference == record.reference
    assert tombstone.kind == record.kind
    assert tombstone.occurred_from == record.occurred_from
    assert tombstone.received_on == record.received_on
    assert tombstone.review_due == TODAY - timedelta(days=90)
    assert tombstone.reviewed_by == analyst
    assert tombstone.reason == "No longer necessary for a policing purpose"
    held = " ".join(
        str(getattr(tombstone, f.attname)) for f in RecordReview._meta.fields
    )
    for content in ("hotel room", "SUBJ-0001", "AB12CDE", "Police"):
        assert content not in held
    # Disposed means gone: reviewing it again answers 404.
    assert client.get(f"/intelligence/reviews/{record.pk}/").status_code == 404


def test_tombstones_and_reviews_cannot_be_changed_or_deleted(analyst):
    record = _due(10)
    tombstone = record_review_dispose(record=record, user=analyst, reason="Expired")
    with pytest.raises(DatabaseError, match="permission denied"):
        with transaction.atomic():
            RecordReview.objects.filter(pk=tombstone.pk).update(reason="Rewritten")
    with pytest.raises(DatabaseError, match="permission denied"):
        with transaction.atomic():
            RecordReview.objects.filter(pk=tombstone.pk).delete()
    with pytest.raises(DatabaseError, match="permission denied"):
        with transaction.atomic():
            tombstone.reason = "Rewritten"
            tombstone.save()
    assert RecordReview.objects.get(pk=tombstone.pk).reason == "Expired"


def test_not_visible_records_answer_404(client, analyst, admin_user):
    restricted = _due(10, handling_code="C", handling_conditions="Police only.")
    analyst.groups.first().permissions.remove(
        *analyst.groups.first().permissions.filter(codename="view_handling_c")
    )
    client.force_login(analyst)
    factories.justify(client)
    assert client.get(f"/intelligence/reviews/{restricted.pk}/").status_code == 404
    for action, data in [
        ("retain", {"retain-next_review_date": "2099-01-01", "retain-reason": "x"}),
        ("dispose", {"dispose-reason": "x", "dispose-confirm": "on"}),
    ]:
        response = client.post(f"/intelligence/reviews/{restricted.pk}/{action}/", data)
        assert response.status_code == 404
        assert "Police only" not in response.content.decode()
    # And one that does not exist reads the same.
    assert client.post("/intelligence/reviews/987654/dispose/").status_code == 404
    assert IntelligenceRecord.objects.filter(pk=restricted.pk).exists()
    assert not RecordReview.objects.exists()


def test_reviews_overdue_command_lists_due_records(capsys):
    old = _due(20)
    new = _due(2)
    _due(-5)
    call_command("reviews_overdue")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{old.reference}\tintelligence\t")
    assert out[0].endswith("20 days overdue")
    assert out[1].startswith(new.reference)
    assert out[-1] == f"2 records due for review on {date.today():%Y-%m-%d}"
    call_command("reviews_overdue", "--limit", "1")
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[-1].endswith("(1 listed)")


def test_records_are_deleted_only_by_a_recorded_disposal(client, admin_user):
    record = _due(10)
    with pytest.raises(DatabaseError, match="Cannot delete"):
        with transaction.atomic():
            IntelligenceRecord.objects.filter(pk=record.pk).delete()
    client.force_login(admin_user)
    factories.justify(client)
    url = f"/admin/intelligence/intelligencerecord/{record.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert IntelligenceRecord.objects.filter(pk=record.pk).exists()
    assert not RecordReview.objects.exists()


def test_queue_and_review_page_ask_a_reason_and_are_logged(client, analyst):
    from audit.models import AccessLogEntry

    due = _due(10)
    client.force_login(analyst)
    asked = client.get("/intelligence/reviews/")
    assert asked.status_code == 302 and "/access/justify/" in asked["Location"]
    assert not AccessLogEntry.objects.exists()

    factories.justify(client, "Monthly MoPI review")
    assert client.get("/intelligence/reviews/").status_code == 200
    assert client.get(f"/intelligence/reviews/{due.pk}/").status_code == 200
    assert client.get("/intelligence/reviews/999999999/").status_code == 404
    log = AccessLogEntry.objects.order_by("id")
    assert [(e.action, e.what, e.record_ids, e.justification) for e in log] == [
        ("listed", "Retention review queue", [due.pk], "Monthly MoPI review"),
        ("opened", "Retention review", [due.pk], "Monthly MoPI review"),
        ("denied", "Retention review", [999999999], ""),
    ]
