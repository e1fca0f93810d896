"""Deactivating a user ends every session they have and revokes their token."""

import pytest
from django.test import Client

from accounts.models import ApiToken, UserSession
from tests import factories

pytestmark = pytest.mark.django_db


def test_deactivating_in_code_ends_sessions_and_token(analyst, safety_officer):
    laptop, phone, other = Client(), Client(), Client()
    laptop.force_login(analyst)
    phone.force_login(analyst)
    other.force_login(safety_officer)
    token = factories.make_token(analyst)
    assert UserSession.objects.filter(user=analyst).count() == 2
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/locations/").status_code == 200

    analyst.is_active = False
    analyst.save()

    assert not UserSession.objects.filter(user=analyst).exists()
    assert not ApiToken.objects.filter(user=analyst).exists()
    assert laptop.get("/").status_code == 302
    assert phone.get("/api/v1/locations/").status_code == 403
    refused = api.get("/api/v1/locations/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Invalid token."
    # Nobody else is signed out.
    assert UserSession.objects.filter(user=safety_officer).count() == 1
    assert other.get("/").status_code == 200


def test_deactivating_in_the_admin_ends_sessions(client, admin_user, analyst):
    session = Client()
    session.force_login(analyst)
    client.force_login(admin_user)
    page = client.get(f"/admin/auth/user/{analyst.pk}/change/")
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and k not in ("password", "groups", "user_permissions")
    }
    data.update(
        {
            "is_active": "",
            "groups": [g.pk for g in analyst.groups.all()],
            "last_login_0": "",
            "date_joined_0": analyst.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": analyst.date_joined.strftime("%H:%M:%S"),
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "1",
            "profile-MIN_NUM_FORMS": "0",
            "profile-MAX_NUM_FORMS": "1",
            "profile-0-id": analyst.profile.pk,
            "profile-0-user": analyst.pk,
            "profile-0-agency": analyst.profile.agency,
            "profile-0-rank": "",
            "profile-0-team": "",
        }
    )
    data.pop("is_active")
    response = client.post(f"/admin/auth/user/{analyst.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    analyst.refresh_from_db()
    assert not analyst.is_active
    assert not UserSession.objects.filter(user=analyst).exists()
    assert session.get("/").status_code == 302


def test_a_session_row_holds_its_user_only_while_signed_in(client, analyst):
    client.force_login(analyst)
    key = client.session.session_key
    assert UserSession.objects.get(session_key=key).user == analyst
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=analyst).exists()
