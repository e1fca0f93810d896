"""The people workspace: adding and editing subjects and vehicles, adding
and removing links, in the browser; who may, what is refused and how."""

from datetime import date, timedelta

import pytest

from audit.models import AccessLogEntry
from intelligence.retention import review_date_for
from people.models import Link, LinkRecord, LinkRemoval, Subject, Vehicle
from people.services import subject_update
from tests import factories

pytestmark = pytest.mark.django_db

NEXT_YEAR = (date.today() + timedelta(days=365)).isoformat()


def _signed_in(client, user):
    client.force_login(user)
    factories.justify(client)
    return client


def _subject_post(**over) -> dict:
    return {
        "kind": "person_of_interest",
        "age_band": "25_34",
        "sex": "male",
        "descriptors": "Tall, shaved head, drives a silver estate",
        "agency": "police",
        "system_ref": "PNC-0001",
        "review_date": NEXT_YEAR,
        "forum": "none",
        **over,
    }


def test_an_analyst_adds_a_person_of_interest(client, analyst):
    page = _signed_in(client, analyst).get("/people/subjects/new/")
    assert page.status_code == 200
    # The review date starts where a record's would: six years on.
    assert review_date_for(date.today()).isoformat() in page.content.decode()
    answer = client.post("/people/subjects/new/", _subject_post())
    subject = Subject.objects.get(system_ref="PNC-0001")
    assert answer.status_code == 302 and answer["Location"].endswith(
        f"/people/subjects/{subject.pk}/"
    )
    assert subject.reference.startswith("S-") and subject.forum == ""
    assert subject.created_by == analyst and subject.version == 1


def test_a_young_person_gets_a_forum_and_nobody_else_does(client, analyst):
    _signed_in(client, analyst)
    client.post(
        "/people/subjects/new/",
        _subject_post(kind="young_person", forum="mace", system_ref="SC-9"),
    )
    assert Subject.objects.get(system_ref="SC-9").forum == "mace"
    answer = client.post(
        "/people/subjects/new/", _subject_post(forum="cmog", system_ref="X")
    )
    assert answer.status_code == 400
    assert (
        "Only a young person at risk is managed by a forum" in answer.content.decode()
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Born 3rd April 1990, tall", "Remove the date of birth"),
        ("Drives a taxi, mobile 07700 900123", "Remove the phone number"),
        ("Contact him at someone@example.com", "Remove the email address"),
    ],
)
def test_descriptors_are_refused_as_the_intake_form_refuses(
    client, analyst, text, said
):
    answer = _signed_in(client, analyst).post(
        "/people/subjects/new/", _subject_post(descriptors=text)
    )
    assert answer.status_code == 400
    assert said in answer.content.decode()
    assert not Subject.objects.exists()


def test_a_system_reference_held_twice_is_refused_in_words(client, analyst):
    _signed_in(client, analyst)
    client.post("/people/subjects/new/", _subject_post())
    answer = client.post("/people/subjects/new/", _subject_post())
    assert answer.status_code == 400
    assert "Another profile already carries" in answer.content.decode()
    assert Subject.objects.count() == 1


def test_read_only_and_uncleared_roles_are_refused(
    client, tasking_officer, licensing_officer, scene
):
    _signed_in(client, tasking_officer)
    assert client.get("/people/subjects/new/").status_code == 403
    assert client.get("/people/vehicles/new/").status_code == 403
    assert client.get(f"/people/subjects/{scene.poi.pk}/edit/").status_code == 403
    assert client.get(f"/people/subjects/{scene.young.pk}/edit/").status_code == 403
    assert client.get("/people/links/new/").status_code == 403
    assert client.post(f"/people/links/{scene.frequents.pk}/remove/").status_code == 403
    _signed_in(client, licensing_officer)
    assert client.get("/people/subjects/new/").status_code == 403
    assert client.get(f"/people/subjects/{scene.poi.pk}/edit/").status_code == 404
    assert client.get(f"/people/vehicles/{scene.car.pk}/edit/").status_code == 404
    assert client.get(f"/people/links/{scene.frequents.pk}/remove/").status_code == 404


def test_an_edit_is_saved_and_logged(client, analyst, scene):
    _signed_in(client, analyst)
    page = client.get(f"/people/subjects/{scene.poi.pk}/edit/")
    assert page.status_code == 200 and "Tall, grey coat" in page.content.decode()
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry.what.startswith("Subject edit")
    answer = client.post(
        f"/people/subjects/{scene.poi.pk}/edit/",
        _subject_post(descriptors="Tall, grey coat, limps", version=1),
    )
    assert answer.status_code == 302
    scene.poi.refresh_from_db()
    assert scene.poi.descriptors == "Tall, grey coat, limps"
    assert scene.poi.version == 2


def test_a_stale_edit_is_refused_and_nothing_is_lost(client, analyst, scene):
    # Someone else saved while this analyst was typing.
    subject_update(subject=scene.poi, version=1, descriptors="Changed by a colleague")
    answer = _signed_in(client, analyst).post(
        f"/people/subjects/{scene.poi.pk}/edit/",
        _subject_post(descriptors="My own words", version=1),
    )
    text = answer.content.decode()
    assert answer.status_code == 409
    assert "changed by someone else while you were editing it" in text
    assert "My own words" in text  # what they typed, still in the form
    assert "Changed by a colleague" in text  # and what is saved now
    scene.poi.refresh_from_db()
    assert scene.poi.descriptors == "Changed by a colleague"


def test_a_vehicle_mark_is_normalised_and_validated(client, analyst):
    _signed_in(client, analyst)
    answer = client.post(
        "/people/vehicles/new/",
        {"registration": "ab12 xyz", "make": "Ford", "colour": "Silver"},
    )
    car = Vehicle.objects.get()
    assert answer.status_code == 302
    assert (car.registration, car.mark_format) == ("AB12XYZ", "current")
    bad = client.post("/people/vehicles/new/", {"registration": "NOT A MARK 1"})
    assert bad.status_code == 400
    assert "is not a UK registration mark" in bad.content.decode()
    again = client.post("/people/vehicles/new/", {"registration": "AB12 XYZ"})
    assert again.status_code == 400
    assert "AB12XYZ is already in the vehicle register" in again.content.decode()
    plate = client.post(
        "/people/vehicles/new/", {"registration": "CD34 EFG", "plate_kind": "hackney"}
    )
    assert "Give the licence plate number" in plate.content.decode()
    assert Vehicle.objects.count() == 1


def test_a_stale_vehicle_edit_is_refused(client, analyst, scene):
    _signed_in(client, analyst)
    url = f"/people/vehicles/{scene.car.pk}/edit/"
    ok = client.post(
        url,
        {"registration": "ab12cde", "make": "Toyota", "model": "Prius", "version": 1},
    )
    assert ok.status_code == 302
    stale = client.post(url, {"registration": "AB12CDE", "make": "Kia", "version": 1})
    assert stale.status_code == 409
    scene.car.refresh_from_db()
    assert (scene.car.model, scene.car.make, scene.car.version) == (
        "Prius",
        "Toyota",
        2,
    )


def test_a_link_is_added_from_a_location_citing_a_record(client, analyst, scene):
    _signed_in(client, analyst)
    page = client.get(f"/people/links/new/?from=location:{scene.hotel_b.pk}")
    assert page.status_code == 200 and "Station Hotel" in page.content.decode()
    answer = client.post(
        f"/people/links/new/?from=location:{scene.hotel_b.pk}",
        {
            "subject": scene.poi.reference,
            "link_type": "seen_at",
            "location": scene.hotel_b.pk,
            "place": "Station Hotel",
            "records": f"{scene.r2.reference}, {scene.r1.reference}",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/locations/{scene.hotel_b.pk}/")
    link = Link.objects.get(link_type="seen_at", subject=scene.poi)
    assert link.location == scene.hotel_b
    assert set(link.records.all()) == {scene.r1, scene.r2}
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert set(entry.record_ids) == {scene.r1.pk, scene.r2.pk}


def test_a_link_names_its_place_by_name_and_asks_when_several_match(
    client, analyst, scene
):
    _signed_in(client, analyst)
    body = {
        "subject": scene.poi.reference,
        "link_type": "works_at",
        "place": "Hotel",
        "records": scene.r1.reference,
    }
    several = client.post("/people/links/new/", body)
    assert several.status_code == 400
    text = several.content.decode()
    assert "Several premises match" in text and 'id="place-choices"' in text
    chosen = client.post("/people/links/new/", {**body, "location": scene.hotel_a.pk})
    assert chosen.status_code == 302
    assert Link.objects.filter(link_type="works_at", location=scene.hotel_a).exists()


def test_a_link_rests_only_on_records_the_user_may_see(client, analyst, scene):
    submitted = factories.make_record(status="awaiting")
    answer = _signed_in(client, analyst).post(
        "/people/links/new/",
        {
            "subject": scene.poi.reference,
            "link_type": "drives",
            "vehicle": "ab12 cde",
            "records": f"{scene.r1.reference} {submitted.reference}",
        },
    )
    assert answer.status_code == 400
    assert (
        f"No graded record you may see has the reference “{submitted.reference}”"
        in (answer.content.decode())
    )
    assert not LinkRecord.objects.filter(record=submitted).exists()


def test_a_vehicle_not_in_the_register_and_a_self_associate_are_refused(
    client, analyst, scene
):
    _signed_in(client, analyst)
    base = {"subject": scene.poi.reference, "records": scene.r1.reference}
    car = client.post(
        "/people/links/new/", {**base, "link_type": "owns", "vehicle": "ZZ99 ZZZ"}
    )
    assert "ZZ99ZZZ is not in the vehicle register" in car.content.decode()
    me = client.post(
        "/people/links/new/",
        {**base, "link_type": "associate", "other_subject": scene.poi.reference},
    )
    assert "A subject is not their own associate" in me.content.decode()


def test_a_bad_start_is_a_400_and_an_unseen_one_a_404(
    client, analyst, tasking_officer, scene
):
    _signed_in(client, analyst)
    assert client.get("/people/links/new/?from=planet:3").status_code == 400
    assert client.get("/people/links/new/?from=subject:999999").status_code == 404


def test_a_removed_link_is_kept_with_who_and_why(client, analyst, scene):
    _signed_in(client, analyst)
    url = f"/people/links/{scene.frequents.pk}/remove/"
    assert client.get(url).status_code == 200
    unsaid = client.post(url, {"reason": "  "})
    assert unsaid.status_code == 400 and "Say why" in unsaid.content.decode()
    answer = client.post(url, {"reason": "Entered against the wrong subject"})
    assert answer.status_code == 302
    assert not Link.objects.filter(pk=scene.frequents.pk).exists()
    removal = LinkRemoval.objects.get()
    assert removal.removed_by == analyst
    assert (removal.subject_id, removal.location_id) == (scene.poi.pk, scene.hotel_a.pk)
    assert removal.record_ids == [scene.r1.pk]
    page = client.get(f"/people/subjects/{scene.poi.pk}/").content.decode()
    assert 'id="removed-links"' in page and "Entered against the wrong subject" in page
    # A mention is the record's own, taken off by editing the record.
    mention = Link.objects.filter(link_type="mentions").first()
    assert client.get(f"/people/links/{mention.pk}/remove/").status_code == 404


def test_buttons_show_for_those_who_may(client, analyst, tasking_officer, scene):
    _signed_in(client, analyst)
    page = client.get(f"/people/subjects/{scene.poi.pk}/").content.decode()
    assert 'id="edit-subject"' in page and 'id="add-link"' in page
    assert "remove-link" in page
    assert 'id="add-subject"' in client.get("/people/subjects/").content.decode()
    assert 'id="add-vehicle"' in client.get("/people/vehicles/").content.decode()
    hotel = client.get(f"/locations/{scene.hotel_a.pk}/").content.decode()
    assert f"from=location%3A{scene.hotel_a.pk}" in hotel
    _signed_in(client, tasking_officer)
    page = client.get(f"/people/subjects/{scene.poi.pk}/").content.decode()
    assert 'id="edit-subject"' not in page and "remove-link" not in page


def test_an_overdue_profile_is_edited_without_moving_its_review(client, analyst, scene):
    """A profile past its review date keeps it through an edit (the review
    decides); a new date must still be in the future."""
    from people.models import Subject

    past = date.today() - timedelta(days=3)
    Subject.objects.filter(pk=scene.poi.pk).update(review_date=past)
    _signed_in(client, analyst)
    url = f"/people/subjects/{scene.poi.pk}/edit/"
    kept = client.post(url, _subject_post(review_date=past.isoformat(), version=1))
    assert kept.status_code == 302
    scene.poi.refresh_from_db()
    assert scene.poi.review_date == past
    moved = client.post(
        url,
        _subject_post(
            review_date=(date.today() - timedelta(days=1)).isoformat(), version=2
        ),
    )
    assert moved.status_code == 400
    assert "The review date must be in the future" in moved.content.decode()
