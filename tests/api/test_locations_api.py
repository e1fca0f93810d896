import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/locations/"


def names(resp):
    return [f["properties"]["name"] for f in resp.json()["features"]]


def test_list_is_geojson_with_wgs84_points(client_for, analyst, location):
    resp = client_for(analyst).get(URL)
    assert resp.status_code == 200
    body = resp.json()
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 1
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(-1.5106) and lat == pytest.approx(52.4081)


def test_signed_out_is_refused(client):
    assert client.get(URL).status_code in (401, 403)


def test_token_auth_works(analyst, location, client):
    token = factories.make_token(analyst)
    resp = client.get(URL, HTTP_AUTHORIZATION=f"Token {token}")
    assert resp.status_code == 200


def test_filters_category_flagged_and_q(client_for, analyst, area):
    factories.make_location(name="Grand Hotel", category="hotel")
    factories.make_location(name="Chicken Hut", category="takeaway", postcode="CV2 4AB")
    factories.make_location(
        name="Kebab King", category="takeaway", concern_level="high"
    )
    c = client_for(analyst)
    assert names(c.get(URL, {"category": "takeaway"})) == ["Chicken Hut", "Kebab King"]
    assert names(c.get(URL + "?category=hotel&category=takeaway&flagged=true")) == [
        "Kebab King"
    ]
    assert names(c.get(URL, {"q": "cv24ab"})) == ["Chicken Hut"]
    assert names(c.get(URL, {"risk": "high"})) == ["Kebab King"]


def test_bbox_radius_and_area_filters(client_for, analyst, area):
    factories.make_location(name="Centre")
    factories.make_location(name="Far", point=factories.geom("POINT(-1.45 52.45)"))
    c = client_for(analyst)
    assert names(c.get(URL, {"bbox": "-1.52,52.40,-1.50,52.41"})) == ["Centre"]
    resp = c.get(URL, {"point": "-1.5106,52.4090", "radius": 200})
    assert names(resp) == ["Centre"]
    assert resp.json()["features"][0]["properties"]["distance_m"] == pytest.approx(
        100, abs=3
    )
    assert names(c.get(URL, {"area": area.code})) == ["Centre"]


def test_nearest_is_ordered_with_distance(client_for, analyst, area):
    factories.make_location(name="Near", point=factories.geom("POINT(-1.5100 52.4081)"))
    factories.make_location(
        name="Nearer", point=factories.geom("POINT(-1.5105 52.4081)")
    )
    factories.make_location(name="Far", point=factories.geom("POINT(-1.45 52.45)"))
    resp = client_for(analyst).get(
        URL + "nearest/", {"point": "-1.5106,52.4081", "k": 2}
    )
    assert resp.status_code == 200
    feats = resp.json()["features"]
    assert [f["properties"]["name"] for f in feats] == ["Nearer", "Near"]
    assert feats[0]["properties"]["distance_m"] < feats[1]["properties"]["distance_m"]
    assert feats[1]["properties"]["distance_m"] == pytest.approx(41, abs=2)


def test_detail(client_for, analyst, location):
    resp = client_for(analyst).get(f"{URL}{location.pk}/")
    assert resp.status_code == 200
    assert resp.json()["properties"]["version"] == location.version


def test_restricted_location_is_snapped_for_uncleared_roles(
    client_for, analyst, admin_user, area
):
    home = factories.make_location(
        name="Oak House",
        category="childrens_home",
        point=factories.geom("POINT(-1.5106 52.4081)"),
    )
    seen = client_for(analyst).get(f"{URL}{home.pk}/").json()
    assert seen["properties"]["position_approximate"] is True
    assert seen["properties"]["address"] == ""
    lon, lat = seen["geometry"]["coordinates"]
    assert (lon, lat) != pytest.approx((-1.5106, 52.4081), abs=1e-5)
    exact = client_for(admin_user).get(f"{URL}{home.pk}/").json()
    assert exact["geometry"]["coordinates"] == pytest.approx([-1.5106, 52.4081])
    assert exact["properties"]["position_approximate"] is False


def test_query_count_does_not_grow_with_rows(client_for, analyst, area):
    c = client_for(analyst)
    factories.make_location()
    c.get(URL)  # permissions are cached on the user after the first request
    with CaptureQueriesContext(connection) as few:
        c.get(URL)
    for _ in range(10):
        factories.make_location()
    with CaptureQueriesContext(connection) as many:
        c.get(URL)
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "params, field",
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "-1.4,52.4,-1.5,52.5"}, "bbox"),
        ({"point": "-1.5", "radius": 100}, "point"),
        ({"point": "x,y", "radius": 100}, "point"),
        ({"point": "-40.0,-10.0", "radius": 100}, "point"),
        ({"point": "-1.5,52.4", "radius": -5}, "radius"),
        ({"point": "-1.5,52.4", "radius": 50001}, "radius"),
        ({"point": "-1.5,52.4", "radius": "far"}, "radius"),
        ({"point": "-1.5,52.4"}, "radius"),
        ({"category": "casino"}, "category"),
        ({"risk": "extreme"}, "risk"),
        ({"area": "NOPE"}, "area"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client_for, analyst, params, field):
    resp = client_for(analyst).get(URL, params)
    assert resp.status_code == 400
    assert field in resp.json()


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "point"),
        ({"point": "-1.5,52.4", "k": 0}, "k"),
        ({"point": "1,2,3"}, "point"),
    ],
)
def test_nearest_bad_input(client_for, analyst, params, field):
    resp = client_for(analyst).get(URL + "nearest/", params)
    assert resp.status_code == 400
    assert field in resp.json()


def test_restricted_location_cannot_be_pinned_down_by_small_radius_or_address(
    client_for, analyst, admin_user, area
):
    home = factories.make_location(
        name="Oak House", category="childrens_home", address="7 Secret Lane"
    )
    snapped = client_for(analyst).get(f"{URL}{home.pk}/").json()["geometry"]
    assert snapped["coordinates"] != pytest.approx([-1.5106, 52.4081], abs=2e-4)
    tiny = {"point": "-1.5106,52.4081", "radius": 20}
    assert names(client_for(analyst).get(URL, tiny)) == []
    assert names(client_for(admin_user).get(URL, tiny)) == ["Oak House"]
    assert names(client_for(analyst).get(URL, {"q": "Secret Lane"})) == []
    assert names(client_for(analyst).get(URL, {"q": "Oak"})) == ["Oak House"]
    lon, lat = snapped["coordinates"]
    around_snap = {"point": f"{lon},{lat}", "radius": 20}
    assert names(client_for(analyst).get(URL, around_snap)) == ["Oak House"]


def test_markers_are_compact_rows_then_server_clusters(
    client_for, analyst, area, monkeypatch
):
    factories.make_location(name="A", concern_level="high")
    factories.make_location(name="B", point=factories.geom("POINT(-1.50 52.415)"))
    factories.make_location(name="C", point=factories.geom("POINT(-1.5001 52.4151)"))
    c = client_for(analyst)
    params = {"bbox": "-1.53,52.40,-1.49,52.42", "zoom": 14}
    body = c.get(URL + "markers/", params).json()
    assert body["count"] == 3 and "clusters" not in body
    row = dict(zip(body["fields"], body["markers"][0], strict=True))
    assert row["lon"] == pytest.approx(-1.5106) and row["concern_level"] in (
        "high",
        "none",
    )
    monkeypatch.setattr("locations.selectors.MARKERS_MAX", 2)
    monkeypatch.setattr("locations.api.MARKERS_MAX", 2)
    body = c.get(URL + "markers/", params).json()
    assert body["markers"] == []
    assert sorted((n, f) for _, _, n, f in body["clusters"]) == [(1, 1), (2, 0)]


@pytest.mark.parametrize(
    "params, field",
    [({"zoom": 14}, "bbox"), ({"bbox": "-1.53,52.40,-1.49,52.42"}, "zoom")],
)
def test_markers_bad_input(client_for, analyst, params, field):
    resp = client_for(analyst).get(URL + "markers/", params)
    assert resp.status_code == 400 and field in resp.json()


def test_nearest_leaves_out_snapped_restricted_locations(
    client_for, analyst, admin_user, area
):
    factories.make_location(name="School", category="school")
    factories.make_location(name="Cafe", point=factories.geom("POINT(-1.5090 52.4081)"))
    params = {"point": "-1.5106,52.4081", "k": 5}

    def nearest(user):
        resp = client_for(user).get(URL + "nearest/", params)
        return [f["properties"]["name"] for f in resp.json()["features"]]

    assert nearest(analyst) == ["Cafe"]
    assert nearest(admin_user) == ["School", "Cafe"]


@pytest.mark.parametrize(
    "path",
    [
        "nearest.json?point=-1.5106,52.4081",
        "markers.json?bbox=-1.6,52.3,-1.4,52.5&zoom=14",
        "{pk}/flags.json",
    ],
)
def test_format_suffix_reaches_the_actions(client_for, analyst, location, path):
    """The router's `.json` twins of the list's own actions answer as the
    actions do (they once failed on the format argument with a 500)."""
    resp = client_for(analyst).get(URL + path.format(pk=location.pk))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/json")


def test_pages_count_the_whole_list_in_the_page_query(client_for, analyst, area):
    for name in "ABCDE":
        factories.make_location(name=f"Place {name}")
    c = client_for(analyst)
    with CaptureQueriesContext(connection) as q:
        first = c.get(URL, {"page_size": 2})
    body = first.json()
    assert body["count"] == 5 and names(first) == ["Place A", "Place B"]
    assert "page=2" in body["next"] and body["previous"] is None
    # One query reads the page and counts the list (no separate COUNT).
    on_locations = [
        x["sql"] for x in q.captured_queries if "locations_location" in x["sql"]
    ]
    assert len(on_locations) == 1 and "OVER ()" in on_locations[0]
    last = c.get(URL, {"page_size": 2, "page": 3})
    assert names(last) == ["Place E"] and last.json()["next"] is None
    assert last.json()["count"] == 5 and "page=2" in last.json()["previous"]
    assert names(c.get(URL, {"page_size": 2, "page": "last"})) == ["Place E"]
    assert c.get(URL, {"page_size": 2, "page": 4}).status_code == 404
    assert c.get(URL, {"page_size": 2, "page": "x"}).status_code == 404
    empty = c.get(URL, {"q": "no such place"}).json()
    assert empty["count"] == 0 and empty["features"] == []
