"""The Gi* hot-spot cells as a layer of the map workspace, and the links that
lead from the map and a location page into the analysis pages."""

import pytest

from accounts.roles import ANALYST
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_analyst_turns_on_the_hot_spot_layer(sign_in, screenshot, scene):
    page = sign_in(factories.make_user(ANALYST, "gistar"), next_url="/map/")
    page.goto(
        page.url.split("?")[0]
        + "?period=custom&since=2026-01-31&until=2026-02-28&layers=hotspots"
    )
    page.wait_for_selector("#main[data-ready=true]")
    box = page.locator('.layers input[data-layer="hotspots"]')
    assert box.is_checked()
    cells = page.locator(".leaflet-overlay-pane path")
    cells.first.wait_for()
    assert cells.count() >= 1
    cells.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "hot spot" in popup.inner_text()
    assert "records in this 250 m cell" in popup.inner_text()
    screenshot("map-hotspot-layer")

    # Turning it off removes the cells.
    box.uncheck()
    page.wait_for_function(
        # A function, not an expression: the CSP forbids the eval Playwright
        # would poll an expression with.
        "() => document.querySelectorAll('.leaflet-overlay-pane path').length === 0"
    )
