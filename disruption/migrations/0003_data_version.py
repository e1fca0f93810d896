"""The data version (intelligence.data_version) moves on with every write of
disruption actions and taskings too: area counts and hot spots show them,
and their ETags and cache keys are built from that version."""

from django.db import migrations

TABLES = ("disruption_disruptionaction", "disruption_tasking")


def trigger_sql(table: str) -> str:
    # The function of intelligence/migrations/0010_data_version.py.
    return f"""
        CREATE TRIGGER data_version_bump
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION intelligence_data_version_bump();
    """


class Migration(migrations.Migration):
    dependencies = [
        ("disruption", "0002_change_history"),
        ("intelligence", "0010_data_version"),
    ]

    operations = [
        migrations.RunSQL(
            trigger_sql(table), f"DROP TRIGGER IF EXISTS data_version_bump ON {table}"
        )
        for table in TABLES
    ]
