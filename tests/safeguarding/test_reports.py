"""The partnership's reports: counts under 3 suppressed, the absence share
with its Wilson interval, the board's monthly figures; pages and PDF for
analysts, practitioners and administrators only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.services import link_mention, subject_create
from safeguarding.reports import (
    SUPPRESSED,
    absence_by_outcome,
    board_figures,
    suppress,
    wilson_interval,
)
from safeguarding.services import (
    AnswerInput,
    masp_review_record,
    return_interview_record,
    screening_record,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_small_counts_are_suppressed():
    assert [suppress(n) for n in (0, 1, 2, 3, 10)] == [0, "<3", "<3", 3, 10]


def test_the_wilson_interval_matches_its_published_values():
    # Newcombe (1998), Statistics in Medicine 17: 81/263 gives 0.2553-0.3662.
    low, high = wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # 0 of 3: the interval still has width, unlike the normal approximation.
    low, high = wilson_interval(0, 3)
    assert low == 0 and high == pytest.approx(0.5615, abs=1e-4)


def _screen(cast, child, present):
    screening_record(
        subject=child,
        indicator_set=cast.tool,
        user=cast.practitioner,
        answers=[
            AnswerInput(
                indicator=i,
                presence="present" if i.code in present else "absent",
                when="now",
            )
            for i in cast.tool.indicators.all()
        ],
    )


def _children(n):
    return [
        subject_create(kind="young_person", review_date=timezone.localdate())
        for _ in range(n)
    ]


def test_absence_share_by_outcome_with_small_rows_suppressed(cast):
    absent = ["education_persistent_absence", "relationships_older_partner"]
    for i, child in enumerate(_children(4)):
        _screen(cast, child, absent if i < 3 else ["places_hotels"])
    # Only each child's latest screening counts.
    for child in _children(2):
        _screen(cast, child, ["disclosure"])
    rows = {r.outcome: r for r in absence_by_outcome()}
    at_risk = rows["at_risk"]
    assert (at_risk.screened, at_risk.absent) == (4, 3)
    assert at_risk.share == pytest.approx(0.75)
    assert (at_risk.low, at_risk.high) == pytest.approx(wilson_interval(3, 4))
    significant = rows["significant_risk"]
    assert significant.screened == SUPPRESSED and significant.share is None
    assert significant.low is None


def test_the_board_counts_reviews_and_interviews_within_72_hours(cast):
    now = timezone.now()
    for hours_to_interview in (10, 30, 100):
        record = factories.make_record(
            kind="missing",
            missing_point="found",
            occurred_from=now - timedelta(hours=hours_to_interview + 2),
        )
        link_mention(record=record, entity=cast.young)
        masp_review_record(
            record=record, subject=cast.young, decision="nfa", notes="", user=cast.admin
        )
        return_interview_record(
            record=record,
            subject=cast.young,
            held_at=now - timedelta(hours=2) + timedelta(minutes=1),
            user=cast.practitioner,
        )
    month = board_figures()[-1]
    assert month.masp_reviewed == 3 and month.interviews == 3
    assert month.within_72h_share == pytest.approx(2 / 3)
    assert month.median_hours == pytest.approx(30, abs=0.1)
    assert month.cmog_triaged == 0


@pytest.mark.parametrize(("who", "status"), [("analyst", 200), ("police", 404)])
def test_reports_are_for_aggregate_readers(cast, who, status):
    client = Client()
    client.force_login(getattr(cast, who))
    assert client.get(reverse("safeguarding:reports")).status_code == status
    pdf = client.get(reverse("safeguarding:reports-pdf"))
    assert pdf.status_code == status
    if status == 200:
        assert pdf.content.startswith(b"%PDF")
        page = client.get(reverse("safeguarding:reports")).content.decode()
        assert 'src="data:image/png;base64,' in page
        assert cast.young.reference not in page
