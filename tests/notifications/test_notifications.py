"""Notifications: made on the event (a tasking given) and by the periodic
scan (flags, records and legal clocks coming due), once per item and
due-ness, shown to their owner only, and emailed when the owner wants it."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.roles import ANALYST, LICENSING_OFFICER, TASKING_OFFICER
from disruption.models import TaskingMeeting
from disruption.services import (
    disruption_log,
    meeting_create,
    tasking_close,
    tasking_create,
)
from locations.services import location_flag
from notifications.due import notifications_generate_due
from notifications.models import Notification, NotificationKind
from notifications.services import notification_email_send
from notifications.tasks import notifications_due
from tests import factories

pytestmark = pytest.mark.django_db


def _jobs(task: str = "notifications.email"):
    return ProcrastinateJob.objects.filter(task_name=task)


def _tasking(officer, **kwargs):
    meeting = TaskingMeeting.objects.filter(held_on=date.today()).first()
    meeting = meeting or meeting_create(group="cse_mog", held_on=date.today())
    return tasking_create(
        meeting=meeting,
        target_location=kwargs.pop("location", None) or factories.make_location(),
        reason="Visit the hotel with the licensing team",
        priority="high",
        owner_agency="police",
        owner_officer=officer,
        **{"due_date": date.today() + timedelta(days=5), **kwargs},
    )


def test_a_tasking_given_to_an_officer_notifies_them_and_emails_once(mailoutbox):
    officer = factories.make_user(TASKING_OFFICER, "pc-one", email="one@example.org")
    tasking = _tasking(officer, location=factories.make_location(name="Canal Inn"))
    [note] = Notification.objects.filter(user=officer)
    assert note.kind == NotificationKind.TASKING_ASSIGNED
    assert "Canal Inn" in note.title and note.url == f"/analysis/taskings/{tasking.pk}/"
    [job] = _jobs()
    assert job.args == {"notification_id": note.pk}
    assert notification_email_send(notification_id=note.pk) is True
    assert notification_email_send(notification_id=note.pk) is False
    [mail] = mailoutbox
    assert mail.to == ["one@example.org"]
    assert "Canal Inn" in mail.subject
    assert f"http://127.0.0.1:8000/analysis/taskings/{tasking.pk}/" in mail.body
    # The email carries the reference and link, never the tasking's reason.
    assert "licensing team" not in mail.body


def test_a_tasking_without_an_officer_or_carried_over_notifies_nobody():
    officer = factories.make_user(TASKING_OFFICER, email="a@example.org")
    _tasking(None)
    first = _tasking(officer)
    _tasking(officer, carried_from=first)
    assert Notification.objects.count() == 1


def test_an_officer_who_said_no_to_email_gets_the_page_notification_only(client):
    officer = factories.make_user(TASKING_OFFICER, email="b@example.org")
    client.force_login(officer)
    page = client.get("/notifications/preferences/").content.decode()
    assert page.count("checked") == len(NotificationKind.values)
    response = client.post(
        "/notifications/preferences/", {"email_kinds": ["legal_clock"]}
    )
    assert response.status_code == 302
    _tasking(officer)
    assert Notification.objects.filter(user=officer).count() == 1
    assert not _jobs().exists()
    bad = client.post("/notifications/preferences/", {"email_kinds": ["nonsense"]})
    assert bad.status_code == 400 and "not one of the available" in bad.content.decode()


def test_a_user_without_an_email_address_is_not_queued_an_email():
    _tasking(factories.make_user(TASKING_OFFICER))
    assert Notification.objects.count() == 1 and not _jobs().exists()


def test_flags_coming_due_notify_who_set_them_once_per_review_date():
    officer = factories.make_user(LICENSING_OFFICER, email="lic@example.org")
    place = factories.make_location(name="Late Grill", category="takeaway")
    later = factories.make_location(name="Far Grill", category="takeaway")
    for where, days in ((place, 10), (later, 40)):
        location_flag(
            location=where,
            user=officer,
            action="flag",
            reason="Young people seen late",
            risk_level="high",
            review_date=date.today() + timedelta(days=days),
        )
    assert notifications_generate_due()["flags"] == 1
    assert notifications_generate_due()["flags"] == 0
    [note] = Notification.objects.filter(kind=NotificationKind.FLAG_REVIEW)
    assert note.user == officer and "Late Grill" in note.title
    assert note.url == f"/locations/{place.pk}/"
    # Flagged again with a new review date: a new due-ness, a new notice.
    location_flag(
        location=place,
        user=officer,
        action="flag",
        reason="Still seen late",
        risk_level="medium",
        review_date=date.today() + timedelta(days=3),
    )
    assert notifications_generate_due()["flags"] == 1
    # Cleared: nothing to review.
    location_flag(location=later, user=officer, action="clear", reason="Closed")
    assert notifications_generate_due()["flags"] == 0


def test_records_coming_due_notify_the_reviewer_who_entered_them():
    analyst = factories.make_user(ANALYST)
    licensing = factories.make_user(LICENSING_OFFICER)
    soon = date.today() + timedelta(days=7)
    mine = factories.make_record(created_by=analyst, review_date=soon)
    factories.make_record(created_by=analyst, review_date=soon + timedelta(days=60))
    # Entered by a role that neither reviews nor reads records: not theirs.
    factories.make_record(created_by=licensing, review_date=soon)
    factories.make_record(review_date=soon)
    assert notifications_generate_due()["records"] == 1
    assert notifications_generate_due()["records"] == 0
    [note] = Notification.objects.filter(kind=NotificationKind.RECORD_REVIEW)
    assert note.user == analyst and mine.reference in note.title
    assert mine.summary not in note.title


def test_legal_clocks_about_to_run_out_notify_the_officer_once_per_end():
    officer = factories.make_user(TASKING_OFFICER, email="pc@example.org")
    now = timezone.now()
    place = factories.make_location(name="Station Hotel")

    def cawn(days):
        return disruption_log(
            action_type="cawn",
            outcome="notice_served",
            occurred_at=now - timedelta(days=30),
            location=place,
            officer=officer,
            served_at=now - timedelta(days=30),
            expires_at=now + timedelta(days=days),
        )

    due = cawn(3)
    cawn(60)  # still running: no warning yet
    assert notifications_generate_due(now=now)["clocks"] == 1
    assert notifications_generate_due(now=now)["clocks"] == 0
    [note] = Notification.objects.filter(kind=NotificationKind.LEGAL_CLOCK)
    assert note.user == officer and "CAWN ends at Station Hotel" in note.title
    assert note.url == f"/locations/{place.pk}/"
    assert _jobs().count() == 1
    # Extended: the new end warns again.
    due.expires_at = now + timedelta(days=5)
    due.save(update_fields=["expires_at"])
    assert notifications_generate_due(now=now)["clocks"] == 1


def test_the_scan_runs_every_15_minutes_as_a_procrastinate_job():
    periodic = {
        task.periodic_id: task for task in app.periodic_registry.periodic_tasks.values()
    }
    assert periodic["notifications-due"].cron == "*/15 * * * *"
    assert periodic["notifications-due"].task.name == "notifications.due"
    officer = factories.make_user(LICENSING_OFFICER)
    location_flag(
        location=factories.make_location(),
        user=officer,
        action="flag",
        reason="Seen late",
        risk_level="low",
        review_date=date.today(),
    )
    assert notifications_due(timestamp=0) == {
        "flags": 1,
        "records": 0,
        "clocks": 0,
        "taskings": 0,
    }


def test_marking_read_is_for_the_owner_only(client):
    one = factories.make_user(TASKING_OFFICER)
    two = factories.make_user(TASKING_OFFICER)
    _tasking(one)
    _tasking(one)
    first, second = Notification.objects.filter(user=one).order_by("id")
    client.force_login(two)
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 404
    client.force_login(one)
    home = client.get("/").content.decode()
    assert home.count('class="unread"') == 2
    response = client.post(f"/notifications/{first.pk}/read/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    first.refresh_from_db()
    assert first.read_at is not None
    # An address elsewhere is not followed.
    away = client.post(
        f"/notifications/{second.pk}/read/", {"next": "https://evil.example/"}
    )
    assert away["Location"] == "/notifications/"
    _tasking(one)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=one, read_at__isnull=True).exists()
    assert 'class="unread"' not in client.get("/").content.decode()


def test_taskings_coming_due_or_overdue_notify_their_owner_once_per_due_date():
    officer = factories.make_user(TASKING_OFFICER, "pc-due")
    soon = _tasking(
        officer,
        location=factories.make_location(name="Station Hotel"),
        due_date=date.today() + timedelta(days=2),
    )
    late = _tasking(officer, due_date=date.today() - timedelta(days=1))
    _tasking(officer, due_date=date.today() + timedelta(days=20))  # not yet
    done = _tasking(officer, due_date=date.today())
    tasking_close(tasking=done)
    _tasking(None, due_date=date.today())  # nobody to tell

    assert notifications_generate_due()["taskings"] == 2
    assert notifications_generate_due()["taskings"] == 0
    notes = {n.key: n for n in Notification.objects.filter(kind="tasking_due")}
    assert set(notes) == {
        f"tasking-due:{soon.pk}:{soon.due_date.isoformat()}",
        f"tasking-due:{late.pk}:{late.due_date.isoformat()}",
    }
    soon_note = notes[f"tasking-due:{soon.pk}:{soon.due_date.isoformat()}"]
    assert "Station Hotel" in soon_note.title and "due on" in soon_note.title
    assert (
        "overdue since"
        in notes[f"tasking-due:{late.pk}:{late.due_date.isoformat()}"].title
    )
    assert soon_note.url == f"/analysis/taskings/{soon.pk}/"
    # A new due date warns again.
    soon.due_date = date.today() + timedelta(days=1)
    soon.save(update_fields=["due_date"])
    assert notifications_generate_due()["taskings"] == 1
