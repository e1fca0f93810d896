"""Problem profiles: made from a selection, every analysis on one page, a PDF
for the board, and re-run on the same definition."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from analysis.models import ProblemProfile
from analysis.presenters import problem_present
from analysis.problempdf import problem_lines
from analysis.selectors.problems import problem_report, problem_selection
from analysis.services import problem_create
from audit.models import AccessLogEntry
from intelligence.models import IntelligenceLocationLink
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotel_parties(area, location):
    now = timezone.now()
    for k in range(6):
        record = factories.make_record(
            occurred_from=now - timedelta(days=3 + k), tags=["hotel_party"]
        )
        IntelligenceLocationLink.objects.create(
            record=record, location=location, link_type="occurred_at"
        )
    factories.make_action(location=location, occurred_at=now - timedelta(days=2))
    return location


def test_made_from_an_analysis_selection(client, analyst, area, hotel_parties):
    client.force_login(analyst)
    factories.justify(client)
    # The when page offers its selection as a problem profile.
    page = client.get(
        "/analysis/when/", {"area": area.pk, "days": 30, "tag": "hotel_party"}
    )
    assert b"Save as a problem profile" in page.content
    form = client.get("/analysis/problems/", {"area": area.pk, "days": 30})
    assert form.status_code == 200
    r = client.post(
        "/analysis/problems/",
        {
            "name": "Hotel parties in the city centre",
            "description": "Parties at hotels with young people present.",
            "status": "open",
            "area": area.pk,
            "days": 30,
            "tag": ["hotel_party"],
        },
    )
    problem = ProblemProfile.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/analysis/problems/{problem.pk}/"
    assert problem.owner == analyst and problem.tags == ["hotel_party"]
    assert problem.until is None and problem.days == 30

    page = client.get(r["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert hotel_parties.name in body and "Did it work?" in body
    assert "Near repeat" in body and "problem-when" in body
    entry = AccessLogEntry.objects.get(action="searched", what__startswith="Problem")
    assert entry.count == 6 and entry.justification


def test_pdf_needs_its_own_reason_and_is_logged(client, analyst, area, hotel_parties):
    problem = problem_create(owner=analyst, name="Hotel parties", area=area, days=30)
    client.force_login(analyst)
    url = f"/analysis/problems/{problem.pk}/profile.pdf"
    assert client.get(url).status_code == 428
    r = client.get(url, {"justification": "Board meeting: quarterly profile"})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    entry = AccessLogEntry.objects.get(action="exported")
    assert entry.justification == "Board meeting: quarterly profile"


def test_profile_text_holds_every_analysis(analyst, area, hotel_parties):
    problem = problem_create(owner=analyst, name="Hotel parties", area=area, days=30)
    presented = problem_present(
        report=problem_report(user=analyst, problem=problem, permutations=99),
        user=analyst,
    )
    text = "\n".join(
        line for _, line in problem_lines(problem=problem, presented=presented)
    )
    assert "Near repeat (Knox test)" in text
    assert f"1. {hotel_parties.name}" in text and "6 records" in text
    assert area.name in text
    assert "Awareness" in text or "awareness" in text


def test_rerun_covers_the_period_up_to_the_day_it_runs(analyst, area):
    rolling = problem_create(owner=analyst, name="Rolling", area=area, days=91)
    selection = problem_selection(problem=rolling)
    assert selection.until == timezone.localdate() and selection.days == 91
    fixed = problem_create(
        owner=analyst, name="Fixed", area=area, days=28, until=date(2026, 3, 31)
    )
    assert problem_selection(problem=fixed).since == date(2026, 3, 4)


def test_one_place_only(analyst, area, location):
    with pytest.raises(ValidationError):
        problem_create(owner=analyst, name="Both", area=area, location=location)
    with pytest.raises(ValidationError):
        problem_create(owner=analyst, name="No radius", point=location.point)


def test_who_may_open_them(client, analyst, licensing_officer, safety_officer, area):
    problem = problem_create(owner=analyst, name="Taxis", area=area)
    for user in (licensing_officer, safety_officer):
        client.force_login(user)
        factories.justify(client)
        assert client.get("/analysis/problems/").status_code == 403
        assert client.get(f"/analysis/problems/{problem.pk}/").status_code == 403


def test_a_profile_on_a_protected_place_is_not_there_for_uncleared_roles(
    client, analyst, admin_user
):
    home = factories.make_location(category="childrens_home", name="Oak House")
    problem = problem_create(
        owner=admin_user, name="Missing from Oak House", location=home
    )
    client.force_login(analyst)
    factories.justify(client)
    assert b"Oak House" not in client.get("/analysis/problems/").content
    assert client.get(f"/analysis/problems/{problem.pk}/").status_code == 404
    client.force_login(admin_user)
    factories.justify(client)
    assert client.get(f"/analysis/problems/{problem.pk}/").status_code == 200


def test_a_tasking_answers_a_problem(client, analyst, tasking_officer, area, location):
    problem = problem_create(owner=analyst, name="Taxi pick-ups", area=area)
    tasking = factories.make_tasking(location=location)
    url = f"/analysis/problems/{problem.pk}/taskings/"
    client.force_login(analyst)
    assert client.post(url, {"tasking": tasking.pk}).status_code == 403
    client.force_login(tasking_officer)
    factories.justify(client)
    page = client.get(f"/analysis/problems/{problem.pk}/")
    assert b"problem-tasking-form" in page.content
    assert client.post(url, {"tasking": "x"}).status_code == 400
    r = client.post(url, {"tasking": tasking.pk})
    assert r.status_code == 302
    assert list(problem.taskings.all()) == [tasking]
    page = client.get(f"/analysis/problems/{problem.pk}/")
    assert f"/analysis/taskings/{tasking.pk}/" in page.content.decode()
