"""Triggers that make the access log append-only in the database itself.

pgtrigger's own triggers skip themselves when the session sets
`pgtrigger.ignore` (any role may set that variable), which would let the
application's role rewrite the log with two statements of plain SQL. These
triggers are compiled without that escape: the only way round them is DDL
(dropping or disabling the trigger), which a migration or an operator does
in the open, never an UPDATE or DELETE.
"""

import pgtrigger
from pgtrigger import compiler

APPEND_ONLY_MESSAGE = (
    "The access log is append-only (Data Protection Act 2018 s.62): % on % refused."
)


class UnignorableTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's installation SQL without the `pgtrigger.ignore` check."""

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class RefuseChange(pgtrigger.Trigger):
    """Raise on the given operation, whoever runs it."""

    when = pgtrigger.Before
    func = (
        f"RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}', TG_OP, TG_TABLE_NAME "
        "USING ERRCODE = 'insufficient_privilege';"
    )

    def compile(self, model) -> compiler.Trigger:
        compiled = super().compile(model)
        return compiler.Trigger(
            name=compiled.name, sql=UnignorableTriggerSql(**compiled.sql.kwargs)
        )


def append_only_triggers() -> list[pgtrigger.Trigger]:
    return [
        RefuseChange(
            name="access_log_refuse_update_delete",
            operation=pgtrigger.Update | pgtrigger.Delete,
        ),
        # TRUNCATE fires statement-level triggers only.
        RefuseChange(
            name="access_log_refuse_truncate",
            operation=pgtrigger.Truncate,
            level=pgtrigger.Statement,
        ),
    ]
