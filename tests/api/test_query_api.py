import csv
import io

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

RADIUS = "/api/v1/query/radius/"
AREA = "/api/v1/query/area/"
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-1.52, 52.40], [-1.50, 52.40], [-1.50, 52.41], [-1.52, 52.41], [-1.52, 52.40]]
    ],
}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[-1.52, 52.40], [-1.50, 52.41], [-1.50, 52.40], [-1.52, 52.41], [-1.52, 52.40]]
    ],
}


@pytest.fixture
def scene(area):
    hotel = factories.make_location(name="Grand Hotel")
    factories.make_location(
        name="Far Takeaway",
        category="takeaway",
        point=factories.geom("POINT(-1.45 52.45)"),
    )
    for _ in range(2):
        factories.make_record()
    factories.make_record(kind="missing", missing_point="last_seen")
    factories.make_action(location=hotel, occurred_at=factories.timezone.now())
    return hotel


def test_radius_query_answers_what_is_here(client_for, analyst, scene):
    resp = client_for(analyst).get(RADIUS, {"point": "-1.5106,52.4081", "radius": 400})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    feats = body["locations"]["features"]
    assert [f["properties"]["name"] for f in feats] == ["Grand Hotel"]
    assert feats[0]["properties"]["distance_m"] == pytest.approx(0, abs=1)
    assert body["intelligence"]["total"] == 3
    assert body["intelligence"]["by_kind"] == {"intelligence": 2, "missing": 1}
    assert body["intelligence"]["by_grade"] == {"2B": 3}
    assert len(body["disruption"]) == 1
    assert body["query"]["radius_m"] == 400


def test_radius_export_csv(client_for, analyst, scene):
    resp = client_for(analyst, session=True).get(
        RADIUS, {"point": "-1.5106,52.4081", "radius": 400, "export": "csv"}
    )
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode())))
    assert rows[0][0] == "section"
    assert ["location", "Grand Hotel"] == rows[1][:2]
    assert any(r[:2] == ["intelligence", "all records"] and r[-1] == "3" for r in rows)


def test_roles_without_analysis_are_refused(client_for, licensing_officer, scene):
    resp = client_for(licensing_officer).get(
        RADIUS, {"point": "-1.5106,52.4081", "radius": 400}
    )
    assert resp.status_code == 403


def test_small_counts_suppressed_without_record_content(
    client_for, licensing_officer, scene
):
    from django.contrib.auth.models import Permission

    licensing_officer.user_permissions.add(
        Permission.objects.get(codename="run_analysis")
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=licensing_officer.pk)
    body = (
        client_for(user).get(RADIUS, {"point": "-1.5106,52.4081", "radius": 400}).json()
    )
    assert body["intelligence"]["total"] == 3
    assert body["intelligence"]["by_kind"] == {"intelligence": "<3", "missing": "<3"}


def test_area_query(client_for, analyst, scene):
    resp = client_for(analyst).post(AREA, {"polygon": SQUARE}, format="json")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert [f["properties"]["name"] for f in body["locations"]["features"]] == [
        "Grand Hotel"
    ]
    assert body["intelligence"]["total"] == 3
    bare = client_for(analyst).post(AREA, SQUARE, format="json")
    assert bare.status_code == 200


def test_area_export_csv(client_for, analyst, scene):
    resp = client_for(analyst, session=True).post(
        AREA + "?export=csv", {"polygon": SQUARE}, format="json"
    )
    assert resp.status_code == 200
    assert b"Grand Hotel" in resp.content


@pytest.mark.parametrize(
    "params, field",
    [
        ({"radius": 400}, "point"),
        ({"point": "-1.5,52.4"}, "radius"),
        ({"point": "52.4", "radius": 400}, "point"),
        ({"point": "-1.5,52.4", "radius": -5}, "radius"),
        ({"point": "-1.5,52.4", "radius": 10**9}, "radius"),
        ({"point": "-1.5,52.4", "radius": 400, "since": "last week"}, "since"),
        ({"point": "-1.5,52.4", "radius": 400, "until": "2026-02-30"}, "until"),
    ],
)
def test_radius_bad_input(client_for, analyst, params, field):
    resp = client_for(analyst).get(RADIUS, params)
    assert resp.status_code == 400
    assert field in resp.json()


@pytest.mark.parametrize(
    "body",
    [
        {"polygon": "not json"},
        {"polygon": {"type": "Point", "coordinates": [-1.5, 52.4]}},
        {"polygon": {"type": "Polygon", "coordinates": "nonsense"}},
        {"polygon": {"type": "Polygon", "coordinates": [[[-1.5, 52.4], [-1.4, 52.4]]]}},
        {"polygon": BOWTIE},
        {},
    ],
)
def test_area_bad_polygon(client_for, analyst, body):
    resp = client_for(analyst).post(AREA, body, format="json")
    assert resp.status_code == 400
    assert "polygon" in resp.json()


def test_area_bad_date(client_for, analyst):
    resp = client_for(analyst).post(
        AREA, {"polygon": SQUARE, "since": "soon"}, format="json"
    )
    assert resp.status_code == 400
    assert "since" in resp.json()


def test_counts_do_not_pin_down_records_at_restricted_locations(
    client_for, analyst, area
):
    home = factories.make_location(name="Oak House", category="childrens_home")
    record = factories.make_record()
    record.location_links.create(location=home, link_type="occurred_at")
    body = client_for(analyst).get(RADIUS, {"point": "-1.5106,52.4081", "radius": 20})
    assert body.json()["intelligence"]["total"] == 0


def _square_around(lon: float, lat: float, half: float = 0.0005) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_area_query_places_restricted_rows_where_the_role_sees_them(
    client_for, analyst, admin_user, area
):
    home = factories.make_location(name="Oak House", category="childrens_home")
    record = factories.make_record()
    record.location_links.create(location=home, link_type="occurred_at")
    snapped = client_for(analyst).get(f"/api/v1/locations/{home.pk}/").json()
    lon, lat = snapped["geometry"]["coordinates"]
    at_true = {"polygon": _square_around(-1.5106, 52.4081)}
    at_snap = {"polygon": _square_around(lon, lat)}

    def names_and_total(user, body):
        data = client_for(user).post(AREA, body, format="json")
        assert data.status_code == 200, data.content
        data = data.json()
        names = [f["properties"]["name"] for f in data["locations"]["features"]]
        return names, data["intelligence"]["total"]

    # The analyst finds the home (and its record) only at its grid position;
    # a small box around the true position gives nothing away.
    assert names_and_total(analyst, at_true) == ([], 0)
    assert names_and_total(analyst, at_snap)[0] == ["Oak House"]
    assert names_and_total(admin_user, at_true) == (["Oak House"], 1)
    assert names_and_total(admin_user, at_snap)[0] == []
