"""Every change keeps its history, however it is made: a form, the API, a
QuerySet.update() or a bulk insert, with the user where there is one."""

from datetime import date, timedelta

import pghistory
import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AccessLogEntry
from disruption.models import DisruptionAction, DisruptionActionEvent
from intelligence.models import IntelligenceRecordEvent
from locations.models import ConcernFlagEvent, Location, LocationEvent
from locations.selectors import location_change_history, location_scope
from locations.services import areas_reassign
from tests import factories

pytestmark = pytest.mark.django_db


def _user_of(event) -> int | None:
    return event.pgh_context.metadata.get("user") if event.pgh_context_id else None


def _changes(location, user):
    scoped = location_scope(user=user).get(pk=location.pk)
    return location_change_history(location=scoped)


def test_an_edit_in_the_admin_form_records_who_and_old_and_new(client, admin_user):
    place = factories.make_location(name="Station Hotel", licence_holder="A. Smith")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/locations/location/{place.pk}/change/",
        {
            "name": "Station Hotel",
            "category": "hotel",
            "address": place.address,
            "postcode": place.postcode,
            "uprn": "",
            "point": "POINT(-1.5106 52.4081)",
            "footprint": "",
            "premises_licence_number": "PL/2026/0042",
            "licence_holder": "B. Jones",
            "fhrs_id": "",
            "fhrs_rating": "",
            "source": "manual",
            "source_id": "",
            "seen_version": str(place.version),
            "flags-TOTAL_FORMS": "0",
            "flags-INITIAL_FORMS": "0",
            "flags-MIN_NUM_FORMS": "0",
            "flags-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = LocationEvent.objects.get(pgh_obj=place, pgh_label="update")
    assert update.licence_holder == "B. Jones"
    assert _user_of(update) == admin_user.pk
    assert update.pgh_context.metadata["url"].endswith(f"/{place.pk}/change/")
    latest = _changes(place, admin_user)[0]
    assert latest.who == admin_user.username
    assert latest.action == "changed"
    fields = {c.field: (c.old, c.new) for c in latest.changes}
    assert fields == {
        "Licence holder": ("A. Smith", "B. Jones"),
        "Premises licence number": ("—", "PL/2026/0042"),
    }


def test_a_submission_with_a_token_records_the_token_user(licensing_officer):
    place = factories.make_location(name="Canal Hotel")
    client = APIClient()
    # Token authentication happens in the view, after every middleware.
    token = factories.make_token(licensing_officer, scope="submit")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(
        "/api/v1/intelligence/",
        {
            "account": "Men seen with young people at the canal hotel",
            "occurred_from": (timezone.now() - timedelta(days=1)).isoformat(),
            "location_method": "premises",
            "premises": [place.pk],
            "source_type": "business_staff",
            "submitter_is_source": "yes",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    insert = IntelligenceRecordEvent.objects.get(
        pgh_obj_id=response.json()["id"], pgh_label="insert"
    )
    assert _user_of(insert) == licensing_officer.pk


def test_a_flag_through_the_api_records_the_user(licensing_officer):
    place = factories.make_location(name="Canal Hotel")
    client = APIClient()
    # A token may not flag (no token scope writes but submissions): the
    # flag is made in a session, its history then read with a token.
    with_token = APIClient()
    with_token.credentials(
        HTTP_AUTHORIZATION=f"Token {factories.make_token(licensing_officer)}"
    )
    assert (
        with_token.post(f"/api/v1/locations/{place.pk}/flags/", {}, format="json")
    ).status_code == 403
    client.force_login(licensing_officer)
    review = date.today() + timedelta(days=30)
    response = client.post(
        f"/api/v1/locations/{place.pk}/flags/",
        {
            "action": "flag",
            "risk_level": "high",
            "reason": "Walk-in bookings with young people",
            "review_date": review.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    flag_event = ConcernFlagEvent.objects.get(location_id=place.pk)
    assert flag_event.pgh_label == "insert"
    assert _user_of(flag_event) == licensing_officer.pk
    loc_event = LocationEvent.objects.get(pgh_obj=place, pgh_label="update")
    assert _user_of(loc_event) == licensing_officer.pk
    assert loc_event.concern_level == "high"

    changes = _changes(place, licensing_officer)
    by_subject = {c.subject: c for c in changes if c.action != "created"}
    location_change = by_subject["Location"]
    assert {c.field: (c.old, c.new) for c in location_change.changes} == {
        "Concern level": ("No current concern", "High"),
        "Concern review date": ("—", review.strftime("%-d %b %Y")),
    }
    flag = next(c for c in changes if c.subject == "Concern flag")
    assert flag.action == "created" and flag.who == licensing_officer.username
    assert ("Risk level", "—", "High") in [
        (c.field, c.old, c.new) for c in flag.changes
    ]

    history = with_token.get(f"/api/v1/locations/{place.pk}/history/").json()
    assert history[0]["who"] == licensing_officer.username
    assert {"Concern level", "Concern review date"} <= {
        c["field"] for entry in history for c in entry["changes"]
    }


def test_queryset_update_and_bulk_create_are_recorded(analyst):
    places = [factories.make_location(name=f"Takeaway {i}") for i in range(3)]
    # Outside any request or context: recorded, with nobody named. (First:
    # pghistory's context lasts to the end of the transaction, and a test is
    # one transaction.)
    Location.objects.filter(pk=places[0].pk).update(name="Takeaway Zero")
    latest = _changes(places[0], analyst)[0]
    assert latest.who == "System (no signed-in user)"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("Name", "Takeaway 0", "Takeaway Zero")
    ]

    with pghistory.context(user=analyst.pk):
        n = Location.objects.filter(pk__in=[p.pk for p in places]).update(
            fhrs_rating="5"
        )
    assert n == 3
    updates = LocationEvent.objects.filter(
        pgh_label="update", fhrs_rating="5"
    ).order_by("pgh_obj_id")
    assert [e.pgh_obj_id for e in updates] == [p.pk for p in places]
    assert {_user_of(e) for e in updates} == {analyst.pk}

    created = DisruptionAction.objects.bulk_create(
        [DisruptionAction(**_action_fields()) for _ in range(4)]
    )
    inserts = DisruptionActionEvent.objects.filter(
        pgh_obj_id__in=[a.pk for a in created], pgh_label="insert"
    )
    assert inserts.count() == 4


def _action_fields() -> dict:
    return {
        "action_type": "patrol",
        "agency": "police",
        "occurred_at": timezone.now(),
        "outcome": "advice_given",
        "point": factories.geom(factories.CENTRE_POINT_WKT),
    }


def test_geometry_changes_compare_by_bytes_and_derived_columns_are_not_edits(
    analyst,
):
    place = factories.make_location()
    # Saving the same point again is no change.
    place.save()
    assert not LocationEvent.objects.filter(pgh_obj=place, pgh_label="update").exists()
    # Re-deriving area ids after an areas import is nobody's edit.
    factories.make_area()
    areas_reassign()
    assert not LocationEvent.objects.filter(pgh_obj=place, pgh_label="update").exists()
    # A moved point is, and reads as coordinates.
    Location.objects.filter(pk=place.pk).update(
        point=factories.geom("POINT(-1.5 52.41)")
    )
    change = _changes(place, analyst)[0]
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("Point", "52.40810, -1.51060", "52.41000, -1.50000")
    ]


def test_delete_is_recorded_and_history_cannot_be_edited():
    place = factories.make_location()
    pk = place.pk
    place.delete()
    assert LocationEvent.objects.filter(pgh_obj_id=pk, pgh_label="delete").exists()
    with (
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
    ):
        LocationEvent.objects.filter(pgh_obj_id=pk).update(name="rewritten")
    with (
        pytest.raises(DatabaseError, match="permission denied"),
        transaction.atomic(),
    ):
        LocationEvent.objects.filter(pgh_obj_id=pk).delete()


def test_location_page_shows_readable_history(client, licensing_officer, analyst):
    place = factories.make_location(name="Old Mill Hotel", licence_holder="A. Smith")
    with pghistory.context(user=licensing_officer.pk):
        Location.objects.filter(pk=place.pk).update(licence_holder="<b>B</b> Jones")
    client.force_login(analyst)
    factories.justify(client)
    html = client.get(f"/locations/{place.pk}/").content.decode()
    section = html[html.index('id="change-history"') :]
    assert "Change history" in html
    assert "Location changed" in section and licensing_officer.username in section
    assert '<th scope="row">Licence holder</th><td>A. Smith</td>' in section
    # User text is escaped, never rendered as HTML.
    assert "&lt;b&gt;B&lt;/b&gt; Jones" in section and "<b>B</b>" not in section


def test_protected_location_history_withholds_position_and_address(
    client, licensing_officer, admin_user
):
    home = factories.make_location(category="childrens_home", address="7 Elm Road")
    Location.objects.filter(pk=home.pk).update(
        address="9 Oak Road", point=factories.geom("POINT(-1.505 52.405)")
    )
    client.force_login(licensing_officer)
    html = client.get(f"/locations/{home.pk}/").content.decode()
    section = html[html.index('id="change-history"') :]
    assert "Oak Road" not in html and "Elm Road" not in html
    assert "not shown to your role: Address, Point" in section
    client.force_login(admin_user)
    factories.justify(client)
    html = client.get(f"/locations/{home.pk}/").content.decode()
    assert "9 Oak Road" in html and "7 Elm Road" in html


def test_record_history_only_for_users_who_may_see_the_record(
    intel, analyst, licensing_officer, safety_officer, admin_user
):
    with pghistory.context(user=analyst.pk):
        type(intel).objects.filter(pk=intel.pk).update(summary="Revised summary")
    for user in (analyst, admin_user):
        client = APIClient()
        client.force_authenticate(user)
        client.credentials(HTTP_X_JUSTIFICATION=factories.SESSION_JUSTIFICATION)
        response = client.get(f"/api/v1/intelligence/{intel.pk}/history/")
        assert response.status_code == 200
        changed = response.json()[0]
        assert changed["who"] == analyst.username
        assert changed["changes"] == [
            {
                "field": "Summary",
                "old": "Young person seen with older adults at premises.",
                "new": "Revised summary",
            }
        ]
    for user in (licensing_officer, safety_officer):
        client = APIClient()
        client.force_authenticate(user)
        response = client.get(f"/api/v1/intelligence/{intel.pk}/history/")
        assert response.status_code == 404
        assert "Revised" not in response.content.decode()
    # Reading a record's history is a consultation of it (s.62).
    opened = AccessLogEntry.objects.filter(
        what="Intelligence API: record history", action="opened"
    )
    assert [(e.username, e.record_ids) for e in opened.order_by("id")] == [
        (analyst.username, [intel.pk]),
        (admin_user.username, [intel.pk]),
    ]
    # Nor does the location page give it away.
    location = intel.locations.get()
    client = APIClient()
    client.force_login(licensing_officer)
    html = client.get(f"/locations/{location.pk}/").content.decode()
    assert "Revised summary" not in html


def test_admin_history_pages_are_read_only(client, admin_user, intel):
    client.force_login(admin_user)
    with pghistory.context(user=admin_user.pk):
        type(intel).objects.filter(pk=intel.pk).update(precision_m=250)
    page = client.get(f"/admin/intelligence/intelligencerecord/{intel.pk}/history/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Precision" in body and "250" in body and admin_user.username in body
    event = IntelligenceRecordEvent.objects.filter(pgh_obj_id=intel.pk).last()
    listing = client.get("/admin/intelligence/intelligencerecordevent/")
    assert listing.status_code == 200
    detail = client.get(
        f"/admin/intelligence/intelligencerecordevent/{event.pk}/change/"
    )
    assert detail.status_code == 200 and "10 → 250" in detail.content.decode()
    assert (
        client.get("/admin/intelligence/intelligencerecordevent/add/").status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/intelligence/intelligencerecordevent/{event.pk}/delete/",
            {"post": "yes"},
        ).status_code
        == 403
    )
    assert IntelligenceRecordEvent.objects.filter(pk=event.pk).exists()
