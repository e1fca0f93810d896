"""The two database roles: the owner, which runs migrations and owns every
table, and the application's role, which the web process and its workers
connect as (settings: DATABASE_OWNER_URL and DATABASE_URL).

The application's role gets only what the application does: rows read,
added, changed and deleted on ordinary tables; on the append-only tables (the
access log, every history table, retention decisions, sign-in lock-outs) only
INSERT and SELECT. It owns nothing, so it cannot ALTER, disable or drop a
trigger, and it holds neither TRUNCATE nor TRIGGER anywhere. The one way it
removes history is `intelligence_history_dispose()`, a function the owner
defines that deletes only the history of a record already disposed of.

`grants_apply()` runs, as the owner, after every `migrate` (audit.apps) and
from `manage.py db_roles`; it is idempotent and one round trip.
"""

from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import connections
from psycopg import sql

# Besides every pghistory event table. Named as app_label.ModelName.
APPEND_ONLY_MODELS = (
    "audit.AccessLogEntry",
    "intelligence.RecordReview",
    "accounts.SignInEvent",
    "people.SubjectConsultation",
    "people.SubjectReview",
    "people.LinkRemoval",
    "accounts.ApiTokenUse",
)
# Functions the owner defines for the application's role to call.
APP_FUNCTIONS = (
    "intelligence_history_dispose(bigint)",
    "people_history_dispose(bigint)",
    # Run by the records' trigger as the role that writes the record.
    "people_record_mentions()",
    "people_record_mentions_removed()",
)
_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def app_role() -> str:
    return settings.DATABASE_APP["USER"]


def owner_role() -> str:
    return settings.DATABASE_OWNER["USER"]


def roles_are_split() -> bool:
    return app_role() != owner_role()


def append_only_tables() -> list[str]:
    import pghistory.models

    tables = {
        apps.get_model(label)._meta.db_table
        for label in APPEND_ONLY_MODELS
        if _model_exists(label)
    }
    tables.update(
        m._meta.db_table
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and not m._meta.abstract
    )
    return sorted(tables)


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _grants_sql(*, app: str, owner: str) -> sql.Composed:
    """One DO block: privileges on every table the owner has in `public`,
    whatever migrations made, so a new table is covered by the next run."""
    app_id, owner_id = sql.Identifier(app), sql.Identifier(owner)
    appendonly = sql.SQL(",").join(sql.Literal(t) for t in append_only_tables())
    functions = sql.SQL(",").join(sql.Literal(f) for f in APP_FUNCTIONS)
    return sql.SQL(
        """
        DO $grants$
        DECLARE t record;
        BEGIN
          -- Nobody but the owner makes objects (PostgreSQL 15's default; a
          -- database from an older server may still allow it).
          BEGIN
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
          EXCEPTION WHEN insufficient_privilege THEN NULL;
          END;
          GRANT USAGE ON SCHEMA public TO {app};
          FOR t IN
            SELECT c.relname, c.relkind FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                              AND d.deptype = 'e')
          LOOP
            IF t.relkind = 'S' THEN
              EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %I TO %I',
                             t.relname, {app_text});
              CONTINUE;
            END IF;
            EXECUTE format('REVOKE ALL ON TABLE %I FROM %I', t.relname, {app_text});
            IF t.relname = ANY(ARRAY[{appendonly}]::text[]) THEN
              EXECUTE format('GRANT SELECT, INSERT ON TABLE %I TO %I',
                             t.relname, {app_text});
            ELSE
              EXECUTE format(
                'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I TO %I',
                t.relname, {app_text});
            END IF;
          END LOOP;
          -- PostGIS's reference table: read only.
          IF to_regclass('public.spatial_ref_sys') IS NOT NULL THEN
            GRANT SELECT ON TABLE spatial_ref_sys TO {app};
          END IF;
          FOR t IN SELECT unnest(ARRAY[{functions}]::text[]) AS relname LOOP
            IF to_regprocedure('public.' || t.relname) IS NOT NULL THEN
              EXECUTE format('REVOKE ALL ON FUNCTION public.%s FROM PUBLIC',
                             t.relname);
              EXECUTE format('GRANT EXECUTE ON FUNCTION public.%s TO %I',
                             t.relname, {app_text});
            END IF;
          END LOOP;
          -- Tables made later (the cache table, a new migration's) start with
          -- row privileges; the next run narrows the append-only ones.
          ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
          ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
            GRANT USAGE, SELECT ON SEQUENCES TO {app};
        END
        $grants$;
        """
    ).format(
        app=app_id,
        owner=owner_id,
        app_text=sql.Literal(app),
        appendonly=appendonly,
        functions=functions,
    )


def grants_apply(*, using: str = "default") -> bool:
    """Give the application's role its privileges, run as the owner. Returns
    False (and does nothing) with one role, or on the app's own connection."""
    connection = connections[using]
    if not roles_are_split() or connection.settings_dict["USER"] != owner_role():
        return False
    with connection.cursor() as cur:
        cur.execute(_grants_sql(app=app_role(), owner=owner_role()).as_string())
    return True


def credentials_of(role: dict) -> dict:
    return {key: role.get(key) for key in _CREDENTIALS}


@contextmanager
def connected_as(role: dict, *, using: str = "default"):
    """Reconnect `using` with another role's credentials (same database name),
    then back: the test runner and the bench make their databases as the
    owner and run the product as the application's role."""
    connection = connections[using]
    before = credentials_of(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(credentials_of(role))
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(before)


@checks.register(checks.Tags.security, deploy=True)
def roles_split_check(app_configs=None, **kwargs):
    if roles_are_split():
        return []
    return [
        checks.Warning(
            "The application connects as the role that owns the tables, so it "
            "could disable the access log's triggers.",
            hint="Set DATABASE_OWNER_URL to the owner role and DATABASE_URL to "
            "a role without ownership (README, Database roles).",
            id="intel_map.W001",
        )
    ]
