"""A young person and a person of interest, a practitioner, a police
contact, the default screening tool and a hotel."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from accounts.roles import (
    ADMINISTRATOR,
    ANALYST,
    SAFEGUARDING_PRACTITIONER,
    TASKING_OFFICER,
)
from people.services import subject_create
from safeguarding.indicators import default_set_load
from safeguarding.models import Indicator, IndicatorSet
from tests import factories

REVIEW = date.today() + timedelta(days=365)


@dataclass
class Cast:
    practitioner: object
    police: object
    analyst: object
    admin: object
    young: object
    poi: object
    hotel: object
    tool: IndicatorSet


@pytest.fixture
def cast(db) -> Cast:
    return Cast(
        practitioner=factories.make_user(
            SAFEGUARDING_PRACTITIONER, "sg-practitioner", email="p@example.org"
        ),
        police=factories.make_user(TASKING_OFFICER, "sg-police", email="c@example.org"),
        analyst=factories.make_user(ANALYST, "sg-analyst"),
        admin=factories.make_user(ADMINISTRATOR, "sg-admin"),
        young=subject_create(kind="young_person", review_date=REVIEW, age_band="13_15"),
        poi=subject_create(kind="person_of_interest", review_date=REVIEW),
        hotel=factories.make_location(name="Canal Side Hotel"),
        tool=default_set_load(
            indicator_set_model=IndicatorSet, indicator_model=Indicator
        ),
    )
