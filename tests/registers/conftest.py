import pytest
from django.test import Client

from tests import factories


@pytest.fixture
def page_client():
    """A browser-like client signed in as the user, with the session's
    reason for consulting intelligence given (unless told not to)."""

    def make(user, *, justified: bool = True) -> Client:
        client = Client()
        client.force_login(user)
        if justified:
            factories.justify(client)
        return client

    return make
