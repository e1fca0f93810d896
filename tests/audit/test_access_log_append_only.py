"""The access log is append-only in the database itself, for every role."""

import pgtrigger
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError

from audit.models import AccessLogEntry
from audit.services import access_log_write

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


@pytest.mark.parametrize(
    "sql, params",
    [
        ("UPDATE audit_accesslogentry SET justification = %s", ["rewritten"]),
        ("UPDATE audit_accesslogentry SET record_ids = '{}'", None),
        ("DELETE FROM audit_accesslogentry", None),
        ("TRUNCATE audit_accesslogentry", None),
    ],
)
def test_raw_sql_cannot_change_or_remove_the_log(entry, sql, params):
    message = _refused(sql, params)
    assert "append-only" in message
    entry.refresh_from_db()
    assert entry.justification == "Checking a referral"
    assert entry.record_ids == [7]


def test_the_orm_cannot_either(entry):
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(what="nothing")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).what == "Intelligence API: record"


def test_pgtriggers_ignore_switch_does_not_open_it(entry):
    """pgtrigger's own triggers skip themselves when a session asks; these do
    not, so two statements of plain SQL cannot rewrite the log."""
    names = [f"audit.AccessLogEntry:{t.name}" for t in AccessLogEntry._meta.triggers]
    with pgtrigger.ignore(*names):
        message = _refused("DELETE FROM audit_accesslogentry")
    assert "append-only" in message
    pgids = [t.get_pgid(AccessLogEntry) for t in AccessLogEntry._meta.triggers]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT set_config('pgtrigger.ignore', %s, false)",
            ["{" + ",".join(pgids) + "}"],
        )
    try:
        assert "append-only" in _refused("DELETE FROM audit_accesslogentry")
    finally:
        with connection.cursor() as cur:
            cur.execute("RESET pgtrigger.ignore")
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


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
