"""What-is-here lists the records inside, not only their counts, to roles
cleared for record content; their actions link to the location page."""

import csv
import io
from datetime import timedelta

import pytest

from accounts.roles import ADMINISTRATOR
from tests import factories

pytestmark = pytest.mark.django_db

RADIUS = "/api/v1/query/radius/"
HERE = {"point": "-1.5106,52.4081", "radius": 400}
CONDITIONS = "Not for the licensing panel"


@pytest.fixture
def scene(area):
    hotel = factories.make_location(name="Grand Hotel")
    newer = factories.make_record(
        reference="INT-HERE-2", handling_code="C", handling_conditions=CONDITIONS
    )
    newer.location_links.create(location=hotel, link_type="occurred_at")
    older = factories.make_record(
        reference="INT-HERE-1",
        occurred_from=factories.timezone.now() - timedelta(days=20),
    )
    factories.make_record(
        reference="INT-FAR", point=factories.geom("POINT(-1.45 52.45)")
    )
    factories.make_action(location=hotel, occurred_at=factories.timezone.now())
    return hotel, newer, older


def test_the_records_inside_are_listed_newest_first(client_for, analyst, scene):
    hotel, newer, older = scene
    body = client_for(analyst).get(RADIUS, HERE).json()
    records = body["records"]
    assert [r["reference"] for r in records] == ["INT-HERE-2", "INT-HERE-1"]
    first = records[0]
    assert first["grade"] == "2B C" and first["handling_conditions"] == CONDITIONS
    assert first["summary"] == newer.summary
    assert first["locations"] == [
        {
            "id": hotel.pk,
            "name": "Grand Hotel",
            "link": "Happened at",
            "url": f"/locations/{hotel.pk}/",
        }
    ]
    assert body["disruption"][0]["location_url"] == f"/locations/{hotel.pk}/"


def test_the_export_holds_the_records(client_for, scene):
    admin = factories.make_user(ADMINISTRATOR)
    resp = client_for(admin, session=True).get(RADIUS, {**HERE, "export": "csv"})
    rows = list(csv.reader(io.StringIO(resp.content.decode())))
    records = [r for r in rows if r[0] == "record"]
    assert [r[1] for r in records] == ["INT-HERE-2", "INT-HERE-1"]
    assert records[0][3] == "Grand Hotel" and f"[{CONDITIONS}]" in records[0][6]


def test_a_role_without_record_content_is_sent_no_records(client_for, scene):
    from django.contrib.auth.models import Permission

    # A role that may run the query but not read content: counts only.
    user = factories.make_user(ADMINISTRATOR)
    user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.add(
        Permission.objects.get(codename="run_analysis"),
        Permission.objects.get(codename="view_location"),
    )
    body = client_for(user, justification=None).get(RADIUS, HERE).json()
    assert "records" not in body
    assert body["intelligence"]["total"] == "<3"
