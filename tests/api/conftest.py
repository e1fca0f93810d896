import pytest
from rest_framework.test import APIClient

# API clients say why they consult intelligence with each request (the
# access log, DPA 2018 s.62); tests of that requirement pass justification=None.
API_JUSTIFICATION = "Test suite: checking the API answers"


@pytest.fixture
def client_for():
    """An API client signed in as the given user (forced authentication),
    sending the X-Justification header unless told otherwise."""

    def make(user, *, justification: str | None = API_JUSTIFICATION):
        client = APIClient()
        client.force_authenticate(user)
        if justification is not None:
            client.credentials(HTTP_X_JUSTIFICATION=justification)
        return client

    return make
