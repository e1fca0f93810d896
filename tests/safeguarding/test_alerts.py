"""Safety-plan alerts: a new record naming the child, or at a trigger place
or in a trigger vehicle within the plan's window, alerts the police contact
and the lead professional at once (home page and email); once per record;
acknowledged and kept."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from people.services import link_create, vehicle_get_or_create
from safeguarding.models import SafetyPlanAlert
from safeguarding.selectors import alerts_open_for, trigger_places
from safeguarding.services import alert_acknowledge, safety_plan_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(cast):
    car, _ = vehicle_get_or_create(registration="AB12 CDE")
    return safety_plan_create(
        subject=cast.young,
        police_contact=cast.police,
        lead_professional=cast.practitioner,
        starts_on=date.today() - timedelta(days=3),
        ends_on=date.today() + timedelta(days=30),
        user=cast.practitioner,
        locations=[cast.hotel],
        vehicles=[car],
    )


def test_a_submission_at_the_trigger_hotel_alerts_both_at_once(
    cast, plan, django_capture_on_commit_callbacks
):
    partner = factories.make_user("Partner (submit only)")
    with django_capture_on_commit_callbacks(execute=True):
        record = factories.make_submission(
            partner, premises=[(cast.hotel, "venue")], point=cast.hotel.point
        )
    alert = SafetyPlanAlert.objects.get()
    assert (alert.plan, alert.record) == (plan, record)
    assert "Canal Side Hotel" in alert.matched
    notes = Notification.objects.filter(kind="safety_plan_alert")
    assert {n.user for n in notes} == {cast.police, cast.practitioner}
    assert record.reference in notes[0].title
    # Reference numbers only: never what the record says.
    assert "Girls taken" not in notes[0].title
    assert sorted(m.to[0] for m in mail.outbox) == ["c@example.org", "p@example.org"]
    assert list(alerts_open_for(user=cast.police)) == [alert]


def test_a_record_in_the_trigger_car_alerts(cast, plan):
    factories.make_submission(factories.make_user("Analyst"), vehicle_marks=["AB12CDE"])
    assert SafetyPlanAlert.objects.get().matched.startswith("In a trigger vehicle")


def test_a_record_naming_the_child_alerts_through_a_link(cast, plan):
    record = factories.make_record(occurred_from=timezone.now() - timedelta(hours=2))
    other = factories.make_location(name="Somewhere else")
    link_create(link_type="seen_at", subject=cast.young, other=other, records=[record])
    alert = SafetyPlanAlert.objects.get()
    assert alert.record == record and "names the young person" in alert.matched


def test_a_record_outside_the_window_or_elsewhere_does_not_alert(cast, plan):
    partner = factories.make_user("Partner (submit only)")
    factories.make_submission(
        partner,
        premises=[(cast.hotel, "venue")],
        occurred_from=timezone.now() - timedelta(days=10),
    )
    factories.make_submission(partner)
    assert not SafetyPlanAlert.objects.exists()


def test_a_record_alerts_once_and_the_acknowledgement_is_kept(cast, plan):
    partner = factories.make_user("Partner (submit only)")
    record = factories.make_submission(partner, premises=[(cast.hotel, "venue")])
    from intelligence.triage.services import record_link_add

    record_link_add(record=record, location=cast.hotel, link_type="occurred_at")
    alert = SafetyPlanAlert.objects.get()
    acked = alert_acknowledge(alert=alert, user=cast.police)
    assert acked.acknowledged_by == cast.police and acked.acknowledged_at
    assert list(alerts_open_for(user=cast.police)) == []


def test_police_see_trigger_places_and_other_roles_none(cast, plan):
    assert list(trigger_places(user=cast.police)) == [cast.hotel]
    assert list(trigger_places(user=cast.analyst)) == []


def test_an_email_that_fails_is_queued_for_retry_not_lost(
    cast, plan, monkeypatch, django_capture_on_commit_callbacks
):
    from procrastinate.contrib.django.models import ProcrastinateJob

    from safeguarding import services

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "notification_email_send", broken)
    partner = factories.make_user("Partner (submit only)")
    with django_capture_on_commit_callbacks(execute=True):
        factories.make_submission(partner, premises=[(cast.hotel, "venue")])
    jobs = ProcrastinateJob.objects.filter(task_name="notifications.email")
    assert jobs.count() == 2
    assert SafetyPlanAlert.objects.count() == 1
