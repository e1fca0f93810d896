"""Premises added and edited in the browser; the premises register."""

import csv
import io

import pytest
from django.urls import reverse

from locations.models import Location, Postcode
from tests import factories

pytestmark = pytest.mark.django_db

NEW = reverse("location-new")
REGISTER = reverse("location-register")
REASON = "Licensing committee papers for March"


@pytest.fixture
def postcode(db):
    return Postcode.objects.create(
        postcode="CV12AB", point=factories.geom("POINT(-1.5050 52.4060)")
    )


@pytest.fixture
def quiet_house(db):
    """A children's home: its address and postcode are withheld."""
    return factories.make_location(
        name="Quiet House",
        category="childrens_home",
        postcode="CV3 3QQ",
        address="1 Hidden Row",
    )


def _form(**extra) -> dict:
    return {
        "name": "Station Lodge",
        "category": "hotel",
        "address": "2 Station Road, Coventry",
        "postcode": "cv1 2ab",
        **extra,
    }


def test_a_licensing_officer_adds_premises_placed_by_postcode(
    page_client, licensing_officer, postcode
):
    response = page_client(licensing_officer).post(NEW, _form(fhrs_id="123456"))
    assert response.status_code == 302
    loc = Location.objects.get(name="Station Lodge")
    assert response["Location"] == loc.get_absolute_url()
    assert loc.postcode == "CV1 2AB"
    assert (round(loc.point.x, 4), round(loc.point.y, 4)) == (-1.505, 52.406)
    assert loc.fhrs_id == "123456"
    assert loc.area_ids is not None


def test_the_pin_as_moved_wins_over_the_postcode(
    page_client, licensing_officer, postcode
):
    page_client(licensing_officer).post(NEW, _form(lon="-1.5060", lat="52.4065"))
    loc = Location.objects.get(name="Station Lodge")
    assert (round(loc.point.x, 4), round(loc.point.y, 4)) == (-1.506, 52.4065)


def test_an_unknown_postcode_without_a_pin_is_refused(page_client, licensing_officer):
    response = page_client(licensing_officer).post(NEW, _form(postcode="ZZ9 9ZZ"))
    assert response.status_code == 400
    assert "not in the postcode table" in response.content.decode()
    assert not Location.objects.filter(name="Station Lodge").exists()


def test_postcode_lookup_for_the_pin(page_client, licensing_officer, postcode):
    client = page_client(licensing_officer)
    url = reverse("location-postcode")
    assert client.get(url, {"postcode": "CV1 2AB"}).json() == {
        "point": [pytest.approx(-1.505), pytest.approx(52.406)]
    }
    assert client.get(url, {"postcode": "ZZ1 1ZZ"}).status_code == 404


@pytest.mark.parametrize(
    "held, typed",
    [
        ({"fhrs_id": "998877", "name": "Other name"}, {"fhrs_id": "998877"}),
        (
            {"premises_licence_number": "PL/77", "name": "Other name"},
            {"premises_licence_number": "pl/77"},
        ),
        # The same name 30 m away.
        (
            {
                "name": "Station Lodge",
                "point": factories.geom("POINT(-1.5050 52.4063)"),
            },
            {},
        ),
    ],
)
def test_a_likely_duplicate_is_warned_and_nothing_saved(
    page_client, licensing_officer, postcode, held, typed
):
    existing = factories.make_location(**held)
    client = page_client(licensing_officer)
    response = client.post(NEW, _form(**typed))
    assert response.status_code == 200
    text = response.content.decode()
    assert "This may already be held" in text
    assert f'href="{existing.get_absolute_url()}"' in text
    assert Location.objects.count() == 1
    # Confirmed a different place, it is saved.
    response = client.post(NEW, _form(**typed, not_duplicate="on"))
    assert response.status_code == 302
    assert Location.objects.count() == 2


def test_the_same_name_further_than_50_m_is_no_duplicate(
    page_client, licensing_officer, postcode
):
    factories.make_location(
        name="Station Lodge", point=factories.geom("POINT(-1.5050 52.4070)")
    )
    response = page_client(licensing_officer).post(NEW, _form())
    assert response.status_code == 302


def test_two_editors_at_once_the_second_gets_the_conflict(
    page_client, licensing_officer, admin_user
):
    loc = factories.make_location(name="Late Grill", category="takeaway")
    edit = reverse("location-edit", args=[loc.pk])
    base = {
        "name": "Late Grill",
        "category": "takeaway",
        "postcode": "CV1 1AA",
        "lon": loc.point.x,
        "lat": loc.point.y,
        "version": loc.version,
    }
    first = page_client(admin_user).post(edit, {**base, "licence_holder": "A Ltd"})
    assert first.status_code == 302
    second = page_client(licensing_officer).post(
        edit, {**base, "licence_holder": "B Ltd"}
    )
    assert second.status_code == 409
    text = second.content.decode()
    assert "changed by someone else" in text
    assert 'value="B Ltd"' in text  # what they typed is still on the form
    loc.refresh_from_db()
    assert loc.licence_holder == "A Ltd"


def test_a_protected_place_cannot_be_edited_by_licensing(
    page_client, licensing_officer
):
    home = factories.make_location(category="childrens_home", address="5 Quiet Way")
    response = page_client(licensing_officer).get(
        reverse("location-edit", args=[home.pk])
    )
    assert response.status_code == 404


def test_other_roles_may_not_add_premises(page_client, analyst, safety_officer):
    for user in (analyst, safety_officer):
        assert page_client(user).get(NEW).status_code == 403


def test_register_filters(page_client, licensing_officer):
    factories.make_location(
        name="Kebab Palace",
        category="takeaway",
        premises_licence_number="PL/1",
        fhrs_id="555",
        postcode="CV2 4XY",
    )
    factories.make_location(name="Grand Hotel", postcode="CV1 1AA")
    client = page_client(licensing_officer)

    def names(**query):
        text = client.get(REGISTER, query).content.decode()
        return {n for n in ("Kebab Palace", "Grand Hotel") if n in text}

    assert names() == {"Kebab Palace", "Grand Hotel"}
    assert names(name="kebab") == {"Kebab Palace"}
    assert names(category="hotel") == {"Grand Hotel"}
    assert names(licence="PL/1") == {"Kebab Palace"}
    assert names(fhrs_id="555") == {"Kebab Palace"}
    assert names(postcode="cv24") == {"Kebab Palace"}
    assert names(flagged="true") == set()


def test_a_protected_place_is_not_found_by_its_postcode(
    page_client, analyst, quiet_house
):
    client = page_client(analyst)
    assert (
        "Quiet House"
        not in client.get(REGISTER, {"postcode": "CV3 3QQ"}).content.decode()
    )
    text = client.get(REGISTER).content.decode()
    assert (
        "Quiet House" in text and "1 Hidden Row" not in text and "CV3 3QQ" not in text
    )


def test_register_csv_export_withholds_protected_addresses(
    page_client, analyst, quiet_house
):
    factories.make_location(name="+Plus Bar", category="licensed_premises")
    response = page_client(analyst).get(
        REGISTER, {"_export": "csv", "justification": REASON}
    )
    assert response.status_code == 200
    body = response.content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert "'+Plus Bar" in [r[0] for r in rows]
    assert "1 Hidden Row" not in body and "CV3 3QQ" not in body
