import pytest

from audit.models import AccessLogEntry


@pytest.fixture
def log():
    """The access log's entries, oldest first."""
    return lambda: list(AccessLogEntry.objects.order_by("id"))
