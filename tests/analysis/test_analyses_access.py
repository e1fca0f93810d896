"""Near repeat, when, period change and repeat locations: pages and API, on
the heat map's need-to-know scope, each run logged with its reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from intelligence.models import IntelligenceLocationLink
from tests import factories

pytestmark = pytest.mark.django_db

API = {
    "near-repeat": "/api/v1/analysis/near-repeat/",
    "when": "/api/v1/analysis/when/",
    "period-change": "/api/v1/analysis/period-change/",
    "repeat-locations": "/api/v1/analysis/repeat-locations/",
}
PAGES = {
    "near-repeat": "/analysis/near-repeat/?run=1&permutations=99",
    "when": "/analysis/when/",
    "period-change": "/analysis/period-change/",
    "repeat-locations": "/analysis/repeat-locations/",
}


@pytest.fixture
def two_records(location):
    """Two records at one premises: a small count for density-only roles."""
    when = timezone.now() - timedelta(days=3)
    records = [
        factories.make_record(
            occurred_from=when + timedelta(hours=k), summary=f"Seen {k}"
        )
        for k in range(2)
    ]
    for r in records:
        IntelligenceLocationLink.objects.create(
            record=r, location=location, link_type="occurred_at"
        )
    return records


@pytest.mark.parametrize("name", sorted(API))
def test_api_runs_for_an_analyst_and_is_logged(client_for, analyst, two_records, name):
    r = client_for(analyst).get(API[name], {"permutations": 99})
    assert r.status_code == 200, r.content
    entry = AccessLogEntry.objects.get(user=analyst)
    assert entry.action == "searched"
    assert entry.justification and entry.count >= 2


@pytest.mark.parametrize("name", sorted(API))
def test_api_needs_a_reason(client_for, analyst, two_records, name):
    r = client_for(analyst, justification=None).get(API[name])
    assert r.status_code == 428
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("name", sorted(API))
def test_partner_gets_nothing(client_for, partner, two_records, name):
    assert client_for(partner).get(API[name]).status_code == 403


@pytest.mark.parametrize(
    "name, params, field",
    [
        ("near-repeat", {"space_bands": "100,abc"}, "space_bands"),
        ("near-repeat", {"time_bands": "14,7"}, "time_bands"),
        ("near-repeat", {"permutations": 10**6}, "permutations"),
        ("when", {"point": "-1.51,52.40"}, "radius_m"),
        ("when", {"point": "-47.9,-15.8", "radius_m": 400}, "point"),
        ("when", {"radius_m": -5, "point": "-1.51,52.40"}, "radius_m"),
        ("when", {"location": 999999}, "location"),
        ("period-change", {"area_type": "county"}, "area_type"),
        ("period-change", {"days": 1000}, "days"),
        ("repeat-locations", {"until": "2026-13-01"}, "until"),
        ("repeat-locations", {"kind": "gossip"}, "kind"),
    ],
)
def test_bad_parameters_are_400(client_for, analyst, name, params, field):
    r = client_for(analyst).get(API[name], params)
    assert r.status_code == 400
    assert field in r.json()


def test_two_places_at_once_is_400(client_for, analyst, area, location):
    r = client_for(analyst).get(API["when"], {"area": area.pk, "location": location.pk})
    assert r.status_code == 400


def test_density_only_roles_see_counts_not_content(
    client_for, licensing_officer, safety_officer, two_records, location
):
    for user in (licensing_officer, safety_officer):
        client = client_for(user)
        when = client.get(API["when"]).json()
        assert when["records"] == "<3"
        assert all(
            c["value"] is None
            for row in when["rows"]
            for c in row["cells"]
            if c["suppressed"]
        )
        assert any(c["suppressed"] for row in when["rows"] for c in row["cells"])
        # No margin to subtract the shown cells from.
        assert set(when["by_day"]) == set(when["by_hour"]) == {None}
        assert {row["total"] for row in when["rows"]} == {None}
        repeat = client.get(API["repeat-locations"]).json()
        assert repeat["premises_list"] is None
        assert repeat["records_at_premises"] == "<3"
        # Shares of two records would give them away.
        assert set(repeat["top_shares"].values()) == {None}
        assert repeat["lorenz"] == [] and repeat["gini"] is None
        change = client.get(API["period-change"], {"days": 28}).json()
        row = next(a for a in change["areas"] if a["current"] == "<3")
        assert row["change_previous"] is None and row["p_previous"] is None
        body = str(when) + str(repeat) + str(change)
        assert "Seen 0" not in body and location.name not in body


def test_cleared_role_gets_the_premises_list(
    client_for, analyst, two_records, location
):
    body = client_for(analyst).get(API["repeat-locations"]).json()
    assert body["premises_list"][0]["name"] == location.name
    assert body["premises_list"][0]["records"] == 2
    assert body["records_at_premises"] == 2


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_ask_for_the_reason_then_run_and_log(client, analyst, two_records, name):
    client.force_login(analyst)
    r = client.get(PAGES[name])
    assert r.status_code == 302 and "/justif" in r["Location"]
    factories.justify(client)
    r = client.get(PAGES[name])
    assert r.status_code == 200
    assert AccessLogEntry.objects.filter(user=analyst, action="searched").count() == 1


def test_knox_page_shows_the_form_until_asked_to_run(client, analyst, two_records):
    client.force_login(analyst)
    factories.justify(client)
    r = client.get("/analysis/near-repeat/")
    assert r.status_code == 200 and b"knox-table" not in r.content
    assert not AccessLogEntry.objects.exists()


def test_pages_bad_parameters_are_400(client, analyst):
    client.force_login(analyst)
    factories.justify(client)
    assert client.get("/analysis/when/", {"days": "lots"}).status_code == 400
    assert (
        client.get("/analysis/near-repeat/", {"run": 1, "space_bands": "0"}).status_code
        == 400
    )
    assert client.get("/analysis/period-change/map.png", {"days": 2}).status_code == 400


def test_change_map_is_a_png(client, analyst, area, two_records):
    client.force_login(analyst)
    factories.justify(client)
    r = client.get("/analysis/period-change/map.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r.content[:4] == b"\x89PNG"


def test_a_hot_spot_selects_its_circle(client_for, analyst, location, two_records):
    # About 1.3 km from the hot spot: outside its circle.
    factories.make_record(point=factories.geom("POINT(-1.4950 52.4150)"))
    body = (
        client_for(analyst)
        .get(API["when"], {"hotspot": location.pk, "radius_m": 300})
        .json()
    )
    assert body["records"] == 2
    assert body["selection"]["radius_m"] == 300
    assert f"hot spot {location.name}" in body["selection"]["describe"]


def test_a_protected_place_is_no_hot_spot_for_uncleared_roles(client_for, analyst):
    home = factories.make_location(category="childrens_home")
    r = client_for(analyst).get(API["when"], {"hotspot": home.pk, "radius_m": 300})
    assert r.status_code == 400 and "hotspot" in r.json()
