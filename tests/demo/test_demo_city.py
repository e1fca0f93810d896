import math
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from demo.city import CENTRE
from demo.generator import build_city
from locations.models import Area, Category, Location

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def plan():
    return build_city(seed=1, today=TODAY)


def _fingerprint(p):
    return (
        [(loc.name, round(loc.x, 3), round(loc.y, 3)) for loc in p.locations],
        [
            (r["reference"], r["occurred_from"], r["source_evaluation"])
            for r in p.records
        ],
        [(a["action_type"], a["occurred_at"], a["location_key"]) for a in p.actions],
        [w.wkt for w in p.shape.wards],
    )


def test_same_seed_and_date_give_the_same_city(plan):
    assert _fingerprint(build_city(seed=1, today=TODAY)) == _fingerprint(plan)


def test_another_seed_gives_another_city(plan):
    other = build_city(seed=2, today=TODAY)
    assert _fingerprint(other)[0] != _fingerprint(plan)[0]


def test_plan_is_big_enough_and_covers_every_category(plan):
    assert len(plan.locations) >= 400
    assert {loc.category for loc in plan.locations} == set(Category.values)
    assert len(plan.records) >= 3000
    assert len(plan.actions) >= 400
    assert len(plan.meetings) >= 3
    assert all(m["taskings"] for m in plan.meetings)
    assert len(plan.shape.wards) == 18


def test_records_span_the_last_18_months(plan):
    days = [(TODAY - r["occurred_from"].date()).days for r in plan.records]
    assert min(days) >= 1
    assert 500 <= max(days) <= 540


def test_grade_mix_is_realistic(plan):
    new = [r for r in plan.records if r["grading_scheme"] == "3x5x2"]
    legacy = [r for r in plan.records if r["grading_scheme"] == "5x5x5"]
    assert legacy, "some older records keep a 5x5x5 grade"
    share = {s: sum(r["source_evaluation"] == s for r in new) / len(new) for s in "123"}
    assert share["2"] > share["1"] > share["3"] > 0.05
    assert 0.05 < sum(r["handling_code"] == "C" for r in new) / len(new) < 0.3
    assert all(r["handling_conditions"] for r in new if r["handling_code"] == "C")


def _median_distance(plan, category):
    d = sorted(
        math.dist((loc.x, loc.y), CENTRE)
        for loc in plan.locations
        if loc.category == category
    )
    return d[len(d) // 2]


def test_hotels_and_takeaways_cluster_in_the_centre(plan):
    assert _median_distance(plan, "hotel") < 0.6 * _median_distance(plan, "school")
    assert _median_distance(plan, "takeaway") < 0.6 * _median_distance(plan, "park")


def test_taxi_ranks_at_the_station_and_centre(plan):
    st = plan.shape.station
    ranks = [loc for loc in plan.locations if loc.category == "taxi_rank"]
    at_station = [r for r in ranks if math.dist((r.x, r.y), (st.x, st.y)) < 150]
    in_centre = [r for r in ranks if math.dist((r.x, r.y), CENTRE) < 900]
    assert len(at_station) >= 3
    assert len(in_centre) >= 6


def _near(plan, key, months):
    loc = plan.locations[key]
    return sum(
        1
        for r in plan.records
        if math.dist((r["x"], r["y"]), (loc.x, loc.y)) < 250
        and (TODAY - r["occurred_from"].date()).days // 30 in months
    )


def test_hot_spots_move_over_time(plan):
    spots = {h.label: h.location_key for h in plan.hotspots}
    old, recent = range(10, 18), range(0, 6)
    # Hotel A fades after the s.116 notice; hotel B rises; the park emerges.
    assert _near(plan, spots["hotel A"], old) > 3 * _near(
        plan, spots["hotel A"], recent
    )
    assert _near(plan, spots["hotel B"], recent) > 3 * _near(
        plan, spots["hotel B"], old
    )
    assert _near(plan, spots["park"], recent) > 3 * max(
        1, _near(plan, spots["park"], old)
    )


def test_missing_episodes_link_to_locations(plan):
    missing = [r for r in plan.records if r["kind"] == "missing"]
    linked = [r for r in missing if r["location_key"] is not None]
    assert len(missing) > 300
    assert len(linked) > 100
    assert {r["link_type"] for r in linked} <= {"found_at", "last_seen_at"}


def test_s116_notices_in_the_plan_respect_six_months(plan):
    for a in plan.actions:
        if a["action_type"] == "s116_notice":
            assert (a["expires_at"] - a["served_at"]).days <= 183
            assert a["authorising_rank"] in {
                "inspector",
                "chief_inspector",
                "superintendent",
            }


@pytest.mark.django_db
def test_loading_the_demo_city(plan):
    out = StringIO()
    call_command("demo_city", "--seed", "1", "--today", TODAY.isoformat(), stdout=out)
    assert "locations: 480" in out.getvalue()
    assert Area.objects.filter(area_type="ward").count() == 18
    assert Location.objects.count() == len(plan.locations)
    # Every location lies in a ward, assigned from its geometry by the database.
    assert not Location.objects.filter(area_ids=[]).exists()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT bool_and(ST_IsValid(geom)), "
            "abs(sum(ST_Area(geom_bng)) - ST_Area(ST_Union(geom_bng))) "
            "FROM locations_area WHERE area_type = 'ward'"
        )
        valid, overlap = cur.fetchone()
    assert valid
    assert overlap < 1.0  # square metres: wards tile the city without overlap
    flagged = Location.objects.exclude(concern_level="none")
    assert flagged.count() >= 20
    assert all(loc.flags.exists() for loc in flagged)

    again = StringIO()
    call_command("demo_city", "--seed", "1", "--if-empty", stdout=again)
    assert "already loaded" in again.getvalue()
    assert Location.objects.count() == len(plan.locations)


@pytest.mark.django_db
def test_the_demo_city_has_a_licensing_register(plan):
    from licensing.models import LicensedVehicle, LicensingPrompt, Operator
    from licensing.selectors import driver_compliance_counts

    call_command(
        "demo_city", "--seed", "1", "--today", TODAY.isoformat(), stdout=StringIO()
    )
    counts = driver_compliance_counts()
    assert sum(counts.values()) == 120
    assert counts["not_compliant"] >= 5
    assert counts["compliant"] > counts["not_compliant"]
    # Every operator is based at a private hire base of the premises register.
    assert not Operator.objects.exclude(base__category="private_hire_base").exists()
    # Some licensed cars are cars the records already name: one row per car.
    named = LicensedVehicle.objects.filter(vehicle__links__record__isnull=False)
    assert named.distinct().count() >= 5
    assert LicensingPrompt.objects.exists()
    # Reloading replaces the register rather than failing on it.
    call_command(
        "demo_city",
        "--seed",
        "1",
        "--today",
        TODAY.isoformat(),
        "--reset",
        stdout=StringIO(),
    )
    assert sum(driver_compliance_counts().values()) == 120
