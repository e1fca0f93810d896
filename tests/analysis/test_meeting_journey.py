"""A tasking meeting run in the browser: from the ranked hot spots to a
tasking, to the action that answers and closes it."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_meeting_from_ranked_list_to_closed_tasking(
    scene, tasking_officer, safety_officer, sign_in, screenshot
):
    page = sign_in(tasking_officer, next_url="/analysis/hotspots/?end=2026-02-28")
    page.wait_for_selector("#hotspot-map[data-ready=true]")
    assert page.locator("#hotspot-map .leaflet-overlay-pane path").count() >= 4
    assert "Hotel A" in page.locator("table.hotspots tbody tr").first.inner_text()
    screenshot("analysis-hotspots")

    page.get_by_role("link", name="Analysis", exact=True).click()
    page.get_by_role("link", name="Tasking meetings").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_group", "cse_mog")
    page.fill("#id_held_on", "2026-02-28")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role(
        "heading", name="CSE and missing operational group 28 Feb 2026"
    ).is_visible()
    top = page.locator("table.hotspots tbody tr").first
    assert "Hotel A" in top.inner_text()
    assert "2 graded 2B or better" in top.locator(".explanation").inner_text()
    assert page.locator("img.map").evaluate("img => img.naturalWidth") > 100
    screenshot("analysis-meeting-ranked")

    top.get_by_role("link", name="Task this").click()
    page.wait_for_load_state("networkidle")
    assert "2 reports in the last 28 days" in page.input_value("#id_reason")
    page.select_option("#id_priority", "high")
    page.select_option("#id_owner_agency", "community_safety")
    page.select_option("#id_owner_officer", label=safety_officer.username)
    assert page.input_value("#id_due_date") == "2026-03-14"  # two weeks on
    page.fill("#id_due_date", "2026-03-07")
    screenshot("analysis-tasking-new")
    page.click("#tasking-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    row = page.locator("table.taskings tbody tr", has_text="Hotel A").first
    assert "Open" in row.inner_text()
    assert row.locator(".badge.overdue").is_visible()  # due long ago
    screenshot("analysis-meeting-tasked")

    # The community safety officer does the visit and logs it.
    page.context.clear_cookies()
    page = sign_in(safety_officer, next_url="/analysis/meetings/")
    page.locator("table.taskings a", has_text="Hotel A").first.click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_action_type", "awareness_visit")
    page.select_option("#id_outcome", "staff_trained")
    page.fill("#id_staff_trained", "6")
    page.fill("#id_notes", "Night staff trained on the warning signs")
    page.check("#id_completes")
    page.click("#action-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#tasking-status").inner_text() == "Done"
    assert (
        "Hotel / business awareness visit" in page.locator("table").first.inner_text()
    )
    assert page.locator("#action-form").count() == 0
    screenshot("analysis-tasking-done")
