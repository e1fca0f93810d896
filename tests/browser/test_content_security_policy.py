"""Every main page runs under the Content-Security-Policy without a single
violation, and its map still draws (the map set-up script carries a nonce)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import ADMINISTRATOR
from disruption.services import meeting_open, tasking_create
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture
def scene(db):
    factories.make_area(name="City Centre")
    hotel = factories.make_location(name="Station Hotel")
    for days in (3, 10, 20):
        record = factories.make_record(
            occurred_from=timezone.now() - timedelta(days=days)
        )
        record.location_links.create(location=hotel, link_type="occurred_at")
    factories.make_action(
        action_type="cawn",
        location=hotel,
        occurred_at=timezone.now() - timedelta(days=2),
        served_at=timezone.now() - timedelta(days=2),
        expires_at=timezone.now() + timedelta(days=3),
        outcome="notice_served",
    )
    meeting, _ = meeting_open(group="cse_mog", held_on=date.today())
    tasking = tasking_create(
        meeting=meeting,
        target_location=hotel,
        target_description=hotel.name,
        reason="Train night staff",
        priority="high",
        owner_agency="police",
        due_date=date.today() + timedelta(days=7),
    )
    return hotel, meeting, tasking


def test_main_pages_report_no_csp_violation(page, sign_in, live_server, scene):
    hotel, meeting, tasking = scene
    console = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else 0,
    )
    page.add_init_script(WATCH_CSP)
    sign_in(
        factories.make_user(ADMINISTRATOR, "csp-admin"),
        reason=factories.SESSION_JUSTIFICATION,
    )

    def visit(path: str, ready: str) -> None:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{path}: {violations}"
        assert console == [], f"{path}: {console}"

    visit("/", "#panel-notifications")
    visit("/map/", "#main[data-ready=true]")
    assert page.locator("#main .leaflet-marker-icon, #main path").count() > 0
    visit(
        f"/locations/{hotel.pk}/", "#locmap.leaflet-container path.leaflet-interactive"
    )
    visit("/analysis/hotspots/", "#hotspot-map.leaflet-container")
    visit("/analysis/meetings/", "h1")
    visit(f"/analysis/meetings/{meeting.pk}/", "h1")
    visit(f"/analysis/taskings/{tasking.pk}/", "#tasking-status")
    visit("/analysis/reports/", "h1")
    visit("/analysis/clocks/", "h1")
    visit("/api/v1/docs/", ".swagger-ui .info .title")
    assert "Intel Map API" in page.inner_text(".swagger-ui .info .title")
    visit("/admin/", "#site-name")
    visit(
        f"/admin/locations/location/{hotel.pk}/change/",
        ".leaflet-container .leaflet-interactive",
    )

    # The watch itself works: an injected inline script is blocked and seen.
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.__injectedRan = true";
          document.body.append(s);
        }"""
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("window.__injectedRan") is None
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
