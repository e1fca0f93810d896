"""No endpoint's query count grows with the number of rows it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def make_rows(location):
    record = factories.make_record()
    record.location_links.create(location=location, link_type="occurred_at")
    factories.make_action(location=location, occurred_at=timezone.now())


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/intelligence/",
        "/api/v1/disruptions/",
        "/api/v1/areas/",
        "/api/v1/heatmap/?bbox=-1.6,52.3,-1.4,52.5&zoom=16",
        "/api/v1/query/radius/?point=-1.5106,52.4081&radius=2000",
        "/api/v1/locations/markers/?bbox=-1.6,52.3,-1.4,52.5&zoom=16",
    ],
)
def test_query_count_is_constant(client_for, analyst, area, url):
    c = client_for(analyst)
    make_rows(factories.make_location())
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    for _ in range(6):
        make_rows(factories.make_location())
    with CaptureQueriesContext(connection) as many:
        assert c.get(url).status_code == 200
    assert len(many) == len(few)
