import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.models import Subject
from people.services import link_create, subject_create

pytestmark = pytest.mark.django_db

REVIEW = date.today() + timedelta(days=365)


def test_subjects_get_a_pseudonymous_reference():
    one = subject_create(kind="person_of_interest", review_date=REVIEW)
    two = subject_create(kind="associate", review_date=REVIEW)
    assert re.fullmatch(r"S-\d{4}-\d{6}", one.reference)
    assert one.reference != two.reference


@pytest.mark.parametrize(
    "text, found",
    [
        ("Seen with a girl, DOB 03/04/2011", "date of birth"),
        ("Drives for a firm, mobile 07700 900123", "phone number"),
        ("Uses jay.smith@example.com", "email address"),
    ],
)
def test_descriptors_are_checked_as_the_intake_form_checks(text, found):
    with pytest.raises(ValidationError) as caught:
        subject_create(kind="person_of_interest", review_date=REVIEW, descriptors=text)
    assert found in " ".join(caught.value.message_dict["descriptors"])


def test_young_people_have_a_forum_and_others_none():
    young = subject_create(kind="young_person", review_date=REVIEW)
    assert young.forum == "none" and young.screening_outcome is None
    with pytest.raises(ValidationError):
        subject_create(kind="person_of_interest", review_date=REVIEW, forum="mace")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Subject.objects.filter(pk=young.pk).update(kind="associate")


def test_a_link_needs_a_record_and_the_right_ends(scene):
    with pytest.raises(ValidationError) as caught:
        link_create(
            link_type="frequents", subject=scene.poi, other=scene.hotel_b, records=[]
        )
    assert "records" in caught.value.message_dict
    with pytest.raises(ValidationError):
        link_create(
            link_type="drives",
            subject=scene.poi,
            other=scene.hotel_b,
            records=[scene.r1],
        )
    with pytest.raises(ValidationError):
        link_create(
            link_type="associate",
            subject=scene.poi,
            other=scene.poi,
            records=[scene.r1],
        )
    pair = link_create(
        link_type="associate", subject=scene.young, other=scene.poi, records=[scene.r1]
    )
    # Stored lower id first, so one pair is one link.
    again = link_create(
        link_type="associate", subject=scene.poi, other=scene.young, records=[scene.r2]
    )
    assert pair.pk == again.pk
    assert set(pair.records.values_list("pk", flat=True)) == {scene.r1.pk, scene.r2.pk}
