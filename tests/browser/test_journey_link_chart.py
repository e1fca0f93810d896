"""The link chart and the map's link overlay, as an analyst and a licensing
officer use them: a hotel's network, expanded to the car seen there and on
to a second hotel; how two premises connect; the exports; and what a role
that sees counts only is sent."""

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.roles import ANALYST, LICENSING_OFFICER, TASKING_OFFICER
from audit.models import AccessLogEntry
from people.services import (
    link_create,
    link_mention,
    subject_create,
    vehicle_get_or_create,
)
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SESSION_REASON = "CSE operational group: hotel network profile"
REVIEW = date.today() + timedelta(days=365)


@dataclass
class Network:
    grand: object
    park: object
    home: object
    sighting_grand: object
    sighting_park: object
    car: object
    poi: object
    associate: object
    young: object


def _on(day: int):
    return datetime(2026, 1, day, 22, 30, tzinfo=UTC)


def hotel_network() -> Network:
    """Two hotels joined by a private-hire car seen at both; the man who
    drives it frequents the first; a young person at risk was seen in it."""
    factories.make_area(name="City Centre")
    grand = factories.make_location(name="Grand Station Hotel", category="hotel")
    park = factories.make_location(
        name="Parkside Hotel",
        category="hotel",
        point=factories.geom("POINT(-1.4990 52.4120)"),
    )
    home = factories.make_location(
        name="Elm House",
        category="childrens_home",
        point=factories.geom("POINT(-1.5200 52.4000)"),
    )
    sighting_grand = factories.make_record(
        reference="IR-2026-000101", occurred_from=_on(5), vehicle_marks=["AB12CDE"]
    )
    sighting_grand.location_links.create(location=grand, link_type="vehicle_seen")
    sighting_park = factories.make_record(
        reference="IR-2026-000102", occurred_from=_on(19), vehicle_marks=["AB12CDE"]
    )
    sighting_park.location_links.create(location=park, link_type="vehicle_seen")
    party = factories.make_record(reference="IR-2026-000103", occurred_from=_on(12))
    party.location_links.create(location=grand, link_type="occurred_at")
    missing = factories.make_record(
        reference="MI-2026-000104",
        kind="missing",
        missing_point="last_seen",
        occurred_from=_on(2),
    )
    missing.location_links.create(location=home, link_type="last_seen_at")
    car, _ = vehicle_get_or_create(
        registration="AB12 CDE", make="Toyota", model="Prius", colour="Silver"
    )
    link_mention(record=sighting_grand, entity=car)
    link_mention(record=sighting_park, entity=car)
    poi = subject_create(
        kind="person_of_interest",
        review_date=REVIEW,
        descriptors="Older man, grey coat, collects from the rank",
    )
    associate = subject_create(kind="associate", review_date=REVIEW)
    young = subject_create(kind="young_person", review_date=REVIEW)
    link_create(link_type="frequents", subject=poi, other=grand, records=[party])
    link_create(link_type="drives", subject=poi, other=car, records=[sighting_park])
    link_create(link_type="seen_at", subject=associate, other=grand, records=[party])
    link_create(link_type="seen_in", subject=young, other=car, records=[sighting_grand])
    link_create(link_type="resides", subject=young, other=home, records=[missing])
    link_create(link_type="seen_at", subject=young, other=grand, records=[party])
    return Network(
        grand, park, home, sighting_grand, sighting_park, car, poi, associate, young
    )


def chart_ready(page):
    page.wait_for_selector("#chart[data-ready=true]")


def node_list(page) -> list[str]:
    return page.locator("#node-list button[data-node]").all_inner_texts()


def pick(page, label: str):
    page.locator("#node-list button[data-node]", has_text=label).click()
    page.locator("#selected-label", has_text=label).wait_for()


def expand(page, label: str):
    pick(page, label)
    page.click("#expand-node")
    chart_ready(page)
    page.locator("#expand-node", has_text="Expanded").wait_for()


def test_analyst_charts_a_hotel_network_and_exports_it(sign_in, screenshot):
    net = hotel_network()
    page = sign_in(
        factories.make_user(ANALYST, "ana"),
        next_url=f"/locations/{net.grand.pk}/",
        reason=SESSION_REASON,
    )
    page.click("#open-link-chart")
    chart_ready(page)
    assert page.locator("#chart-centre").inner_text() == "Grand Station Hotel"
    shown = node_list(page)
    assert {"Grand Station Hotel", "IR-2026-000101", net.poi.reference} <= set(shown)
    assert "AB12CDE" not in shown and "Parkside Hotel" not in shown

    # The car seen there, through the record of the sighting ...
    expand(page, "IR-2026-000101")
    assert "AB12CDE" in node_list(page)
    # ... and on to the second hotel, through the car's other sighting.
    expand(page, "AB12CDE")
    assert "IR-2026-000102" in node_list(page)
    expand(page, "IR-2026-000102")
    assert "Parkside Hotel" in node_list(page)
    pick(page, "AB12CDE")
    links = page.locator("#selected-links").inner_text()
    assert "IR-2026-000101 mentions AB12CDE" in links or "AB12CDE" in links
    screenshot("link-chart-analyst")

    # How are the two hotels connected?
    pick(page, "Grand Station Hotel")
    page.click("#path-from-here")
    pick(page, "Parkside Hotel")
    page.click("#path-to-here")
    page.click("#find-paths")
    paths = page.locator("#path-list")
    paths.wait_for()
    found = paths.locator(":scope > li").all_inner_texts()
    # Through the car (seen at both, or driven by the man who frequents the
    # first), each step naming the records it rests on.
    assert len(found) >= 2
    for text in found:
        assert "AB12CDE" in text and "Parkside Hotel" in text
        assert "Records: IR-2026-000102" in text
    assert any("IR-2026-000101 mentions AB12CDE" in t for t in found)
    assert page.locator("#path-results h3").inner_text() == (
        f"{len(found)} shortest paths from Grand Station Hotel to Parkside Hotel"
    )
    screenshot("link-chart-paths")

    # Hide a node, and bring it back.
    page.click("#path-results button:text('Clear')")
    pick(page, net.associate.reference)
    listed = page.locator("#node-list button", has_text=net.associate.reference)
    page.click("#hide-node")
    listed.wait_for(state="detached")
    assert "1 hidden" in page.locator("#chart-status").inner_text()
    page.click("#show-hidden")
    listed.wait_for()

    # Pinned, a filter keeps every node where it was; the car's sighting at
    # Parkside (19 January) falls outside a period ending on the 15th.
    page.click("#pin-layout")
    assert page.locator("#pin-layout").get_attribute("aria-pressed") == "true"
    page.fill("#f-until", "2026-01-15")
    page.locator("#f-until").dispatch_event("change")
    page.wait_for_function(
        "() => !document.querySelector('#node-list').textContent.includes('Parkside')"
    )
    chart_ready(page)
    assert "IR-2026-000102" not in node_list(page)
    assert "AB12CDE" in node_list(page)
    assert "until=2026-01-15" in page.url
    page.fill("#f-until", "")
    page.locator("#f-until").dispatch_event("change")
    page.wait_for_function(
        "() => document.querySelector('#node-list').textContent.includes('Parkside')"
    )
    chart_ready(page)

    # The picture of the chart, made in the browser.
    with page.expect_download() as download:
        page.click("#export-png")
    assert (
        download.value.suggested_filename == f"link-chart-location-{net.grand.pk}.png"
    )
    with open(download.value.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"

    # The CSV edge list asks for a reason of its own and is logged.
    page.click("#chart-exports summary")
    page.click("#export-csv")
    assert "reason for this export" in page.locator("#chart-export .error").inner_text()
    page.fill("#export-justification", "Problem profile for the licensing panel")
    with page.expect_download() as download:
        page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))
    assert rows[0] == [
        "source",
        "source_label",
        "target",
        "target_label",
        "type",
        "confidence",
        "records",
    ]
    labels = {r[1] for r in rows[1:]} | {r[3] for r in rows[1:]}
    assert "Grand Station Hotel" in labels and net.poi.reference in labels
    exported = AccessLogEntry.objects.filter(action="exported").get()
    assert exported.justification == "Problem profile for the licensing panel"


def test_licensing_officer_sees_counts_and_is_sent_nothing_restricted(
    sign_in, screenshot, live_server
):
    net = hotel_network()
    page = sign_in(
        factories.make_user(LICENSING_OFFICER, "lic"),
        next_url=f"/locations/{net.grand.pk}/",
    )
    assert page.locator("#linked-counts").is_visible()
    with page.expect_response(lambda r: "/api/v1/links/graph/" in r.url) as answer:
        page.goto(f"{live_server.url}/links/?centre=location:{net.grand.pk}")
    chart_ready(page)
    body = answer.value.text()
    graph = json.loads(body)
    assert [n["id"] for n in graph["nodes"]] == [f"location:{net.grand.pk}"]
    assert graph["edges"] == []
    # Three people are linked to the hotel; the one car, a count under 3.
    assert graph["suppressed"] == {"linked_subjects": 3, "linked_vehicles": "<3"}
    restricted = [net.poi.reference, net.associate.reference, net.young.reference]
    restricted += ["AB12CDE", "IR-2026-000101", "IR-2026-000103", "subject:"]
    restricted += ["vehicle:", "record:", "Parkside", "Elm House"]
    for text in restricted:
        assert text not in body
        assert text not in page.content()
    notes = page.locator("#chart-suppressed").inner_text()
    assert "People linked to this premises: 3" in notes
    assert "Vehicles linked to this premises: <3" in notes
    assert page.locator("#chart-paths").count() == 0
    assert page.locator("#chart-export").count() == 0
    screenshot("link-chart-licensing")

    # On the map, the hotel's popup gives the same counts and no one.
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#main[data-ready=true]")
    assert page.locator("#people-search").count() == 0
    page.fill("#search-q", "Grand Station")
    page.click("#search button[type=submit]")
    popup = page.locator(".leaflet-popup-content .popup-links")
    popup.get_by_text("People linked to this premises: 3").wait_for()
    assert "Vehicles linked to this premises: <3" in popup.inner_text()
    for text in restricted:
        assert text not in page.content()
    screenshot("map-popup-licensing")

    # Nothing but a premises can be charted by this role.
    response = page.goto(f"{live_server.url}/links/?centre=subject:{net.poi.pk}")
    assert response.status == 404


def test_tasking_officer_is_told_a_young_person_is_linked_never_who(
    sign_in, screenshot, live_server
):
    net = hotel_network()
    page = sign_in(
        factories.make_user(TASKING_OFFICER, "tasker", rank="inspector"),
        next_url="/",
        reason=SESSION_REASON,
    )
    with page.expect_response(lambda r: "/api/v1/links/graph/" in r.url) as answer:
        page.goto(f"{live_server.url}/links/?centre=location:{net.grand.pk}")
    chart_ready(page)
    assert net.young.reference not in answer.value.text()
    assert net.young.reference not in page.content()
    shown = node_list(page)
    assert net.poi.reference in shown and net.associate.reference in shown
    assert page.locator("#chart-suppressed").inner_text() == (
        "A young person at risk is linked here; your role is not shown who."
    )
    screenshot("link-chart-tasking")

    # A centre that is not there (or not for this role) is said so, plainly.
    page.goto(f"{live_server.url}/links/?centre=record:999999")
    chart_ready(page)
    assert page.locator("#selected .error").inner_text() == (
        "There is no such entity, or none your role may see."
    )


def test_analyst_draws_a_cars_places_on_the_map(sign_in, screenshot):
    net = hotel_network()
    page = sign_in(
        factories.make_user(ANALYST, "ana"), next_url="/map/", reason=SESSION_REASON
    )
    page.wait_for_selector("#main[data-ready=true]")
    page.fill("#search-q", "Grand Station")
    page.click("#search button[type=submit]")
    popup = page.locator(".leaflet-popup-content")
    popup.locator(".popup-linked").wait_for()
    screenshot("map-popup-linked")
    linked = popup.locator(".popup-linked li").all_inner_texts()
    assert any("AB12CDE" in t for t in linked)
    assert any(net.poi.reference in t for t in linked)
    assert any(net.young.reference in t for t in linked)

    popup.get_by_role("button", name="AB12CDE").click()
    track = page.locator("#link-track")
    track.get_by_role("heading", name="Places linked to AB12CDE").wait_for()
    # In the order the car was seen: the Grand on 5 January, Parkside on the 19th.
    assert track.locator("#track-places li a").all_inner_texts() == [
        "Grand Station Hotel",
        "Parkside Hotel",
    ]
    assert page.locator("path.track-line").count() == 1
    assert page.locator(".track-stop").all_inner_texts() == ["1", "2"]
    # The markers follow the map's move to the car's places.
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)
    screenshot("map-link-overlay")

    # A person, found by the words of their description.
    page.fill("#people-q", "grey coat")
    page.click("#people-search button[type=submit]")
    found = page.locator("#people-results button")
    found.first.wait_for()
    assert found.all_inner_texts() == [net.poi.reference]
    found.click()
    track.get_by_role(
        "heading", name=f"Places linked to {net.poi.reference}"
    ).wait_for()
    assert track.locator("#track-places li a").all_inner_texts() == [
        "Grand Station Hotel"
    ]
    assert "frequents" in track.locator("#track-places li").inner_text()


def test_analyst_picks_a_car_by_its_mark_and_sees_its_places(sign_in, screenshot):
    hotel_network()
    page = sign_in(
        factories.make_user(ANALYST, "ana"), next_url="/map/", reason=SESSION_REASON
    )
    page.wait_for_selector("#main[data-ready=true]")
    # Typed as it is read off a plate: lower case, a space, half the mark.
    page.fill("#vehicle-q", "ab12 c")
    page.click("#vehicle-search button[type=submit]")
    found = page.locator("#vehicle-results button")
    found.first.wait_for()
    assert found.all_inner_texts() == ["AB12CDE"]
    found.click()
    track = page.locator("#link-track")
    track.get_by_role("heading", name="Places linked to AB12CDE").wait_for()
    assert track.locator("#track-places li a").all_inner_texts() == [
        "Grand Station Hotel",
        "Parkside Hotel",
    ]
    assert page.locator("path.track-line").count() == 1
    assert page.locator(".track-stop").all_inner_texts() == ["1", "2"]
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)
    screenshot("map-vehicle-picked")
    entry = AccessLogEntry.objects.filter(what="Vehicle search").get()
    assert entry.justification == SESSION_REASON


def test_a_role_that_does_not_see_vehicles_cannot_pick_one(sign_in):
    hotel_network()
    page = sign_in(factories.make_user(LICENSING_OFFICER, "lic"), next_url="/map/")
    page.wait_for_selector("#main[data-ready=true]")
    assert page.locator("#vehicle-search").count() == 0
