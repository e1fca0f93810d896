"""The heat map, area counts and hot spots revalidate (issue 18): an ETag
from the data version and the role's visibility class, 304 for a matching
If-None-Match without the work (the consultation still logged), private
answers that vary by the user's credentials."""

import pytest
from django.core.cache import cache

import maps.api
from audit.models import AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

CITY = "-1.75,52.30,-1.25,52.50"
VIEWS = {
    "heat map": ("/api/v1/heatmap/", {"bbox": CITY, "zoom": 13}),
    "whole-city heat map": ("/api/v1/heatmap/", {"bbox": CITY, "zoom": 11}),
    "area counts": ("/api/v1/areas/", {}),
    "hot spots": ("/api/v1/hotspots/", {"all": 1}),
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def records(location):
    for _ in range(3):
        factories.make_record().location_links.create(
            location=location, link_type="occurred_at"
        )


def _get(client, view: str, **headers):
    url, params = VIEWS[view]
    return client.get(url, params, **headers)


@pytest.mark.parametrize("view", VIEWS)
def test_asking_again_with_the_tag_gets_304_and_is_logged(
    client_for, analyst, records, view
):
    client = client_for(analyst)
    first = _get(client, view)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"] == "private, no-cache"
    assert {"Cookie", "Authorization"} <= {v.strip() for v in first["Vary"].split(",")}
    again = _get(client, view, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    entries = list(AccessLogEntry.objects.order_by("id"))
    assert len(entries) == 2
    assert entries[1].what == entries[0].what
    assert entries[1].count == entries[0].count
    assert entries[1].params == entries[0].params


def test_a_304_does_not_compute_the_map(client_for, analyst, records, monkeypatch):
    client = client_for(analyst)
    etag = _get(client, "heat map")["ETag"]

    def fail(**kwargs):
        raise AssertionError("the heat map was computed for a revalidation")

    monkeypatch.setattr(maps.api, "heatmap_compute", fail)
    assert _get(client, "heat map", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("view", VIEWS)
def test_a_write_changes_the_tag(client_for, analyst, records, location, view):
    client = client_for(analyst)
    etag = _get(client, view)["ETag"]
    factories.make_record().location_links.create(
        location=location, link_type="occurred_at"
    )
    after = _get(client, view, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag


@pytest.mark.parametrize("view", ["area counts", "hot spots"])
def test_a_disruption_action_changes_the_tag_of_what_shows_actions(
    client_for, analyst, records, location, view
):
    client = client_for(analyst)
    etag = _get(client, view)["ETag"]
    factories.make_action(location=location)
    assert _get(client, view, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("view", ["heat map", "area counts"])
def test_roles_that_see_differently_never_share_a_tag(
    client_for, analyst, licensing_officer, admin_user, records, view
):
    tags = {}
    for user in (analyst, licensing_officer, admin_user):
        response = _get(client_for(user), view)
        assert response.status_code == 200
        tags[user.username] = response["ETag"]
    assert len(set(tags.values())) == 3
    # Another role's tag is not this role's: the whole answer comes back.
    stolen = _get(
        client_for(licensing_officer), view, HTTP_IF_NONE_MATCH=tags["analyst"]
    )
    assert stolen.status_code == 200


def test_a_bad_request_gets_no_tag(client_for, analyst):
    response = client_for(analyst).get(
        "/api/v1/heatmap/", {"bbox": CITY, "zoom": 11, "since": "nonsense"}
    )
    assert response.status_code == 400
    assert "ETag" not in response
