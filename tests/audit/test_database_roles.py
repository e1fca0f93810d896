"""The application's database role cannot change the access log or the change
history, whatever SQL it sends: it has INSERT and SELECT there and nothing
else, owns no table, and cannot step round the triggers. The tests run as that
role, as the web process does (tests/conftest.py)."""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.models import AccessLogEntry
from audit.services import access_log_write
from common.db import roles as db_roles
from locations.models import LocationEvent
from tests import factories

pytestmark = pytest.mark.django_db

ACCESS_LOG = AccessLogEntry._meta.db_table
HISTORY = sorted(set(db_roles.append_only_tables()) - {ACCESS_LOG})


@pytest.fixture
def logged(analyst):
    """An access-log row and a history row, so a refused change has something
    to change."""
    entry = access_log_write(
        user=analyst,
        action="opened",
        what="Intelligence API: record",
        route="/api/v1/intelligence/7/",
        record_ids=[7],
        justification="Checking a referral",
    )
    location = factories.make_location()
    return entry, location


def _refused(statement: str) -> str:
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(statement)
    return str(exc.value)


def test_the_tests_run_as_the_application_role():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT current_user, session_user, rolsuper, rolcreatedb, rolcreaterole,"
            " rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        row = cur.fetchone()
    assert row == (db_roles.app_role(), db_roles.app_role(), False, False, False, False)
    assert db_roles.app_role() != db_roles.owner_role()
    assert settings.DATABASE_APP["USER"] == db_roles.app_role()


def test_history_tables_are_found():
    # Every tracked model's history, and the retention decisions.
    assert "locations_locationevent" in HISTORY
    assert "intelligence_intelligencerecordevent" in HISTORY
    assert "intelligence_recordreview" in HISTORY
    assert len(HISTORY) >= 10


def test_the_application_role_owns_nothing_and_holds_no_trigger_or_truncate():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cur.fetchone()[0] == 0
        cur.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
            " AND c.relkind = 'r' AND (has_table_privilege(c.oid, 'TRIGGER')"
            " OR has_table_privilege(c.oid, 'TRUNCATE')"
            " OR has_table_privilege(c.oid, 'REFERENCES'))"
        )
        assert cur.fetchall() == []
        cur.execute(
            "SELECT relname, has_table_privilege(oid, 'INSERT'),"
            " has_table_privilege(oid, 'SELECT'), has_table_privilege(oid, 'UPDATE'),"
            " has_table_privilege(oid, 'DELETE') FROM pg_class"
            " WHERE relname = ANY(%s)",
            [[ACCESS_LOG, *HISTORY]],
        )
        rows = cur.fetchall()
    assert len(rows) == len(HISTORY) + 1
    assert {r[1:] for r in rows} == {(True, True, False, False)}


ATTACKS = {
    "update": ("UPDATE {t} SET id = id", "permission denied"),
    "delete": ("DELETE FROM {t}", "permission denied"),
    "truncate": ("TRUNCATE {t}", "permission denied"),
    "disable trigger": ("ALTER TABLE {t} DISABLE TRIGGER ALL", "must be owner"),
    "disable user triggers": ("ALTER TABLE {t} DISABLE TRIGGER USER", "must be owner"),
    "owner": ("ALTER TABLE {t} OWNER TO CURRENT_USER", "must be owner"),
    "add column": ("ALTER TABLE {t} ADD COLUMN x int", "must be owner"),
    "drop table": ("DROP TABLE {t}", "must be owner"),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_change_to_the_log_and_history_is_refused(logged, attack):
    statement, expected = ATTACKS[attack]
    for table in [ACCESS_LOG, *HISTORY]:
        message = _refused(statement.format(t=table))
        assert expected in message, (table, message)
    entry, location = logged
    entry.refresh_from_db()
    assert entry.justification == "Checking a referral"
    assert LocationEvent.objects.filter(pgh_obj_id=location.pk).count() == 1


def test_dropping_a_trigger_is_refused(logged):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c"
            " ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relname = ANY(%s)",
            [[ACCESS_LOG, *HISTORY]],
        )
        triggers = cur.fetchall()
    # The access log's two, and an append-only trigger on every history table.
    assert {t for t, _ in triggers} >= {ACCESS_LOG, "locations_locationevent"}
    for table, trigger in triggers:
        assert "must be owner" in _refused(f'DROP TRIGGER "{trigger}" ON {table}')


def test_replica_mode_which_skips_triggers_is_refused(logged):
    message = _refused("SET session_replication_role = replica")
    assert "permission denied to set parameter" in message
    with connection.cursor() as cur:
        cur.execute("SHOW session_replication_role")
        assert cur.fetchone()[0] == "origin"


def test_a_security_definer_function_cannot_be_made(logged):
    message = _refused(
        "CREATE FUNCTION public.rewrite_log() RETURNS void LANGUAGE sql"
        f" SECURITY DEFINER AS 'DELETE FROM {ACCESS_LOG}'"
    )
    assert "permission denied for schema public" in message


def test_a_security_definer_function_of_its_own_gains_nothing(logged):
    """The one schema it may make functions in is its own temporary one, and
    such a function runs with its maker's rights: still refused."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE FUNCTION pg_temp.rewrite_log() RETURNS void LANGUAGE sql"
            f" SECURITY DEFINER AS 'DELETE FROM public.{ACCESS_LOG}'"
        )
    assert "permission denied" in _refused("SELECT pg_temp.rewrite_log()")
    assert AccessLogEntry.objects.count() == 1


def test_no_role_can_be_assumed(logged):
    message = _refused(f'SET ROLE "{db_roles.owner_role()}"')
    assert "permission denied to set role" in message


def test_history_of_a_record_not_disposed_of_stays(logged):
    record = factories.make_record()
    message = _refused(f"SELECT intelligence_history_dispose({record.pk})")
    assert "has not been disposed of" in message
    message = _refused("SELECT intelligence_history_dispose(987654321)")
    assert "has not been disposed of" in message
