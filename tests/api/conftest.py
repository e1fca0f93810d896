import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client_for():
    """An API client signed in as the given user (session auth)."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
