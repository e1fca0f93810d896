import pytest

from accounts.roles import ALL_ROLES
from demo.users import DEMO_PASSWORD, demo_users_ensure

pytestmark = pytest.mark.django_db


def test_every_demo_user_signs_in_with_the_printed_password(client):
    users = demo_users_ensure()
    assert sorted(u["role"] for u in users) == sorted(ALL_ROLES)
    for u in users:
        client.logout()
        response = client.post(
            "/accounts/login/",
            {"username": u["user"].username, "password": DEMO_PASSWORD},
        )
        assert response.status_code == 302, u["user"].username
        assert client.get("/").status_code == 200
        assert u["user"].groups.get().name == u["role"]


def test_demo_users_are_reset_not_duplicated():
    first = demo_users_ensure()
    second = demo_users_ensure()
    assert [u["user"].pk for u in first] == [u["user"].pk for u in second]
