import pytest
from rest_framework.test import APIClient

from audit.models import AccessLogEntry

API_REASON = "Operation Harbour: hotel enquiries"


@pytest.fixture
def api_for():
    """A token-style API client: forced authentication, no session; the
    reason, when given, travels in the X-Justification header."""

    def make(user, *, justification: str | None = API_REASON):
        client = APIClient()
        client.force_authenticate(user)
        if justification is not None:
            client.credentials(HTTP_X_JUSTIFICATION=justification)
        return client

    return make


@pytest.fixture
def log():
    """The access log's entries, oldest first."""
    return lambda: list(AccessLogEntry.objects.order_by("id"))
