"""An analyst opens each of the analysts' analyses from the analysis index:
near repeat (with its progress while it runs), when, period change and
repeat locations, on a small city with a planted near-repeat pattern."""

from datetime import timedelta

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from accounts.roles import ANALYST
from intelligence.models import IntelligenceLocationLink
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REASON = "Problem profile for the CSE operational group"
# The centre ward of tests.factories, in WGS84; ~70 m per 0.001 degree of
# longitude and ~110 m per 0.001 of latitude here.
WEST, EAST, SOUTH, NORTH = -1.525, -1.495, 52.402, 52.418


def _city():
    factories.make_area(name="City Centre", code="E05001219")
    factories.make_area(
        name="Foleshill",
        code="E05001223",
        geom=factories.geom(
            "MULTIPOLYGON(((-1.53 52.42, -1.49 52.42, -1.49 52.44, -1.53 52.44, "
            "-1.53 52.42)))"
        ),
    )
    rng = np.random.default_rng(22)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    premises = [
        factories.make_location(
            name=name,
            category=category,
            point=Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
        )
        for name, category in [
            ("Station Hotel", "hotel"),
            ("Ring Road Lodge", "hotel"),
            ("Chicken Spot", "takeaway"),
            ("Pool Meadow Taxi Rank", "taxi_rank"),
            ("Central Private Hire", "private_hire_base"),
            ("Far Gosford Kebabs", "takeaway"),
            ("Canal Basin Car Park", "car_park"),
            ("Lady Godiva Inn", "licensed_premises"),
        ]
    ]
    weights = np.array([12, 6, 3, 2, 1, 1, 0.5, 0.5])
    weights /= weights.sum()

    def record(point, when, window_hours=0, at=None):
        r = factories.make_record(
            point=point,
            occurred_from=when,
            occurred_to=when + timedelta(hours=window_hours) if window_hours else None,
        )
        if at is not None:
            IntelligenceLocationLink.objects.create(
                record=r, location=at, link_type="occurred_at"
            )
        return r

    # Background: a year of records, evenings and nights more than days.
    hours = np.array([1] * 8 + [2] * 8 + [5] * 8, dtype=float)
    hours /= hours.sum()
    for _ in range(110):
        when = now - timedelta(days=int(rng.integers(1, 365)))
        when = when.replace(hour=int(rng.choice(24, p=hours)))
        at = (
            premises[rng.choice(len(premises), p=weights)]
            if rng.random() < 0.6
            else None
        )
        point = (
            at.point
            if at is not None
            else Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326)
        )
        window = int(rng.choice([0, 0, 0, 2, 4, 8]))
        record(point, when, window, at)
    # Near repeats: each followed within days by two more close by.
    for _ in range(14):
        lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        start = now - timedelta(days=int(rng.integers(1, 330)))
        for k in range(3):
            record(
                Point(
                    lon + rng.uniform(-0.0006, 0.0006),
                    lat + rng.uniform(-0.0004, 0.0004),
                    srid=4326,
                ),
                start + timedelta(days=int(rng.integers(0, 5)) * k, hours=20),
            )
    # A rise this month in the centre.
    for k in range(18):
        record(
            Point(rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH), srid=4326),
            now - timedelta(days=int(rng.integers(1, 27)), hours=k),
        )


def test_analyst_opens_each_analysis(sign_in, screenshot, live_server):
    _city()
    analyst = factories.make_user(ANALYST, "analyst")
    page = sign_in(analyst, next_url="/analysis/", reason=REASON)
    page.goto(f"{live_server.url}/analysis/")
    index = page.locator("#analysis-index")
    for title in ("Near repeat", "When", "Period change by area", "Repeat locations"):
        assert index.get_by_role("link", name=title, exact=True).count() == 1

    # Near repeat: the form, then the test with its progress shown.
    index.get_by_role("link", name="Near repeat", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#knox-table").count() == 0
    page.fill("#id_days", "365")
    # What the page shows while the test runs: sent once, with the sending
    # itself held back so the waiting page can be seen.
    page.evaluate(
        """() => {
            const form = document.querySelector("form.analysis-form");
            form.addEventListener("submit", (e) => e.preventDefault());
            form.requestSubmit();
        }"""
    )
    progress = page.locator("#analysis-progress")
    assert progress.is_visible()
    assert "Running the Knox test" in progress.inner_text()
    assert page.locator("form.analysis-form button[type=submit]").is_disabled()
    screenshot("analysis-near-repeat-running")
    page.reload()
    page.fill("#id_days", "365")
    page.click("form.analysis-form button[type=submit]")
    page.wait_for_selector("#knox-table")
    verdict = page.locator("#knox-verdict").inner_text()
    assert "Near-repeat pattern" in verdict
    first = page.locator("#knox-table tbody tr").first.locator("td").first
    assert first.get_attribute("data-significant") == "1"
    assert "999 permutations" in page.locator("#knox-settings").inner_text()
    screenshot("analysis-near-repeat")

    # When: the whole year, with the windows spread.
    page.goto(f"{live_server.url}/analysis/when/?days=365")
    page.wait_for_selector("#when-grid")
    spread = int(page.locator("#when-spread").inner_text())
    assert spread > 0
    assert f"{spread} of" in page.locator("#when-spread-words").inner_text()
    assert page.locator("#when-grid tbody tr").count() == 7
    screenshot("analysis-when")

    # Period change: the centre's rise is flagged, and the map drawn.
    page.goto(f"{live_server.url}/analysis/period-change/")
    page.wait_for_selector("#change-table")
    centre = page.locator("#change-table tr[data-code=E05001219]")
    assert "rise" in centre.inner_text()
    page.wait_for_function(
        "() => document.querySelector('#change-map').naturalWidth > 0"
    )
    screenshot("analysis-period-change")

    # Repeat locations: the busiest premises first, with the curve.
    page.goto(f"{live_server.url}/analysis/repeat-locations/?days=365")
    page.wait_for_selector("#premises-table")
    first_row = page.locator("#premises-table tbody tr").first.inner_text()
    assert "Station Hotel" in first_row
    assert page.locator("#lorenz polyline.curve").count() == 1
    top10 = page.locator("#repeat-top10").inner_text()
    assert top10.endswith("%") and float(top10.split()[0]) > 30
    screenshot("analysis-repeat-locations")


def test_analyst_builds_a_problem_profile_from_the_map(
    sign_in, screenshot, live_server
):
    from analysis.models import ProblemProfile
    from tests.browser.test_journey_analyst_radius import give_session_reason

    _city()
    analyst = factories.make_user(ANALYST, "analyst")
    page = sign_in(analyst, next_url="/map/")
    page.wait_for_selector("#main[data-ready=true]")
    page.fill("#search-q", "Station Hotel")
    page.click("#search button[type=submit]")
    page.select_option("#radius-m", "800")
    page.get_by_role("button", name="What is here?").click()
    give_session_reason(page)
    page.locator("#results #make-problem").click()
    page.wait_for_selector("#problem-form")
    assert page.locator("#id_radius_m").input_value() == "800"
    page.fill("#id_name", "Hotel parties around the station")
    page.fill(
        "#id_description", "Young people taken to parties at hotels near the station."
    )
    page.click("#problem-form button[type=submit]")
    page.wait_for_selector("#problem-settings")
    problem = ProblemProfile.objects.get()
    assert problem.radius_m == 800 and problem.point is not None
    assert "Station Hotel" in page.locator("#problem-premises").inner_text()
    assert page.locator("#problem-when tbody tr").count() == 7
    screenshot("analysis-problem-profile")

    # Each analysis opens on the profile's own selection.
    for link, ready in (
        ("When", "#when-grid"),
        ("Repeat locations", "#premises-table"),
    ):
        page.get_by_role("link", name=link, exact=True).first.click()
        page.wait_for_selector(ready)
        assert "within 800 m" in page.locator(".settings").first.inner_text()
        page.go_back()
        page.wait_for_selector("#problem-settings")

    # The PDF for the board asks for its own reason.
    page.click("#problem-pdf")
    page.wait_for_selector("#export-reason-form")
    page.fill("#id_justification", "Quarterly problem profile for the board")
    with page.expect_response(
        lambda r: "profile.pdf" in r.url and "justification=" in r.url
    ) as answer:
        page.click("#export-reason-form button[type=submit]")
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # The browser shows it in its viewer; the file itself, fetched again in
    # the same session, is the PDF.
    assert page.request.get(response.url).body()[:5] == b"%PDF-"


def test_licensing_officer_sees_counts_not_records(sign_in, screenshot, live_server):
    from accounts.roles import LICENSING_OFFICER

    _city()
    officer = factories.make_user(LICENSING_OFFICER, "licensing")
    page = sign_in(officer, next_url="/analysis/", reason="Licensing review of hotels")
    page.goto(f"{live_server.url}/analysis/when/?days=365")
    page.wait_for_selector("#when-grid")
    assert page.locator("#when-grid td.suppressed").count() > 0
    screenshot("analysis-when-licensing")
    page.goto(f"{live_server.url}/analysis/repeat-locations/?days=365")
    page.wait_for_selector("#premises-withheld")
    assert "Station Hotel" not in page.content()
