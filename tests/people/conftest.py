"""A small network: two hotels joined by a car seen at both, a person of
interest who frequents one and drives the car, a young person at risk who
lives at a children's home and was seen in the car, and a link resting on a
handling-code-C record."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from people.models import Link, Subject, Vehicle
from people.services import (
    link_create,
    link_mention,
    subject_create,
    vehicle_get_or_create,
)
from tests import factories

REVIEW = date.today() + timedelta(days=365)


@dataclass
class Scene:
    hotel_a: object
    hotel_b: object
    home: object
    r1: object
    r2: object
    r_c: object
    r3: object
    car: Vehicle
    poi: Subject
    poi_c: Subject
    young: Subject
    frequents: Link
    drives: Link
    seen_in: Link
    frequents_c: Link


@pytest.fixture
def scene(area) -> Scene:
    hotel_a = factories.make_location(name="Grand Hotel")
    hotel_b = factories.make_location(name="Station Hotel")
    home = factories.make_location(name="Elm House", category="childrens_home")
    r1 = factories.make_record(vehicle_marks=["AB12CDE"])
    r1.location_links.create(location=hotel_a, link_type="vehicle_seen")
    r2 = factories.make_record(vehicle_marks=["AB12CDE"])
    r2.location_links.create(location=hotel_b, link_type="vehicle_seen")
    r_c = factories.make_record(
        handling_code="C", handling_conditions="Not to be shared outside police"
    )
    r_c.location_links.create(location=hotel_a, link_type="occurred_at")
    r3 = factories.make_record(source_evaluation="3", intelligence_assessment="D")
    r3.location_links.create(location=home, link_type="occurred_at")
    car, _ = vehicle_get_or_create(registration="ab12 cde", make="Toyota")
    poi = subject_create(
        kind="person_of_interest", review_date=REVIEW, descriptors="Tall, grey coat"
    )
    poi_c = subject_create(kind="associate", review_date=REVIEW)
    young = subject_create(kind="young_person", review_date=REVIEW, age_band="13_15")
    link_mention(record=r1, entity=car)
    link_mention(record=r2, entity=car)
    frequents = link_create(
        link_type="frequents", subject=poi, other=hotel_a, records=[r1]
    )
    drives = link_create(link_type="drives", subject=poi, other=car, records=[r2])
    seen_in = link_create(link_type="seen_in", subject=young, other=car, records=[r1])
    link_create(link_type="resides", subject=young, other=home, records=[r3])
    frequents_c = link_create(
        link_type="frequents", subject=poi_c, other=hotel_a, records=[r_c]
    )
    return Scene(
        hotel_a,
        hotel_b,
        home,
        r1,
        r2,
        r_c,
        r3,
        car,
        poi,
        poi_c,
        young,
        frequents,
        drives,
        seen_in,
        frequents_c,
    )


@pytest.fixture
def awaiting_record():
    """A record not yet graded: no one sees what rests on it."""
    return factories.make_record(
        status="awaiting",
        source_evaluation="",
        intelligence_assessment="",
        handling_code="",
    )
