"""What-is-here reads its records once: the counts, the ids logged and the
newest records listed come from one query, and are what the separate
queries (grouped counts and ids, the newest records by date) give."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from intelligence.selectors import (
    intelligence_count_scope,
    record_counts_ids_newest,
    record_filter,
    record_rows,
    record_rows_for_ids,
)
from tests import factories

pytestmark = pytest.mark.django_db

GRADES = [("2", "B", "P"), ("1", "A", "C"), ("3", "D", "P"), ("2", "C", "P")]
KINDS = ["intelligence", "incident", "intelligence", "incident"]


@pytest.fixture
def records(area):
    hotel = factories.make_location()
    home = factories.make_location(category="childrens_home")
    made = []
    for i in range(14):
        se, ia, hc = GRADES[i % len(GRADES)]
        record = factories.make_record(
            # Two records share a moment: the order falls back to the id.
            occurred_from=timezone.now() - timedelta(days=2 + (i // 2) * 3),
            kind=KINDS[i % len(KINDS)],
            source_evaluation=se,
            intelligence_assessment=ia,
            handling_code=hc,
            handling_conditions="Not to be shared outside the force"
            if hc == "C"
            else "",
        )
        place = home if i % 5 == 0 else hotel
        record.location_links.create(location=place, link_type="occurred_at")
        made.append(record)
    # Outside the period: never counted, listed or logged.
    factories.make_record(occurred_from=timezone.now() - timedelta(days=400))
    return made


@pytest.mark.parametrize("newest", [1, 5, 500])
def test_one_reading_gives_what_the_separate_queries_give(
    records, analyst, licensing_officer, tasking_officer, newest
):
    for user in (analyst, tasking_officer, licensing_officer):
        qs = record_filter(
            qs=intelligence_count_scope(user=user),
            since=date.today() - timedelta(days=90),
            until=date.today(),
        )
        counts, ids, newest_ids = record_counts_ids_newest(
            qs=qs, user=user, newest=newest
        )
        alone_counts, alone_ids, none = record_counts_ids_newest(
            qs=qs, user=user, newest=0
        )
        assert (counts, ids, none) == (alone_counts, alone_ids, [])
        listed = record_rows(qs=qs, limit=newest)
        assert newest_ids == [r["id"] for r in listed]
        assert record_rows_for_ids(ids=newest_ids) == listed
        if user is analyst:
            assert len(ids) == 14 and counts["total"] == 14
            assert len(newest_ids) == min(newest, 14)


def test_rows_read_as_values_match_the_records(records, analyst):
    qs = intelligence_count_scope(user=analyst)
    rows = {r["id"]: r for r in record_rows(qs=qs, limit=500)}
    for record in records:
        row = rows[record.pk]
        assert row["grade"] == record.grade
        assert row["kind_label"] == record.get_kind_display()
        assert row["handling_conditions"] == record.handling_conditions
        assert [loc["id"] for loc in row["locations"]] == [
            link.location_id for link in record.location_links.order_by("id")
        ]
        assert row["locations"][0]["url"] == (
            f"/locations/{record.location_links.get().location_id}/"
        )
        assert row["locations"][0]["link"] == "Happened at"
