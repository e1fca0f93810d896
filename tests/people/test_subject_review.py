"""A subject's review date joins the MoPI review queue as a record's does:
retain with a next date, or dispose of the profile, its links and its
history, the decision kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from people.models import Link, Subject, SubjectEvent, SubjectReview
from people.services import (
    subject_create,
    subject_review_dispose,
    subject_review_retain,
)
from tests import factories

pytestmark = pytest.mark.django_db

PAST = date.today() - timedelta(days=3)


def _due(kind="person_of_interest"):
    subject = subject_create(kind=kind, review_date=date.today() + timedelta(days=1))
    Subject.objects.filter(pk=subject.pk).update(review_date=PAST)
    subject.refresh_from_db()
    return subject


def test_subjects_due_are_in_the_review_queue(client, analyst, tasking_officer):
    due = _due()
    young = _due("young_person")
    later = subject_create(
        kind="associate", review_date=date.today() + timedelta(days=30)
    )
    client.force_login(analyst)
    factories.justify(client)
    page = client.get("/intelligence/reviews/").content.decode()
    assert due.reference in page and young.reference in page
    assert later.reference not in page
    assert f"/people/subjects/{due.pk}/review/" in page


def test_retain_moves_the_review_date_and_keeps_the_decision(analyst):
    subject = _due()
    later = date.today() + timedelta(days=365)
    subject_review_retain(
        subject=subject, user=analyst, reason="Still active", next_review_date=later
    )
    subject.refresh_from_db()
    assert subject.review_date == later
    review = SubjectReview.objects.get(subject_id=subject.pk)
    assert (review.decision, review.review_due) == ("retain", PAST)
    with pytest.raises(ValidationError):
        subject_review_retain(
            subject=subject, user=analyst, reason="x", next_review_date=PAST
        )


def test_dispose_deletes_profile_links_and_history(analyst, scene):
    subject = scene.poi
    assert SubjectEvent.objects.filter(pgh_obj_id=subject.pk).exists()
    subject_review_dispose(subject=subject, user=analyst, reason="No longer relevant")
    assert not Subject.objects.filter(pk=subject.pk).exists()
    assert not Link.objects.filter(subject_id=subject.pk).exists()
    assert not SubjectEvent.objects.filter(pgh_obj_id=subject.pk).exists()
    tombstone = SubjectReview.objects.get(subject_id=subject.pk)
    assert tombstone.reference == subject.reference
    assert tombstone.decision == "dispose"
    # The decision cannot be rewritten.
    with (
        # Refused twice over: no DELETE for the application's role, and
        # the append-only trigger for anyone.
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute("DELETE FROM people_subjectreview")


def test_review_page_posts_a_decision(client, analyst, tasking_officer):
    subject = _due()
    client.force_login(analyst)
    factories.justify(client)
    url = f"/people/subjects/{subject.pk}/review/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"decision": "retain", "reason": "Still active"})
    assert refused.status_code == 400
    assert "next review date" in refused.content.decode()
    done = client.post(
        url,
        {
            "decision": "retain",
            "reason": "Still active",
            "next_review_date": (date.today() + timedelta(days=200)).isoformat(),
        },
    )
    assert done.status_code == 302
    client.force_login(tasking_officer)
    factories.justify(client)
    assert client.get(url).status_code == 403
