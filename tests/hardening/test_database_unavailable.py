"""A database switching over answers 503 with Retry-After, never a 500, and
the connection that failed is closed so the next request opens a new one."""

import psycopg
import pytest
from django.db import InternalError, OperationalError, ProgrammingError, connection
from django.urls import include, path

pytestmark = pytest.mark.django_db


def _node_gone(request):
    raise OperationalError("connection to server at 127.0.0.1 failed")


def _now_standby(request):
    try:
        raise psycopg.errors.ReadOnlySqlTransaction(
            "cannot execute INSERT in a read-only transaction"
        )
    except psycopg.Error as exc:
        raise InternalError(str(exc)) from exc


def _bad_sql(request):
    raise ProgrammingError("column does not exist")


urlpatterns = [
    path("gone/", _node_gone),
    path("api/v1/gone/", _node_gone),
    path("api/v1/standby/", _now_standby),
    path("api/v1/bad-sql/", _bad_sql),
    path("", include("intel_map.urls")),
]
handler500 = "common.errors.server_error"


@pytest.fixture
def db_client(client, settings, analyst):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(analyst)
    return client


@pytest.mark.parametrize("route", ["/api/v1/gone/", "/api/v1/standby/"])
def test_api_answers_503_with_retry_after(db_client, route):
    response = db_client.get(route)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "nothing was saved" in response.json()["detail"]


def test_pages_answer_503_with_retry_after(db_client):
    response = db_client.get("/gone/")
    assert response.status_code == 503 and response["Retry-After"]
    assert "switching over" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_read_only_primary_connection_is_closed(db_client):
    # Outside a test transaction, which a close would only mark as broken.
    connection.ensure_connection()
    db_client.get("/api/v1/standby/")
    assert connection.connection is None


def test_other_database_errors_stay_500(db_client):
    response = db_client.get("/api/v1/bad-sql/")
    assert response.status_code == 500 and "Retry-After" not in response
