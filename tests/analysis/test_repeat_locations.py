"""Repeat locations: the 80/20 shares and the Lorenz curve, by hand and
from linked records."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from analysis.selectors.analyses import repeat_run
from analysis.selectors.repeat import repeat_from_counts
from analysis.selectors.selection import Selection
from intelligence.models import IntelligenceLocationLink
from tests import factories


def test_shares_at_the_busiest_premises_by_hand():
    # Ten premises: 8, 1 and 1 records, seven with none.
    result = repeat_from_counts(counts=[1, 8, 1], premises=10)
    assert result.top_shares == {10: pytest.approx(0.8), 20: pytest.approx(0.9)}
    assert result.premises_with_records == 3 and result.records_at_premises == 10
    # The curve: 80 % of records at the first 10 % of premises, all of them
    # by 30 %, and flat after.
    curve = dict(result.curve)
    assert curve[0.0] == 0 and curve[0.1] == pytest.approx(0.8)
    assert curve[0.3] == pytest.approx(1.0) and curve[1.0] == pytest.approx(1.0)
    # Gini of (8, 1, 1, 0 x 7) as the mean difference: ordered pairs
    # |8-1| x 2 x 2 = 28, |8-0| x 7 x 2 = 112, |1-0| x 2 x 7 x 2 = 28; the
    # sum 168 over 2 n^2 mean = 200 gives 0.84.
    assert result.gini == pytest.approx(0.84)


def test_even_spread_has_no_concentration():
    result = repeat_from_counts(counts=[2] * 20, premises=20)
    assert result.top_shares[10] == pytest.approx(0.1)
    assert result.top_shares[20] == pytest.approx(0.2)
    assert result.gini == pytest.approx(0.0)


@pytest.mark.django_db
def test_linked_records_counted_per_premises(analyst, area):
    busy = factories.make_location(name="Busy Hotel")
    quiet = factories.make_location(name="Quiet Takeaway", category="takeaway")
    factories.make_location(name="No records")
    when = timezone.now() - timedelta(days=5)
    for k in range(6):
        record = factories.make_record(occurred_from=when)
        IntelligenceLocationLink.objects.create(
            record=record, location=busy if k < 5 else quiet, link_type="occurred_at"
        )
    # Linked twice to one premises (two link types): still one record there.
    IntelligenceLocationLink.objects.create(
        record=record, location=quiet, link_type="mentioned"
    )
    selection = Selection(
        since=date.today() - timedelta(days=30), until=date.today(), area=area
    )
    result = repeat_run(user=analyst, selection=selection)
    assert result.premises == 3
    assert result.ranked == [(busy.pk, 5), (quiet.pk, 1)]
    assert result.top_shares[10] == pytest.approx(5 / 6)
    only_takeaways = repeat_run(
        user=analyst, selection=selection, categories=("takeaway",)
    )
    assert only_takeaways.premises == 1 and only_takeaways.records_at_premises == 1
