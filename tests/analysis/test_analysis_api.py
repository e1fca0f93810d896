"""The hot-spot, did-it-work and legal-clock API; pages, CSV and who may see them."""

import csv
import io
from datetime import date

import pytest

from disruption.services import meeting_open

pytestmark = pytest.mark.django_db


def test_hotspots_api(client, analyst, scene):
    client.force_login(analyst)
    r = client.get("/api/v1/hotspots/", {"end": "2026-02-28", "cell_m": 250})
    assert r.status_code == 200
    body = r.json()
    assert body["type"] == "FeatureCollection"
    assert body["settings"]["cell_m"] == 250 and body["settings"]["days"] == 28
    assert body["locations"][0]["name"] == "Hotel A"
    assert "2 graded 2B or better" in body["locations"][0]["explanation"]
    feature = body["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    lon, lat = feature["geometry"]["coordinates"][0][0]
    assert -1.6 < lon < -1.4 and 52.3 < lat < 52.5
    assert {"z", "q", "class", "count"} <= set(feature["properties"])


@pytest.mark.parametrize(
    "params",
    [{"cell_m": 5}, {"days": "lots"}, {"end": "2026-13-01"}, {"radius_m": 10**9}],
)
def test_hotspots_api_bad_parameters_are_400(client, analyst, params):
    client.force_login(analyst)
    r = client.get("/api/v1/hotspots/", params)
    assert r.status_code == 400
    # One envelope for every 400: the bad parameter names its own error.
    assert set(r.json()) == set(params)


def test_density_only_roles_are_refused(client, licensing_officer, safety_officer):
    for user in (licensing_officer, safety_officer):
        client.force_login(user)
        assert client.get("/api/v1/hotspots/").status_code == 403
        assert client.get("/analysis/hotspots/").status_code == 403


def test_did_it_work_api_and_page(client, analyst, scene):
    client.force_login(analyst)
    hotel = scene[0]
    r = client.get(
        "/api/v1/did-it-work/", {"location": hotel.pk, "at": "2026-02-10", "days": 20}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["a0"] == 0 and body["a1"] == 3  # all three counted records after
    bad = client.get(
        "/api/v1/did-it-work/", {"location": hotel.pk, "radius_m": 900, "buffer_m": 500}
    )
    assert bad.status_code == 400
    page = client.get(f"/analysis/did-it-work/{hotel.pk}/")
    assert page.status_code == 200
    assert b"Weighted displacement quotient" in page.content


def test_reports_csv_and_chart(client, analyst, scene):
    client.force_login(analyst)
    r = client.get(
        "/analysis/reports/records-by-ward-month.csv",
        {"start": "2026-01-01", "end": "2026-02-28"},
    )
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0] == ["ward code", "ward", "month", "records", "missing episodes"]
    assert rows[1][2] == "2026-02" and rows[1][3] == "7" and rows[1][4] == "1"
    chart = client.get("/analysis/reports/chart/records-by-month.png")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert (
        client.get(
            "/analysis/reports/", {"start": "2026-03-01", "end": "2026-01-01"}
        ).status_code
        == 400
    )


def test_meeting_pages(client, tasking_officer, scene):
    client.force_login(tasking_officer)
    r = client.post(
        "/analysis/meetings/", {"group": "cse_mog", "held_on": "2026-02-28"}
    )
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert b"Hotel A" in page.content and b"Task this" in page.content
    meeting_id = r["Location"].rstrip("/").split("/")[-1]
    bad = client.get(f"/analysis/meetings/{meeting_id}/taskings/new/", {"cell": "1,2"})
    assert bad.status_code == 400
    png = client.get(f"/analysis/meetings/{meeting_id}/map.png")
    assert png.content.startswith(b"\x89PNG")
    # The chair's settings are used and shown, and travel to the briefing pack.
    tuned = client.get(r["Location"], {"days": 14, "cell_m": 500, "radius_m": 300})
    assert (
        b"(14 days)" in tuned.content and b"Gi* on 500 m square cells" in tuned.content
    )
    assert b"within 300 m" in tuned.content
    html = tuned.content.decode()
    form = html[html.index('id="briefing-form"') :]
    form = form[: form.index("</form>")]
    assert f"/analysis/meetings/{meeting_id}/briefing.pdf" in html
    assert 'name="days" value="14"' in form and 'name="cell_m" value="500"' in form
    assert client.get(r["Location"], {"cell_m": 1}).status_code == 400


def test_legal_clocks_api(client, analyst, location):
    meeting_open(group="cse_mog", held_on=date(2026, 2, 1))
    client.force_login(analyst)
    r = client.get("/api/v1/legal-clocks/")
    assert r.status_code == 200 and r.json() == []


def test_safety_officer_follows_taskings_without_hot_spots(
    client, tasking_officer, safety_officer, scene
):
    meeting, _ = meeting_open(group="cse_mog", held_on=date(2026, 2, 28))
    client.force_login(safety_officer)
    page = client.get(f"/analysis/meetings/{meeting.pk}/")
    assert page.status_code == 200
    assert b"Taskings of this meeting" in page.content
    assert b"Ranked hot spots" not in page.content and b"Hotel A" not in page.content
    assert (
        client.get(f"/analysis/meetings/{meeting.pk}/briefing.pdf").status_code == 403
    )


def test_reports_page_pivots_wards_by_month(client, analyst, scene):
    client.force_login(analyst)
    page = client.get(
        "/analysis/reports/", {"start": "2026-01-01", "end": "2026-02-28"}
    )
    assert page.status_code == 200
    pivot = page.context["pivots"][0][1]
    assert pivot["months"] == ["2026-02"]
    assert pivot["rows"][0][2:] == ([7], 7) and pivot["total"] == 7
    assert page.context["pivots"][1][1]["total"] == 1  # one missing episode
