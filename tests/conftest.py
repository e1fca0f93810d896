import os
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.db.backends.postgresql.operations import DatabaseOperations
from rest_framework.test import APIClient

from accounts.roles import (
    ADMINISTRATOR,
    ANALYST,
    COMMUNITY_SAFETY_OFFICER,
    LICENSING_OFFICER,
    PARTNER,
    TASKING_OFFICER,
)
from common.db import roles as db_roles

from . import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls made by tests alongside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
# ../shared/realdata beside the checkout; INTEL_MAP_REALDATA points elsewhere.
REALDATA = Path(
    os.environ.get("INTEL_MAP_REALDATA", REPO.parent / "shared" / "realdata")
)
CHROMIUM = "/usr/bin/chromium"


ACCESS_LOG_TABLE = "audit_accesslogentry"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """The test database is made, migrated and dropped by the owner role (it
    needs CREATEDB and the PostGIS extension): DATABASE_OWNER_URL's."""
    from django.db import connections

    connections["default"].settings_dict.update(
        db_roles.credentials_of(settings.DATABASE_OWNER)
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Then every test runs as the application's role (DATABASE_URL's), as the
    web process does: what it may not do to the access log and the history
    tables is what the product may not (tests/audit/test_database_roles.py)."""
    from django.db import connections

    connection = connections["default"]
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(db_roles.credentials_of(settings.DATABASE_APP))
    yield
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict.update(
            db_roles.credentials_of(settings.DATABASE_OWNER)
        )


# Under pytest-xdist (scripts/test.sh) each worker has its own test database,
# but these folders' tests share something cluster-wide, so they run on one
# worker, one test after another: tests/db the one streaming standby (its port
# derived from the primary's), whose replay a test pauses, and the app servers
# on ports derived from it; tests/ops creates and drops a database, which fails
# the standby's pg_basebackup if it happens while the cluster is being copied.
CLUSTER_WIDE = ("tests/db/", "tests/ops/")


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, grouping by folder. xdist's own loadgroup names a
    test's group by rewriting Node._nodeid, which pytest 9 no longer reads
    (Node._id), so its xdist_group marks group nothing."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ClusterWideTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "cluster-wide" if nodeid.startswith(CLUSTER_WIDE) else nodeid

    return ClusterWideTogether(config, log)


def owner_connect(**kwargs) -> psycopg.Connection:
    """A connection to the test database as the owner role, for what only
    the owner may do (emptying tables between transactional tests)."""
    from django.db import connection

    owner = settings.DATABASE_OWNER
    return psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=owner["USER"],
        password=owner["PASSWORD"] or None,
        host=owner["HOST"] or None,
        port=owner["PORT"] or None,
        **kwargs,
    )


@pytest.fixture(scope="session", autouse=True)
def _flush_as_owner():
    """Transactional tests end with Django's flush, one TRUNCATE of every
    table. The application's role holds no TRUNCATE, and the append-only
    access log refuses it whoever asks, so the owner runs the flush and sets
    the log's triggers aside for that statement only: DDL by the table's
    owner, the one way round them (README, "Access log")."""
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        sql = original(self, style, tables, **kwargs)
        # The access log and the other tables whose triggers refuse TRUNCATE
        # (the token-use log, sign-in lock-outs: common.db.roles).
        from django.apps import apps

        guarded = [ACCESS_LOG_TABLE] + [
            apps.get_model(label)._meta.db_table
            for label in db_roles.APPEND_ONLY_MODELS
        ]
        guarded = [t for t in dict.fromkeys(guarded) if t in tables]
        if not guarded or not sql:
            return sql
        return [
            *(f"ALTER TABLE {t} DISABLE TRIGGER USER" for t in guarded),
            *sql,
            *(f"ALTER TABLE {t} ENABLE TRIGGER USER" for t in guarded),
        ]

    def execute_sql_flush(self, sql_list):
        with owner_connect() as conn, conn.cursor() as cur:
            for statement in sql_list:
                cur.execute(statement)

    with (
        mock.patch.object(DatabaseOperations, "sql_flush", sql_flush),
        mock.patch.object(DatabaseOperations, "execute_sql_flush", execute_sql_flush),
    ):
        yield


# API clients say why they consult intelligence with each request (the
# access log, DPA 2018 s.62); tests of that requirement pass justification=None.
API_JUSTIFICATION = "Test suite: checking the API answers"


@pytest.fixture
def client_for():
    """An API client signed in as the given user (forced authentication),
    sending the X-Justification header unless told otherwise. With
    `session=True`, a real signed-in session instead, as exports need one
    that has just given its password (accounts/reauth.py)."""

    def make(
        user, *, justification: str | None = API_JUSTIFICATION, session: bool = False
    ):
        client = APIClient()
        if session:
            client.force_login(user)
        else:
            client.force_authenticate(user)
        if justification is not None:
            client.credentials(HTTP_X_JUSTIFICATION=justification)
        return client

    return make


@pytest.fixture
def area(db):
    return factories.make_area()


@pytest.fixture
def location(area):
    return factories.make_location()


@pytest.fixture
def intel(location):
    record = factories.make_record()
    record.location_links.create(location=location, link_type="occurred_at")
    return record


@pytest.fixture
def analyst(db):
    return factories.make_user(ANALYST, "analyst")


@pytest.fixture
def tasking_officer(db):
    return factories.make_user(TASKING_OFFICER, "tasker", rank="inspector")


@pytest.fixture
def licensing_officer(db):
    return factories.make_user(LICENSING_OFFICER, "licensing")


@pytest.fixture
def safety_officer(db):
    return factories.make_user(COMMUNITY_SAFETY_OFFICER, "safety")


@pytest.fixture
def admin_user(db):
    return factories.make_user(ADMINISTRATOR, "admin")


@pytest.fixture
def partner(db):
    """A youth worker who reports but may not read (submit only)."""
    return factories.make_user(PARTNER, "youthworker")


@pytest.fixture
def users(analyst, tasking_officer, licensing_officer, safety_officer, admin_user):
    return {
        ANALYST: analyst,
        TASKING_OFFICER: tasking_officer,
        LICENSING_OFFICER: licensing_officer,
        COMMUNITY_SAFETY_OFFICER: safety_officer,
        ADMINISTRATOR: admin_user,
    }


@pytest.fixture
def realdata():
    if not REALDATA.is_dir():
        pytest.skip(f"real data not present at {REALDATA}")
    return REALDATA


# --- Browser tests: Debian's Chromium, never a downloaded browser -----------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(page, live_server):
    """Sign a user in through the real form, as a person would."""

    def go(
        user,
        password: str = factories.TEST_PASSWORD,
        next_url: str = "/",
        reason: str | None = None,
    ):
        page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if reason is not None:
            # The session's reason for consulting intelligence, given on the
            # justification page as a person would, once per session.
            page.goto(f"{live_server.url}/access/justify/?next={next_url}")
            page.fill("#id_justification", reason)
            page.click("#justify-form button[type=submit]")
            page.wait_for_load_state("networkidle")
        return page

    return go
