"""The records register: filters, search, paging without counting, export."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from registers.core import PAGE_SIZE
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("intelligence:register")
REASON = "Letter to the licensing panel about the hotel"


@pytest.fixture
def records(location):
    now = timezone.now()
    rows = {
        "taxi": factories.make_record(
            summary="Taxi collecting teenagers outside the takeaway at night",
            vehicle_marks=["AB12CDE"],
            tags=["taxi_transporting"],
            occurred_from=now - timedelta(days=3),
        ),
        "hotel": factories.make_record(
            kind="missing",
            missing_point="found",
            summary="Found in a hotel room with adults; alcohol supplied",
            source_type="education",
            handling_code="C",
            handling_conditions="Only to the CSE team",
            occurred_from=now - timedelta(days=20),
        ),
        "old": factories.make_record(
            summary='=HYPERLINK("http://x") seen at park',
            source_evaluation="3",
            intelligence_assessment="E",
            occurred_from=now - timedelta(days=400),
        ),
    }
    rows["hotel"].location_links.create(location=location, link_type="found_at")
    return rows


def _refs(response) -> set[str]:
    text = response.content.decode()
    return {ref for ref in ("taxi", "hotel", "old") if f">{ref}<" in text}


def _shown(response, records) -> set[str]:
    text = response.content.decode()
    return {name for name, r in records.items() if r.reference in text}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, {"taxi", "hotel", "old"}),
        ({"vehicle": "ab12 cde"}, {"taxi"}),
        ({"vehicle": "ZZ99ZZZ"}, set()),
        ({"q": "teenagers"}, {"taxi"}),
        # Full-text search matches word forms: "supplied" for "supply".
        ({"q": "supply hotel"}, {"hotel"}),
        ({"kind": "missing"}, {"hotel"}),
        ({"grade": "2B"}, {"taxi", "hotel"}),
        ({"handling_code": "C"}, {"hotel"}),
        ({"tag": "taxi_transporting"}, {"taxi"}),
        ({"source_type": "education"}, {"hotel"}),
        (
            {"since": "2000-01-01", "until": "2100-01-01", "kind": "intelligence"},
            {"taxi", "old"},
        ),
        ({"point": "-1.5106,52.4081", "radius": "200"}, {"taxi", "hotel", "old"}),
        ({"point": "-1.4000,52.5000", "radius": "200"}, set()),
    ],
)
def test_filters_show_what_they_say(page_client, analyst, records, query, expected):
    if "since" in query:
        query = {
            **query,
            "since": (timezone.localdate() - timedelta(days=30)).isoformat(),
            "until": timezone.localdate().isoformat(),
        }
        expected = {"taxi"}
    response = page_client(analyst).get(URL, query)
    assert response.status_code == 200
    assert _shown(response, records) == expected


def test_area_filter(page_client, analyst, records, area):
    elsewhere = factories.make_area(
        geom=factories.geom(
            "MULTIPOLYGON(((-1.40 52.50, -1.39 52.50, -1.39 52.51, -1.40 52.51,"
            " -1.40 52.50)))"
        )
    )
    client = page_client(analyst)
    assert _shown(client.get(URL, {"area": area.pk}), records) == set(records)
    assert _shown(client.get(URL, {"area": elsewhere.pk}), records) == set()


def test_bad_filters_are_a_400_naming_them(page_client, analyst, records):
    client = page_client(analyst)
    response = client.get(URL, {"since": "2026-05-01", "until": "2026-01-01"})
    assert response.status_code == 400
    assert "The period must start before it ends." in response.content.decode()
    response = client.get(URL, {"point": "-1.5,52.4"})
    assert response.status_code == 400
    assert "A point and a radius go together." in response.content.decode()
    response = client.get(URL, {"point": "-60,-10", "radius": "100"})
    assert response.status_code == 400
    assert "outside the area the system covers" in response.content.decode()


def test_handling_conditions_shown_in_the_row(page_client, analyst, records):
    text = page_client(analyst).get(URL, {"kind": "missing"}).content.decode()
    assert "Only to the CSE team" in text


def test_the_page_is_logged_with_its_records(page_client, analyst, records):
    page_client(analyst).get(URL, {"vehicle": "AB12CDE"})
    entry = AccessLogEntry.objects.latest("at")
    assert entry.action == "listed"
    assert entry.record_ids == [records["taxi"].pk]
    assert entry.justification == factories.SESSION_JUSTIFICATION


def test_a_reason_is_asked_first(page_client, analyst, records):
    response = page_client(analyst, justified=False).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("audit:justify"))


def test_roles_without_record_content_are_refused_and_logged(
    page_client, licensing_officer, records
):
    response = page_client(licensing_officer).get(URL)
    assert response.status_code == 403
    assert records["taxi"].reference not in response.content.decode()
    assert AccessLogEntry.objects.latest("at").action == "denied"


def test_pages_without_counting(page_client, analyst, location):
    now = timezone.now()
    for i in range(PAGE_SIZE + 5):
        factories.make_record(occurred_from=now - timedelta(hours=i))
    client = page_client(analyst)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL)
    # The navigation counts the reviews due and the submissions awaiting
    # grading; the register counts nothing.
    counts = [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"].upper()
        and 'FROM "intelligence_intelligencerecord"' in q["sql"]
        and "review_date" not in q["sql"]
        and "'awaiting'" not in q["sql"]
    ]
    assert not counts
    text = first.content.decode()
    assert "more follow" in text and 'rel="next"' in text
    second = client.get(URL, {"page": 2}).content.decode()
    assert "the last" in second and second.count("<tr") == 5 + 1


def test_sorting_by_a_column(page_client, analyst, records):
    text = page_client(analyst).get(URL, {"sort": "occurred_from"}).content.decode()
    old, taxi = (
        text.index(records["old"].reference),
        text.index(records["taxi"].reference),
    )
    assert old < taxi


def test_export_asks_for_its_own_reason(page_client, analyst, records):
    response = page_client(analyst).get(URL, {"_export": "csv"})
    assert response.status_code == 428
    assert "reason" in response.content.decode().lower()


def test_csv_export_is_exactly_the_filtered_rows_and_inert(
    page_client, analyst, records
):
    response = page_client(analyst).get(
        URL, {"grade": "3E", "_export": "csv", "justification": REASON}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Reference", "Kind", "When"]
    refs = {row[0] for row in body}
    assert refs == {r.reference for r in records.values()}
    summaries = [row[header.index("Summary")] for row in body]
    assert '\'=HYPERLINK("http://x") seen at park' in summaries
    assert not any(cell.startswith(("=", "+", "@")) for row in body for cell in row)
    assert "Lon" in header and "Position approximate" in header
    entry = AccessLogEntry.objects.latest("at")
    assert entry.action == "exported"
    assert entry.justification == REASON
    assert sorted(entry.record_ids) == sorted(r.pk for r in records.values())


def test_geojson_export(page_client, analyst, records):
    response = page_client(analyst).get(
        URL, {"vehicle": "AB12CDE", "_export": "geojson", "justification": REASON}
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [f["id"] for f in data["features"]] == [records["taxi"].pk]
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert feature["properties"]["Vehicles"] == "AB12CDE"


def test_export_needs_the_permission(page_client, tasking_officer, records):
    client = page_client(tasking_officer)
    response = client.get(URL, {"_export": "csv", "justification": REASON})
    assert response.status_code == 200
    tasking_officer.groups.first().permissions.remove(
        Permission.objects.get(codename="export_records")
    )
    tasking_officer = type(tasking_officer).objects.get(pk=tasking_officer.pk)
    client = page_client(tasking_officer)
    response = client.get(URL, {"_export": "csv", "justification": REASON})
    assert response.status_code == 403
    assert AccessLogEntry.objects.latest("at").action == "denied"


def test_the_map_asks_the_register_for_its_rows(page_client, analyst, records):
    client = page_client(analyst)
    page = client.get(URL, {"vehicle": "AB12CDE"}).content.decode()
    assert 'href="/map/?show=records&amp;vehicle=AB12CDE"' in page
    feed = client.get(URL, {"vehicle": "AB12CDE", "_map": "1"}).json()
    assert [f["id"] for f in feed["features"]] == [records["taxi"].pk]
    assert feed["features"][0]["properties"]["url"] == reverse(
        "intelligence:record", args=[records["taxi"].pk]
    )
    assert "summary" not in json.dumps(feed).lower()
    assert AccessLogEntry.objects.latest("at").what.endswith("shown on the map")


def test_status_filter_awaiting_graded_and_due(page_client, analyst, records, partner):
    submission = factories.make_submission(partner)
    due = factories.make_record(
        summary="Due for its review", review_date=timezone.localdate()
    )
    client = page_client(analyst)
    default = client.get(URL).content.decode()
    # Only graded records by default: a submission is not counted anywhere.
    assert submission.reference not in default and due.reference in default
    awaiting = client.get(URL, {"status": "awaiting"}).content.decode()
    assert submission.reference in awaiting
    assert due.reference not in awaiting and records["taxi"].reference not in awaiting
    shown = client.get(URL, {"status": "due"}).content.decode()
    assert due.reference in shown
    assert not any(r.reference in shown for r in records.values())


def test_awaiting_is_offered_only_to_those_who_grade(
    page_client, tasking_officer, partner, records
):
    submission = factories.make_submission(partner)
    client = page_client(tasking_officer)
    text = client.get(URL).content.decode()
    assert 'value="awaiting"' not in text
    # Asked for by hand, it is refused as any unknown choice is.
    response = client.get(URL, {"status": "awaiting"})
    assert response.status_code == 400
    assert submission.reference not in response.content.decode()
