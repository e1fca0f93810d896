from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories

pytestmark = pytest.mark.django_db


def _refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_record(**kwargs)


def test_valid_3x5x2_and_legacy_5x5x5_grades_are_kept_as_given():
    new = factories.make_record(source_evaluation="1", intelligence_assessment="A")
    old = factories.make_record(
        grading_scheme="5x5x5",
        source_evaluation="B",
        intelligence_assessment="2",
        handling_code="3",
    )
    assert new.grade == "1A P"
    assert old.grade == "B2 3"


@pytest.mark.parametrize(
    "grade",
    [
        {"source_evaluation": "4"},
        {"intelligence_assessment": "F"},
        {"handling_code": "X"},
        # A 5x5x5 grade under the 3x5x2 scheme is refused, and the reverse.
        {"source_evaluation": "B", "intelligence_assessment": "2"},
        {"grading_scheme": "5x5x5"},
    ],
)
def test_grades_outside_their_scheme_are_refused(grade):
    _refused(**grade)


def test_handling_code_c_needs_its_conditions():
    _refused(handling_code="C", handling_conditions="")
    rec = factories.make_record(handling_code="C", handling_conditions="Police only")
    assert rec.handling_conditions == "Police only"


def test_window_must_end_after_it_starts():
    rec = factories.make_record()
    _refused(
        occurred_from=rec.occurred_from,
        occurred_to=rec.occurred_from - timedelta(hours=1),
    )


def test_missing_point_only_on_missing_episodes():
    _refused(kind="missing", missing_point="")
    _refused(kind="intelligence", missing_point="found")
    assert factories.make_record(kind="missing", missing_point="found").pk


def test_precision_is_metres_within_range():
    _refused(precision_m=0)
    _refused(precision_m=100_000)


def test_full_clean_names_unknown_tags():
    rec = factories.make_record()
    rec.tags = ["not_a_tag"]
    with pytest.raises(ValidationError) as err:
        rec.full_clean()
    assert "tags" in err.value.message_dict


def test_location_links_are_unique_per_kind(intel, location):
    with pytest.raises(IntegrityError), transaction.atomic():
        intel.location_links.create(location=location, link_type="occurred_at")
    intel.location_links.create(location=location, link_type="mentioned")
    assert intel.locations.count() == 2
