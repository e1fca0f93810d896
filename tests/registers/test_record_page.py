"""A record's own page: banner, grade in words, links, map, history, log."""

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

CONDITIONS = "Not to be shared outside the CSE team without the originator"


@pytest.fixture
def record(location):
    rec = factories.make_record(
        summary="Two older men brought a girl to the hotel bar",
        handling_code="C",
        handling_conditions=CONDITIONS,
        vehicle_marks=["KX19ABC"],
        subject_refs=["S-2026-000042"],
        tags=["young_with_older_adults"],
    )
    rec.location_links.create(location=location, link_type="occurred_at")
    return rec


def test_the_record_page(page_client, analyst, record, location):
    response = page_client(analyst).get(record.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    main = text[text.index("<main") :]
    # The conditions come before everything else on the page.
    assert main.index(CONDITIONS) < main.index("<h1")
    assert "Untested" in text and "Known indirectly but corroborated" in text
    assert "Lawful sharing permitted with conditions" in text
    assert f'href="{location.get_absolute_url()}"' in text
    assert "KX19ABC" in text and "S-2026-000042" in text
    assert "Young person with older adults" in text
    assert f"{record.review_date:%-d %b %Y}" in text
    assert 'id="change-history"' in text
    entry = AccessLogEntry.objects.latest("at")
    assert (entry.action, entry.record_ids) == ("opened", [record.pk])


def test_legacy_grades_read_in_their_own_scheme(page_client, analyst):
    rec = factories.make_record(
        grading_scheme="5x5x5",
        source_evaluation="B",
        intelligence_assessment="2",
        handling_code="4",
    )
    text = page_client(analyst).get(rec.get_absolute_url()).content.decode()
    assert "Mostly reliable" in text
    assert "Only disseminated within the originating agency" in text


def test_a_role_not_cleared_gets_404_and_the_attempt_is_logged(
    page_client, safety_officer, record
):
    response = page_client(safety_officer).get(record.get_absolute_url())
    assert response.status_code == 404
    assert "hotel bar" not in response.content.decode()
    entry = AccessLogEntry.objects.latest("at")
    assert (entry.action, entry.record_ids) == ("denied", [record.pk])


def test_the_reason_is_asked_then_reused(page_client, analyst, record):
    client = page_client(analyst, justified=False)
    response = client.get(record.get_absolute_url())
    assert response["Location"].startswith(reverse("audit:justify"))
    client.post(
        reverse("audit:justify"),
        {"justification": "Preparing the CSE meeting", "next": "/"},
    )
    assert client.get(record.get_absolute_url()).status_code == 200
    assert AccessLogEntry.objects.latest("at").justification == (
        "Preparing the CSE meeting"
    )


def test_record_location_and_action_link_each_other(
    page_client, analyst, record, location
):
    action = factories.make_action(location=location, point=location.point)
    client = page_client(analyst)
    record_page = client.get(record.get_absolute_url()).content.decode()
    assert f'href="{action.get_absolute_url()}"' in record_page
    location_page = client.get(location.get_absolute_url()).content.decode()
    assert f'href="{record.get_absolute_url()}"' in location_page
    assert f'href="{action.get_absolute_url()}"' in location_page
    action_page = client.get(action.get_absolute_url()).content.decode()
    assert f'href="{location.get_absolute_url()}"' in action_page
    assert f'href="{record.get_absolute_url()}"' in action_page
    register = client.get(reverse("intelligence:register")).content.decode()
    assert f'href="{record.get_absolute_url()}"' in register


def test_at_a_protected_place_the_position_is_withheld(page_client, analyst):
    home = factories.make_location(
        name="Quiet House",
        category="childrens_home",
        address="9 Hidden Row",
        point=factories.geom("POINT(-1.50437 52.41193)"),
    )
    rec = factories.make_record(point=factories.geom("POINT(-1.50437 52.41193)"))
    rec.location_links.create(location=home, link_type="occurred_at")
    text = page_client(analyst).get(rec.get_absolute_url()).content.decode()
    assert "Quiet House" in text
    assert "9 Hidden Row" not in text
    assert "-1.50437" not in text and "52.41193" not in text
    assert "nearest 500 m" in text
