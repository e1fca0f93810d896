from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from locations.models import ConcernFlag
from locations.services import StaleEdit, location_flag, location_update
from tests import factories

pytestmark = pytest.mark.django_db

REVIEW = date.today() + timedelta(days=60)


def test_flag_then_clear_keeps_history_and_current_level(location, licensing_officer):
    location_flag(
        location=location,
        user=licensing_officer,
        action="flag",
        risk_level="high",
        reason="Walk-in bookings with young people",
        review_date=REVIEW,
    )
    assert location.concern_level == "high"
    assert location.concern_review_date == REVIEW
    location_flag(
        location=location,
        user=licensing_officer,
        action="clear",
        reason="Staff trained; no further reports",
    )
    assert location.concern_level == "none"
    assert location.concern_review_date is None
    history = list(location.flags.values_list("action", "risk_level", "agency"))
    assert history == [("clear", "", "licensing"), ("flag", "high", "licensing")]


def test_flag_needs_a_reason_a_risk_level_and_a_review_date(
    location, licensing_officer
):
    with pytest.raises(ValidationError) as err:
        location_flag(
            location=location,
            user=licensing_officer,
            action="flag",
            risk_level="",
            reason="",
            review_date=REVIEW,
        )
    assert {"reason", "risk_level"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError):
        location_flag(
            location=location,
            user=licensing_officer,
            action="flag",
            risk_level="extreme",
            reason="x",
            review_date=REVIEW,
        )
    location.refresh_from_db()
    assert location.concern_level == "none"
    assert not location.flags.exists()


def test_database_refuses_a_flag_without_review_date(location, licensing_officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConcernFlag.objects.create(
            location=location,
            action="flag",
            risk_level="low",
            reason="x",
            agency="police",
            created_by=licensing_officer,
        )


def test_a_stale_edit_is_refused_and_nothing_is_lost(location):
    first = type(location).objects.get(pk=location.pk)
    second = type(location).objects.get(pk=location.pk)
    location_update(location=first, version=first.version, name="Renamed by officer A")
    with pytest.raises(StaleEdit):
        location_update(
            location=second, version=second.version, name="Officer B's name"
        )
    location.refresh_from_db()
    assert location.name == "Renamed by officer A"
    assert location.version == 2


def test_location_constraints(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_location(category="brothel")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_location(name="")
    factories.make_location(source="fhrs", source_id="123")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_location(source="fhrs", source_id="123")
    # Hand-entered locations have no source id and may share the empty one.
    factories.make_location()
    factories.make_location()
