"""A seeded plan of the demo city: plain data, no database, so the same seed
and date always give the same city (the loader writes it)."""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from . import names
from .city import (
    CityShape,
    city_shape,
    footprint,
    near,
    npa_groups,
    point_in_city,
    point_on_roads,
)
from .plan_activity import plan_activity
from .plan_people import plan_people

# How many of each category, and where they sit: "centre" (near the centre),
# "roads" (beside main roads), "city" (anywhere).
CATEGORY_PLAN = [
    ("hotel", 46, "centre+roads"),
    ("bnb", 24, "roads"),
    ("takeaway", 150, "centre+roads"),
    ("taxi_rank", 12, "ranks"),
    ("private_hire_base", 14, "roads"),
    ("shisha_lounge", 8, "centre"),
    ("licensed_premises", 90, "centre+roads"),
    ("park", 18, "city"),
    ("car_park", 24, "centre"),
    ("transport_hub", 5, "hubs"),
    ("shopping_centre", 5, "centre+roads"),
    ("vacant_property", 18, "city"),
    ("residential_concern", 18, "city"),
    ("childrens_home", 12, "city"),
    ("school", 24, "city"),
    ("other", 12, "city"),
]
MONTHS = 18


@dataclass
class PlannedLocation:
    key: int
    name: str
    category: str
    address: str
    postcode: str
    x: float
    y: float
    footprint: object = None
    premises_licence_number: str = ""
    licence_holder: str = ""
    fhrs_id: str = ""
    fhrs_rating: str = ""


@dataclass
class HotSpot:
    """A place whose intelligence rises and falls over the 18 months."""

    location_key: int
    label: str
    profile: list[float]  # relative intensity per month, oldest first
    tags: list[str]


@dataclass
class CityPlan:
    seed: int
    today: date
    shape: CityShape
    npas: list
    locations: list[PlannedLocation] = field(default_factory=list)
    hotspots: list[HotSpot] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    meetings: list[dict] = field(default_factory=list)
    # Subjects, vehicles and their links (demo/plan_people.py).
    people: object = None


def _address(rng: random.Random) -> tuple[str, str]:
    street = f"{rng.choice(names.STREETS)} {rng.choice(names.STREET_KINDS)}"
    district = rng.randint(1, 6)
    postcode = f"CV{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    return f"{rng.randint(1, 240)} {street}, Coventry", postcode


def _name(rng: random.Random, category: str, i: int) -> str:
    adj, noun = rng.choice(names.ADJ), rng.choice(names.NOUN)
    street = rng.choice(names.STREETS)
    return {
        "hotel": f"The {adj} {noun} Hotel",
        "bnb": f"{noun} House Guest House",
        "takeaway": (
            f"{rng.choice(names.PEOPLE_FIRST)} {rng.choice(names.FOOD)}"
            if rng.random() < 0.5
            else f"{adj} {rng.choice(names.FOOD)}"
        ),
        "taxi_rank": f"{street} Taxi Rank",
        "private_hire_base": f"{adj} Cars",
        "shisha_lounge": f"{noun} Shisha Lounge",
        "licensed_premises": f"The {adj} {noun}",
        "park": f"{street} Park",
        "car_park": f"{street} Multi-Storey Car Park",
        "transport_hub": f"{street} Interchange",
        "shopping_centre": f"{noun} Shopping Centre",
        "vacant_property": f"Former {noun} Works",
        "residential_concern": f"Residential address R-{1000 + i}",
        "childrens_home": f"{noun} Lodge (supported accommodation)",
        "school": f"{street} Academy",
        "other": f"{adj} {noun} Gym",
    }[category]


def _place(rng: random.Random, shape: CityShape, where: str) -> tuple[float, float]:
    if where == "centre":
        return point_in_city(rng, shape, centre_bias=0.95)
    if where == "roads":
        return point_on_roads(rng, shape)
    if where == "centre+roads":
        return (
            point_in_city(rng, shape, centre_bias=1.0)
            if rng.random() < 0.55
            else point_on_roads(rng, shape)
        )
    return point_in_city(rng, shape)


def _plan_locations(rng: random.Random, plan: CityPlan) -> None:
    shape = plan.shape
    st, cen = shape.station, shape.centre
    rank_spots = [
        (st.x + dx, st.y + dy) for dx, dy in [(-40, 30), (50, 20), (0, -50), (70, -30)]
    ]
    rank_spots += [near(rng, cen.x, cen.y, 250) for _ in range(6)]
    rank_spots += [point_on_roads(rng, shape) for _ in range(2)]
    hubs = [(st.x, st.y), near(rng, cen.x, cen.y, 200)] + [
        point_on_roads(rng, shape) for _ in range(3)
    ]
    seen_names: set[str] = set()
    for category, count, where in CATEGORY_PLAN:
        for i in range(count):
            if where == "ranks":
                x, y = rank_spots[i % len(rank_spots)]
            elif where == "hubs":
                x, y = hubs[i % len(hubs)]
            else:
                x, y = _place(rng, shape, where)
            name = _name(rng, category, len(plan.locations))
            while name in seen_names:
                name = (
                    f"{name} {rng.choice(['II', 'East', 'West', 'Express', 'Central'])}"
                )
            seen_names.add(name)
            address, postcode = _address(rng)
            loc = PlannedLocation(
                len(plan.locations), name, category, address, postcode, x, y
            )
            if category in {"hotel", "licensed_premises", "takeaway", "shisha_lounge"}:
                loc.premises_licence_number = (
                    f"PL/{rng.randint(1000, 9999)}/{rng.randint(10, 25)}"
                )
                loc.licence_holder = (
                    f"{rng.choice(names.ADJ)} {rng.choice(names.NOUN)} Ltd"
                )
            if category in {"hotel", "bnb", "takeaway", "licensed_premises"}:
                loc.fhrs_id = str(900_000 + len(plan.locations))
                loc.fhrs_rating = rng.choice(
                    ["5", "5", "4", "4", "3", "2", "1", "AwaitingInspection"]
                )
            if category in {"hotel", "shopping_centre", "car_park", "school", "park"}:
                size = {"park": 160, "school": 90}.get(category, 50)
                loc.footprint = footprint(x, y, size, size * 0.7, rng.uniform(0, 90))
            plan.locations.append(loc)


def _plan_hotspots(rng: random.Random, plan: CityPlan) -> None:
    """Four hot spots that move, persist, emerge and fade, so the map and the
    period comparisons have something real to find."""
    by_cat: dict[str, list[PlannedLocation]] = {}
    for loc in plan.locations:
        by_cat.setdefault(loc.category, []).append(loc)
    centre = plan.shape.centre

    def nearest_centre(cat: str, skip: int = 0) -> PlannedLocation:
        ranked = sorted(
            by_cat[cat], key=lambda loc: math.dist((loc.x, loc.y), (centre.x, centre.y))
        )
        return ranked[skip]

    hotel_a, hotel_b = nearest_centre("hotel", 0), nearest_centre("hotel", 3)
    takeaway = sorted(
        by_cat["takeaway"],
        key=lambda loc: -math.dist((loc.x, loc.y), (centre.x, centre.y)),
    )[20]
    park = by_cat["park"][0]
    rank = by_cat["taxi_rank"][0]
    m = MONTHS
    plan.hotspots = [
        # Hotel A is disrupted at month 9; activity moves to hotel B nearby.
        HotSpot(
            hotel_a.key,
            "hotel A",
            [3.0 if i < 9 else 0.4 for i in range(m)],
            ["hotel_party", "young_with_older_adults", "alcohol_drugs"],
        ),
        HotSpot(
            hotel_b.key,
            "hotel B",
            [0.2 if i < 10 else 2.0 + 0.2 * (i - 10) for i in range(m)],
            ["hotel_party", "young_with_older_adults", "cash_payment"],
        ),
        HotSpot(takeaway.key, "takeaway", [1.6] * m, ["gifts_money", "vehicle_pickup"]),
        HotSpot(
            park.key,
            "park",
            [0.0 if i < m - 4 else 2.5 for i in range(m)],
            ["alcohol_drugs", "young_with_older_adults"],
        ),
        HotSpot(
            rank.key,
            "taxi rank",
            [2.2 if i < 7 else 0.1 for i in range(m)],
            ["taxi_transporting", "vehicle_pickup"],
        ),
    ]


def build_city(
    seed: int = 1, today: date | None = None, records: int = 3600
) -> CityPlan:
    today = today or date.today()
    rng = random.Random(seed)
    shape = city_shape(rng)
    plan = CityPlan(seed=seed, today=today, shape=shape, npas=npa_groups(shape))
    _plan_locations(rng, plan)
    _plan_hotspots(rng, plan)
    plan_activity(rng, plan, records)
    plan.people = plan_people(plan, seed)
    return plan


def month_start(today: date, months_ago: int) -> datetime:
    """Midnight on the day `months_ago` 30-day months before today."""
    return datetime.combine(today - timedelta(days=30 * months_ago), time(0, 0))
