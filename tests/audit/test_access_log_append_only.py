"""The access log is append-only in the database itself, for every role."""

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError

from audit.models import AccessLogEntry
from audit.services import access_log_write
from tests.conftest import owner_connect

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(analyst):
    return access_log_write(
        user=analyst,
        action="opened",
        what="Intelligence API: record",
        route="/api/v1/intelligence/7/",
        record_ids=[7],
        justification="Checking a referral",
        ip="127.0.0.1",
    )


def _refused(sql: str, params=None) -> str:
    with pytest.raises(ProgrammingError) as exc, transaction.atomic():
        with connection.cursor() as cur:
            # The test's own insert left its deferred foreign-key check
            # pending, which TRUNCATE would refuse before the trigger runs.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(sql, params)
    return str(exc.value)


@pytest.fixture
def as_owner():
    """A cursor as the role that owns the table, in a transaction rolled back
    after the test, with one user and one log entry of its own: the triggers
    refuse even the owner, who alone holds UPDATE, DELETE and TRUNCATE."""
    # The owner's TRUNCATE would wait for the test's own transaction: give up
    # at once instead (the test then fails rather than hangs).
    with owner_connect() as conn, conn.cursor() as cur:
        cur.execute("SET lock_timeout = '5s'")
        cur.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name,"
            " last_name, email, is_staff, is_active, date_joined)"
            " VALUES ('!', false, 'owner-test', '', '', '', false, true, now())"
            " RETURNING id"
        )
        (user_id,) = cur.fetchone()
        cur.execute(
            "INSERT INTO audit_accesslogentry (at, user_id, username, action, what,"
            " route, record_ids, count, justification) VALUES (now(), %s,"
            " 'owner-test', 'opened', 'x', '/', '{7}', 1, 'Checking a referral')",
            [user_id],
        )
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield cur
        conn.rollback()


def _refused_as_owner(cur, sql: str, params=None) -> str:
    cur.execute("SAVEPOINT attempt")
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
        cur.execute(sql, params)
    cur.execute("ROLLBACK TO SAVEPOINT attempt")
    cur.execute("SELECT justification, record_ids FROM audit_accesslogentry")
    assert cur.fetchall() == [("Checking a referral", [7])]
    return str(exc.value)


@pytest.mark.parametrize(
    "sql, params",
    [
        ("UPDATE audit_accesslogentry SET justification = %s", ["rewritten"]),
        ("UPDATE audit_accesslogentry SET record_ids = '{}'", None),
        ("DELETE FROM audit_accesslogentry", None),
        ("TRUNCATE audit_accesslogentry", None),
    ],
)
def test_raw_sql_cannot_change_or_remove_the_log(as_owner, sql, params):
    assert "append-only" in _refused_as_owner(as_owner, sql, params)


@pytest.mark.parametrize(
    "sql, params",
    [
        ("UPDATE audit_accesslogentry SET justification = %s", ["rewritten"]),
        ("DELETE FROM audit_accesslogentry", None),
        ("TRUNCATE audit_accesslogentry", None),
    ],
)
def test_the_application_role_is_refused_before_the_triggers(entry, sql, params):
    # It holds no UPDATE, DELETE or TRUNCATE (test_database_roles.py).
    assert "permission denied" in _refused(sql, params)
    entry.refresh_from_db()
    assert entry.justification == "Checking a referral"
    assert entry.record_ids == [7]


def test_the_orm_cannot_either(entry):
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="nothing")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "Intelligence API: record"


def test_pgtriggers_ignore_switch_does_not_open_it(as_owner):
    """pgtrigger's own triggers skip themselves when a session asks; these do
    not, so two statements of plain SQL cannot rewrite the log."""
    pgids = [t.get_pgid(AccessLogEntry) for t in AccessLogEntry._meta.triggers]
    as_owner.execute(
        "SELECT set_config('pgtrigger.ignore', %s, false)",
        ["{" + ",".join(pgids) + "}"],
    )
    assert "append-only" in _refused_as_owner(
        as_owner, "DELETE FROM audit_accesslogentry"
    )


def test_triggers_are_installed_and_enabled():
    with connection.cursor() as cur:
        cur.execute(
            "SELECT tgname, tgenabled FROM pg_trigger "
            "WHERE tgrelid = 'audit_accesslogentry'::regclass AND NOT tgisinternal"
        )
        rows = dict(cur.fetchall())
    assert len(rows) == 2 and set(rows.values()) == {"O"}


def test_inserting_still_works_and_stamps_utc(entry):
    assert entry.at.utcoffset().total_seconds() == 0
    assert AccessLogEntry.objects.count() == 1


def test_a_consultation_needs_its_reason_in_the_database(analyst):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogEntry.objects.create(
            user=analyst, username="analyst", action="listed", what="x", route="/"
        )
    # A refused attempt may come without one.
    AccessLogEntry.objects.create(
        user=analyst, username="analyst", action="denied", what="x", route="/"
    )
