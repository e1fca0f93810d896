"""What the lists hold for each role: never what the role could not open.

Handling code C records only for cleared roles, always with their conditions;
roles without record access get density and counts only, counts under 3
suppressed; a children's home never at its exact position but for the
administrator; licensing officers read their own agency's actions only.
"""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import GEOSGeometry, Point

from accounts.models import Agency
from accounts.services import user_create
from tests import factories

from .conftest import C_CONDITIONS, HOME_ADDRESS, HOME_LAT, HOME_LON

pytestmark = pytest.mark.django_db

CONTENT_ROLES = ("analyst", "tasking", "admin")
NO_CONTENT_ROLES = ("licensing", "safety", "safeguarding")
UNCLEARED_FOR_EXACT = ("analyst", "tasking", "licensing", "safety")
ZOOM_19_AT_HOME = (
    f"bbox={HOME_LON - 0.003},{HOME_LAT - 0.003},{HOME_LON + 0.003},"
    f"{HOME_LAT + 0.003}&zoom=19"
)


def refs(response) -> set[str]:
    return {f["properties"]["reference"] for f in response.json()["features"]}


def metres_from_home(world, lon: float, lat: float) -> float:
    point = Point(lon, lat, srid=4326)
    point.transform(27700)
    return Point(*world.home_bng, srid=27700).distance(point)


@pytest.fixture
def partner_analyst(world):
    """Record content, but not cleared for handling code C: no role has this
    today, so visible_to's C rule is held here through the real routes."""
    group, _ = Group.objects.get_or_create(name="Partner analyst (test)")
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["intelligence", "locations"],
            codename__in=[
                "view_intelligencerecord",
                "view_record_content",
                "view_location",
                "run_analysis",
            ],
        )
    )
    user = user_create(
        username="mx-partner",
        password=factories.TEST_PASSWORD,
        role="Analyst",
        agency=Agency.POLICE,
    )
    user.groups.set([group])
    return user


@pytest.mark.parametrize("role", CONTENT_ROLES)
def test_cleared_roles_list_c_records_with_their_conditions(world, client_as, role):
    response = client_as(role).get("/api/v1/intelligence/")
    assert refs(response) == set(world.record_refs)
    by_ref = {f["properties"]["reference"]: f for f in response.json()["features"]}
    c = by_ref["INT-MX-C"]["properties"]
    assert c["handling_code"] == "C" and c["handling_conditions"] == C_CONDITIONS
    hotel = world.pk("location", "ordinary")
    page = client_as(role).get(f"/locations/{hotel}/").content.decode()
    assert "INT-MX-C" in page and f"Conditions: {C_CONDITIONS}" in page


@pytest.mark.parametrize("role", NO_CONTENT_ROLES)
def test_roles_without_record_access_list_no_records(world, client_as, role):
    client = client_as(role)
    assert client.get("/api/v1/intelligence/").json()["features"] == []
    hotel = world.pk("location", "ordinary")
    page = client.get(f"/locations/{hotel}/").content.decode()
    assert "density and counts only" in page and "INT-MX-" not in page


def test_a_role_not_cleared_for_c_never_meets_a_c_record(
    world, client_as, partner_analyst
):
    from django.test import Client

    client = Client()
    client.force_login(partner_analyst)
    factories.justify(client)
    listed = refs(client.get("/api/v1/intelligence/"))
    assert listed == set(world.record_refs) - {"INT-MX-C", "INT-MX-L4"}
    missing = client.get("/api/v1/intelligence/999999999/")
    for tag in ("C", "legacy-4"):
        hidden = client.get(f"/api/v1/intelligence/{world.pk('record', tag)}/")
        assert hidden.status_code == 404
        assert hidden.json() == missing.json()
    hotel = world.pk("location", "ordinary")
    page = client.get(f"/locations/{hotel}/").content.decode()
    assert "INT-MX-P" in page
    assert "INT-MX-C" not in page and C_CONDITIONS not in page
    # Counts are of what the role may see: P and the record at the home.
    counts = client.get(
        "/api/v1/query/radius/?point=-1.5106,52.4081&radius=2000"
    ).json()["intelligence"]
    assert counts["total"] == 2


@pytest.mark.parametrize("role", NO_CONTENT_ROLES)
def test_small_counts_are_suppressed_for_roles_without_record_access(
    world, client_as, role
):
    areas = client_as(role).get("/api/v1/areas/").json()["features"]
    by_code = {a["properties"]["code"]: a["properties"] for a in areas}
    # The centre ward holds four records (C and legacy-4 counted, unnamed);
    # the east ward one, shown as "<3" with no density to colour by.
    assert by_code["E05MX0001"]["intelligence"] == 4
    assert by_code["E05MX0002"]["intelligence"] == "<3"
    assert by_code["E05MX0002"]["intelligence_density"] is None
    heat = client_as(role).get(f"/api/v1/heatmap/?{ZOOM_19_AT_HOME}").json()
    assert heat["settings"]["small_cells_suppressed_below"] == 3
    assert heat["cells"] == [] and heat["records"] == 0


@pytest.mark.parametrize("role", CONTENT_ROLES)
def test_roles_with_record_access_see_exact_counts(world, client_as, role):
    areas = client_as(role).get("/api/v1/areas/").json()["features"]
    by_code = {a["properties"]["code"]: a["properties"] for a in areas}
    assert by_code["E05MX0002"]["intelligence"] == 1


@pytest.mark.parametrize("role", UNCLEARED_FOR_EXACT + ("admin",))
def test_the_heat_map_never_pins_down_a_childrens_home(world, client_as, role):
    """Three more missing episodes at the home make a cell every role sees
    (three is not suppressed); at zoom 19 its cells are 25 m across."""
    home = world.pk("location", "restricted")
    for _ in range(2):
        factories.make_record(
            kind="missing",
            missing_point="found",
            point=factories.geom(f"POINT({HOME_LON} {HOME_LAT})"),
        ).location_links.create(location_id=home, link_type="occurred_at")
    heat = client_as(role).get(f"/api/v1/heatmap/?{ZOOM_19_AT_HOME}").json()
    assert heat["settings"]["cell_m"] == 25
    assert heat["cells"], "the home's three records make a cell"
    nearest = min(metres_from_home(world, c[0], c[1]) for c in heat["cells"])
    if role == "admin":
        assert nearest < 20
    else:
        assert nearest > 50, f"{role} sees a cell {nearest:.0f} m from the home"


@pytest.mark.parametrize("role", UNCLEARED_FOR_EXACT)
def test_restricted_locations_are_never_at_their_exact_point(world, client_as, role):
    client = client_as(role)
    home = world.pk("location", "restricted")
    features = client.get("/api/v1/locations/").json()["features"]
    listed = {f["id"]: f for f in features}
    assert home in listed
    props = listed[home]["properties"]
    assert props["position_approximate"] is True
    assert props["address"] == "" and props["postcode"] == ""
    assert metres_from_home(world, *listed[home]["geometry"]["coordinates"]) > 50
    detail = client.get(f"/api/v1/locations/{home}/").json()
    assert metres_from_home(world, *detail["geometry"]["coordinates"]) > 50
    # Searching by the hidden address does not confirm it.
    found = client.get("/api/v1/locations/", {"q": HOME_ADDRESS}).json()
    assert found["features"] == []
    # Nearest leaves it out rather than order by its true distance.
    near = client.get(f"/api/v1/locations/nearest/?point={HOME_LON},{HOME_LAT}")
    assert home not in {f["id"] for f in near.json()["features"]}


def test_the_administrator_sees_restricted_locations_exactly(world, client_as):
    home = world.pk("location", "restricted")
    detail = client_as("admin").get(f"/api/v1/locations/{home}/").json()
    assert detail["properties"]["address"] == HOME_ADDRESS
    assert metres_from_home(world, *detail["geometry"]["coordinates"]) < 1


@pytest.mark.parametrize("role", ("analyst", "tasking"))
def test_records_at_a_restricted_location_are_placed_on_the_grid(
    world, client_as, role
):
    rec = world.pk("record", "at-restricted")
    detail = client_as(role).get(f"/api/v1/intelligence/{rec}/").json()
    assert detail["properties"]["position_approximate"] is True
    assert metres_from_home(world, *detail["geometry"]["coordinates"]) > 50


def test_licensing_reads_only_its_own_agencys_actions(world, client_as):
    client = client_as("licensing")
    listed = {f["id"] for f in client.get("/api/v1/disruptions/").json()["features"]}
    assert listed == {world.actions["licensing"].pk}
    clocks = client.get("/api/v1/legal-clocks/").json()
    assert world.actions["police-home"].pk not in {c["action"] for c in clocks}
    # The police notice at the home, on the clock pages and the map's warning.
    for url in ("/analysis/clocks/", "/map/", "/"):
        assert "Child abduction warning notice" not in client.get(url).content.decode()
    for location in ("ordinary", "flagged", "restricted"):
        page = client.get(f"/locations/{world.pk('location', location)}/")
        text = page.content.decode()
        assert "MX safety visit note" not in text
        assert "MX police notice note" not in text


@pytest.mark.parametrize("role", ("analyst", "tasking", "safety", "admin"))
def test_other_roles_read_every_agencys_actions(world, client_as, role):
    listed = {
        f["id"] for f in client_as(role).get("/api/v1/disruptions/").json()["features"]
    }
    assert listed == {a.pk for a in world.actions.values()}
    clocks = client_as(role).get("/api/v1/legal-clocks/").json()
    assert world.actions["police-home"].pk in {c["action"] for c in clocks}
    page = client_as(role).get("/analysis/clocks/").content.decode()
    assert "Child abduction warning notice" in page


def test_the_leak_checks_would_see_a_leak(world, client_as):
    """The matrix reads every response for the home's address and position
    and for record content: they are there for the roles that may see them."""
    admin = client_as("admin")
    home = world.pk("location", "restricted")
    text = admin.get(f"/api/v1/locations/{home}/").content.decode()
    assert HOME_ADDRESS in text and f"{HOME_LON:.5f}" in text
    analyst = client_as("analyst")
    text = analyst.get(f"/api/v1/intelligence/{world.pk('record', 'C')}/").content
    assert b"INT-MX-C" in text and C_CONDITIONS.encode() in text


@pytest.mark.parametrize("role", ("analyst", "tasking", "admin"))
def test_hot_spot_cells_never_pin_down_a_childrens_home(world, client_as, role):
    """Gi* cells can be 50 m across; every non-empty one is listed with all=1."""
    home = Point(*world.home_bng, srid=27700)
    home.transform(4326)
    response = client_as(role).get("/api/v1/hotspots/?cell_m=50&all=1")
    assert response.status_code == 200
    cells = [
        GEOSGeometry(json.dumps(f["geometry"])) for f in response.json()["features"]
    ]
    assert cells, "the records make non-empty cells"
    on_home = [c for c in cells if c.contains(home)]
    assert bool(on_home) == (role == "admin")
