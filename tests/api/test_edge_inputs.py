"""Inputs at the edges, each once found by the schema fuzzing: every one is
answered as a client error in JSON, never a server error or an HTML page."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

BBOX = "bbox=-1.6,52.3,-1.4,52.5&zoom=13"


@pytest.mark.parametrize(
    "url, status, field",
    [
        # Dates at the edge of the calendar overflowed the period arithmetic.
        ("/api/v1/areas/?until=0001-01-01", 400, "until"),
        ("/api/v1/intelligence/?until=0001-01-01", 400, "until"),
        ("/api/v1/disruptions/?since=9999-12-31", 400, "since"),
        (f"/api/v1/heatmap/?{BBOX}&until=0001-01-01", 400, "until"),
        ("/api/v1/hotspots/?end=0001-01-01", 400, "end"),
        # An id that is not a number: the flags route raised ValueError, and
        # an id with a dot in it matched no route and got the site's page.
        ("/api/v1/locations/abc/flags/", 404, "detail"),
        ("/api/v1/locations/1.5/", 404, "detail"),
        ("/api/v1/intelligence/-1e-05/", 404, "detail"),
        # A page past the end of a list.
        ("/api/v1/disruptions/?page=x", 404, "detail"),
    ],
)
def test_edge_input_is_a_json_client_error(client_for, analyst, url, status, field):
    resp = client_for(analyst).get(url)
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"] == "application/json"
    assert field in resp.json()


def test_did_it_work_refuses_a_date_past_the_calendar(client_for, analyst, location):
    url = f"/api/v1/did-it-work/?location={location.pk}&at=9999-12-31"
    resp = client_for(analyst).get(url)
    assert resp.status_code == 400, resp.content
    assert "at" in resp.json()


def _bng(wkt: str):
    return factories.geom(wkt, srid=27700).transform(4326, clone=True)


def test_hot_spots_over_a_grid_too_small_for_gi_star(client_for, analyst):
    # A ward astride the corner of four 2 km cells, and two records in it:
    # every cell neighbours the whole 2 x 2 grid, so Gi* has no variance to
    # test (it divided 0 by 0; the NaN could not be sent as JSON: a 500).
    factories.make_area(
        geom=_bng(
            "MULTIPOLYGON(((429500 277500, 430500 277500, 430500 278500,"
            " 429500 278500, 429500 277500)))"
        )
    )
    factories.make_record(point=_bng("POINT(429800 277800)"))
    factories.make_record(point=_bng("POINT(430200 278200)"))
    resp = client_for(analyst).get("/api/v1/hotspots/?all=true&cell_m=2000")
    assert resp.status_code == 200, resp.content
    cells = resp.json()["features"]
    assert len(cells) == 2
    assert all(cell["properties"]["z"] == 0 for cell in cells)
