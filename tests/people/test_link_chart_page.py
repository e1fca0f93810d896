"""The link chart's page: who may open it, what a bad centre is told, and
what the page hands its script (no data: the API decides what each role
sees)."""

import html
import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _page(user, query: str, *, justified: bool = True):
    client = Client()
    client.force_login(user)
    if justified:
        factories.justify(client)
    return client.get(f"{reverse('people:link_chart')}?{query}")


def _config(response) -> dict:
    page = response.content.decode()
    start = page.index('<script id="chart-config" type="application/json">')
    body = page[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_the_page_hands_its_script_the_centre_and_reversed_urls(analyst, location):
    response = _page(analyst, f"centre=location:{location.pk}")
    assert response.status_code == 200
    config = _config(response)
    assert config["centre"] == f"location:{location.pk}"
    assert config["countsOnly"] is False
    assert config["urls"]["graph"] == reverse("api-link-graph")
    assert config["urls"]["path"] == reverse("api-link-path")
    assert config["urls"]["graphCsv"] == reverse("api-link-graph-csv")
    assert config["urls"]["record"] == "/intelligence/{id}/"
    assert {t["value"] for t in config["linkTypes"]} >= {"frequents", "drives"}
    # The page itself carries no node: the API sends what the role may see.
    assert "nodes" not in config


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("centre=", "centre: Give an entity as <type>:<id>"),
        ("centre=person:3", "centre: Give an entity as <type>:<id>"),
        ("centre=location:abc", "is not an id"),
        ("centre=location:0", "is not an id"),
        ("centre=location:99999999999999999999", "is not an id"),
    ],
)
def test_a_bad_centre_is_a_400_saying_what_is_wrong(analyst, query, named):
    response = _page(analyst, query)
    assert response.status_code == 400
    assert named in html.unescape(response.content.decode())


def test_without_a_centre_the_page_says_where_charts_start(analyst):
    response = _page(analyst, "")
    assert response.status_code == 200
    assert reverse("people:subjects") in response.content.decode()


def test_an_analyst_gives_the_sessions_reason_first(analyst, location):
    response = _page(analyst, f"centre=location:{location.pk}", justified=False)
    assert response.status_code == 302
    assert response.url.startswith(reverse("audit:justify"))


def test_licensing_charts_premises_only_and_as_counts(licensing_officer, location):
    response = _page(licensing_officer, f"centre=location:{location.pk}")
    assert response.status_code == 200
    assert _config(response)["countsOnly"] is True
    page = response.content.decode()
    assert 'id="paths-form"' not in page and 'id="chart-export"' not in page
    assert _page(licensing_officer, "centre=subject:1").status_code == 404
    assert _page(licensing_officer, "centre=record:1").status_code == 404


def test_the_chart_libraries_are_served_from_the_npm_packages():
    for url in ["vendor/cytoscape/cytoscape.min.js", *settings.NODE_MODULE_FILES]:
        found = finders.find(url)
        assert found and "node_modules" in found, url
    # Only the built file of each root-level package, not its sources or demos.
    assert finders.find("vendor/cytoscape-fcose/package.json") is None
