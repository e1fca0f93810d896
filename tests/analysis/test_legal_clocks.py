"""The rules the timed powers carry, checked when entered, and the clock list."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from disruption.legal import legal_clock_list, licence_review_hearing_due
from disruption.services import disruption_log
from tests import factories

pytestmark = pytest.mark.django_db
SERVED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def _log(location, action_type, **kw):
    return disruption_log(
        action_type=action_type,
        outcome="notice_served",
        occurred_at=SERVED,
        location=location,
        agency="police",
        served_at=kw.pop("served_at", SERVED),
        **kw,
    )


def test_s116_longer_than_six_months_is_refused_with_the_reason(location):
    with pytest.raises(ValidationError) as exc:
        _log(
            location,
            "s116_notice",
            expires_at=datetime(2026, 7, 11, 9, 0, tzinfo=UTC),
            authorising_rank="inspector",
        )
    assert "at most six months" in str(exc.value)
    assert "10 July 2026" in str(exc.value)
    ok = _log(
        location,
        "s116_notice",
        expires_at=datetime(2026, 7, 10, 9, 0, tzinfo=UTC),
        authorising_rank="inspector",
    )
    assert ok.pk


def test_s116_needs_an_inspector(location):
    with pytest.raises(ValidationError) as exc:
        _log(
            location,
            "s116_notice",
            expires_at=SERVED + timedelta(days=30),
            authorising_rank="sergeant",
        )
    assert "inspector or above" in str(exc.value)


def test_closure_notice_24_hours_or_48_with_a_superintendent(location):
    with pytest.raises(ValidationError) as exc:
        _log(
            location,
            "closure_notice",
            expires_at=SERVED + timedelta(hours=30),
            authorising_rank="inspector",
        )
    assert "at most 24 hours" in str(exc.value)
    assert _log(
        location,
        "closure_notice",
        expires_at=SERVED + timedelta(hours=48),
        authorising_rank="superintendent",
    ).pk
    assert _log(
        location,
        "closure_notice",
        expires_at=SERVED + timedelta(hours=48),
        authorising_rank="council_chief_executive",
    ).pk
    with pytest.raises(ValidationError) as exc:
        _log(
            location,
            "closure_notice",
            expires_at=SERVED + timedelta(hours=49),
            authorising_rank="superintendent",
        )
    assert "at most 48 hours" in str(exc.value)


def test_closure_order_must_be_heard_before_the_notice_ends(location):
    with pytest.raises(ValidationError) as exc:
        _log(
            location,
            "closure_notice",
            expires_at=SERVED + timedelta(hours=24),
            court_hearing_at=SERVED + timedelta(hours=26),
            authorising_rank="inspector",
        )
    assert "court must hear" in str(exc.value)


def test_cawn_and_sexual_risk_order_end_dates(location):
    with pytest.raises(ValidationError) as exc:
        _log(location, "cawn")
    assert "end date" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _log(location, "cawn", expires_at=SERVED + timedelta(days=800))
    assert "at most two years" in str(exc.value)
    assert _log(location, "cawn", expires_at=SERVED + timedelta(days=365)).pk
    with pytest.raises(ValidationError) as exc:
        _log(location, "sexual_risk_order", expires_at=SERVED + timedelta(days=365))
    assert "at least two years" in str(exc.value)


def test_licence_review_clock_is_the_hearing_due_date(location):
    # Applied Monday 12 Jan 2026: representations end Monday 9 Feb; 20 working
    # days later is Monday 9 March.
    applied = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    assert licence_review_hearing_due(applied_at=applied).date().isoformat() == (
        "2026-03-09"
    )
    action = disruption_log(
        action_type="licence_review",
        outcome="other",
        occurred_at=applied,
        location=location,
        agency="licensing",
    )
    assert action.expires_at.date().isoformat() == "2026-03-09"


def test_clock_list_warns_before_the_end(location):
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    soon = factories.make_action(
        action_type="cawn",
        location=location,
        served_at=now - timedelta(days=300),
        expires_at=now + timedelta(days=5),
    )
    later = factories.make_action(
        action_type="cawn",
        location=location,
        served_at=now - timedelta(days=300),
        expires_at=now + timedelta(days=60),
    )
    gone = factories.make_action(
        action_type="cawn",
        location=location,
        served_at=now - timedelta(days=300),
        expires_at=now - timedelta(days=2),
    )
    factories.make_action(
        action_type="cawn",
        location=location,
        served_at=now - timedelta(days=300),
        expires_at=now + timedelta(days=200),
    )
    clocks = legal_clock_list(now=now)
    assert [(c.action.pk, c.state) for c in clocks] == [
        (gone.pk, "expired"),
        (soon.pk, "due"),
        (later.pk, "running"),
    ]
    assert clocks[1].left_words == "in 5 days"
    assert clocks[0].left_words == "2 days ago"


def test_map_warns_of_clocks_about_to_run_out(
    client, location, analyst, licensing_officer
):
    now = timezone.now()
    disruption_log(
        action_type="cawn",
        outcome="notice_served",
        occurred_at=now - timedelta(days=30),
        location=location,
        agency="police",
        served_at=now - timedelta(days=30),
        expires_at=now + timedelta(days=3),
    )
    client.force_login(analyst)
    html = client.get("/map/").content.decode()
    assert 'id="clock-alert"' in html
    assert (
        "1 legal clock runs out within 14 days" in html
        and "CAWN ends, in 3 days" in html
    )
    # Licensing follows its own agency's powers only: a police CAWN is not one.
    client.force_login(licensing_officer)
    assert 'id="clock-alert"' not in client.get("/map/").content.decode()
