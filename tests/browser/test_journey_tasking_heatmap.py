"""A tasking officer filters the heat map to the last 90 days and grade 2B+."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import TASKING_OFFICER
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

EAST = "POINT(-1.4990 52.4120)"
WEST = "POINT(-1.5250 52.4030)"


def test_tasking_officer_filters_heat_map_to_90_days_and_2b(sign_in, screenshot):
    factories.make_area(name="City Centre")
    now = timezone.now()
    # Recent and well graded: stays. Old, or graded 3C / 2D: filtered out.
    for days in (3, 10, 40, 80):
        factories.make_record(
            occurred_from=now - timedelta(days=days),
            source_evaluation="1",
            intelligence_assessment="B",
        )
    for days in (150, 300):
        factories.make_record(
            occurred_from=now - timedelta(days=days), point=factories.geom(WEST)
        )
    factories.make_record(
        source_evaluation="2", intelligence_assessment="D", point=factories.geom(EAST)
    )
    page = sign_in(factories.make_user(TASKING_OFFICER, "tasker"))
    page.click("#open-map")
    page.wait_for_selector("#main[data-ready=true]")
    page.select_option("#f-period", "365")
    page.wait_for_selector("#main[data-ready=true]")
    settings = page.locator("#heat-settings")
    assert page.locator("#main").get_attribute("data-heat-cells") == "3"

    page.select_option("#f-period", "90")
    page.select_option("#f-grade", "2B")
    page.wait_for_function(
        # A function, not an expression: the CSP forbids the eval Playwright
        # would poll an expression with.
        "() => document.querySelector('#heat-settings').textContent.includes('2B')"
    )
    page.wait_for_selector("#main[data-ready=true]")
    assert page.locator("#main").get_attribute("data-heat-cells") == "1"
    text = settings.inner_text()
    assert "Minimum grade\n2B" in text or "Minimum grade\t2B" in text
    assert "Cell size" in text and "halves every 60 days" in text
    assert "period=90" in page.url and "min_grade=2B" in page.url
    screenshot("journey-tasking-heatmap")

    # The URL is the view: opening it again gives the same filters.
    page.goto(page.url)
    page.wait_for_selector("#main[data-ready=true]")
    assert page.locator("#f-grade").input_value() == "2B"
    assert page.locator("#main").get_attribute("data-heat-cells") == "1"
