from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/intelligence/"


def refs(resp):
    assert resp.status_code == 200, resp.content
    return sorted(f["properties"]["reference"] for f in resp.json()["features"])


def test_list_goes_through_need_to_know(client_for, analyst, licensing_officer, area):
    factories.make_record(reference="R-1")
    assert refs(client_for(analyst).get(URL)) == ["R-1"]
    assert refs(client_for(licensing_officer).get(URL)) == []


def test_filters(client_for, analyst, area):
    factories.make_record(
        reference="OLD", occurred_from=timezone.now() - timedelta(days=200)
    )
    factories.make_record(reference="MISS", kind="missing", missing_point="found")
    factories.make_record(
        reference="LOW", source_evaluation="3", intelligence_assessment="C"
    )
    factories.make_record(reference="TAG", tags=["hotel_party"])
    factories.make_record(reference="FAR", point=factories.geom("POINT(-1.45 52.45)"))
    c = client_for(analyst)
    assert "OLD" not in refs(c.get(URL))
    since = (date.today() - timedelta(days=365)).isoformat()
    assert "OLD" in refs(c.get(URL, {"since": since}))
    assert refs(c.get(URL, {"kind": "missing"})) == ["MISS"]
    assert "LOW" not in refs(c.get(URL, {"min_grade": "2B"}))
    assert refs(c.get(URL, {"tag": "hotel_party"})) == ["TAG"]
    assert "FAR" not in refs(c.get(URL, {"point": "-1.5106,52.4081", "radius": 500}))
    assert refs(c.get(URL, {"bbox": "-1.46,52.44,-1.44,52.46"})) == ["FAR"]
    assert "FAR" not in refs(c.get(URL, {"area": area.code}))


def test_handling_conditions_are_shown_with_the_record(client_for, analyst, area):
    factories.make_record(handling_code="C", handling_conditions="Police only")
    props = client_for(analyst).get(URL).json()["features"][0]["properties"]
    assert props["handling_conditions"] == "Police only"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "not-a-date"}, "since"),
        ({"until": "31/12/2026"}, "until"),
        ({"kind": "gossip"}, "kind"),
        ({"min_grade": "4A"}, "min_grade"),
        ({"bbox": "-1,52,-1,52"}, "bbox"),
        ({"point": "-1.5,52.4", "radius": 0}, "radius"),
    ],
)
def test_bad_input(client_for, analyst, params, field):
    resp = client_for(analyst).get(URL, params)
    assert resp.status_code == 400
    assert field in resp.json()
