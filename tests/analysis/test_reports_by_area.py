"""Reports by any loaded area type, and by an area committee's wards."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from locations.models import AreaCommittee
from locations.services import areas_reassign
from tests import factories

pytestmark = pytest.mark.django_db

WEST = (
    "MULTIPOLYGON(((-1.60 52.36, -1.50 52.36, -1.50 52.46, -1.60 52.46, -1.60 52.36)))"
)
EAST = (
    "MULTIPOLYGON(((-1.50 52.36, -1.40 52.36, -1.40 52.46, -1.50 52.46, -1.50 52.36)))"
)
BOTH = (
    "MULTIPOLYGON(((-1.60 52.36, -1.40 52.36, -1.40 52.46, -1.60 52.46, -1.60 52.36)))"
)


@pytest.fixture
def city(db):
    west = factories.make_area(code="E05W", name="West ward", geom=factories.geom(WEST))
    east = factories.make_area(code="E05E", name="East ward", geom=factories.geom(EAST))
    factories.make_area(
        area_type="constituency",
        code="E14C",
        name="City constituency",
        geom=factories.geom(BOTH),
    )
    when = timezone.now() - timedelta(days=5)
    for point, n in (("POINT(-1.55 52.40)", 2), ("POINT(-1.45 52.40)", 3)):
        for _ in range(n):
            factories.make_record(point=factories.geom(point), occurred_from=when)
    factories.make_action(point=factories.geom("POINT(-1.45 52.40)"), occurred_at=when)
    areas_reassign()
    committee = AreaCommittee.objects.create(name="East area")
    committee.wards.set([east])
    return west, east, committee


def _csv(client, slug, **query):
    query.setdefault("start", (date.today() - timedelta(days=30)).isoformat())
    response = client.get(f"/analysis/reports/{slug}.csv", query)
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_report_by_constituency(client, analyst, city):
    client.force_login(analyst)
    rows = _csv(client, "records-by-ward-month", area_type="constituency")
    assert rows[0][:2] == ["constituency code", "constituency"]
    assert [(r[1], r[3]) for r in rows[1:]] == [("City constituency", "5")]
    page = client.get("/analysis/reports/", {"area_type": "constituency"})
    html = page.content.decode()
    assert "Intelligence records by constituency and month" in html
    # Only loaded types are offered: no neighbourhood policing areas here.
    assert 'value="constituency"' in html and 'value="npa"' not in html
    assert client.get("/analysis/reports/", {"area_type": "npa"}).status_code == 400


def test_each_committee_gets_its_own_report(client, analyst, city):
    client.force_login(analyst)
    _west, _east, committee = city
    rows = _csv(client, "records-by-ward-month", committee=committee.pk)
    assert [(r[1], r[3]) for r in rows[1:]] == [("East ward", "3")]
    actions = _csv(client, "actions-by-type-outcome", committee=committee.pk)
    assert len(actions) == 2 and actions[1][2] == "1"
    everywhere = _csv(client, "records-by-ward-month")
    assert {r[1] for r in everywhere[1:]} == {"West ward", "East ward"}
    page = client.get("/analysis/reports/", {"committee": committee.pk})
    assert "East area committee" in page.content.decode()
    chart = client.get(
        "/analysis/reports/chart/records-by-ward.png", {"committee": committee.pk}
    )
    assert chart.content.startswith(b"\x89PNG")
    missing = client.get("/analysis/reports/", {"committee": 999999})
    assert missing.status_code == 400
