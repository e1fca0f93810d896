import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

# Tasking officers export what they find in the records register (issue 14's
# journey: find a record by vehicle mark, export the filtered list). Given
# the one permission here, as 0003 does, rather than by a full roles_sync().
EXPORTING_ROLES = ["Tasking officer"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("intelligence")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="intelligence", codename="export_records"
    )
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=EXPORTING_ROLES
    ):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("intelligence", "0005_merge_20261129_1558"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="intelligencerecord",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["vehicle_marks"], name="intel_vehicle_marks_gin"
            ),
        ),
        migrations.AddIndex(
            model_name="intelligencerecord",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.search.SearchVector(
                    "summary", config="english"
                ),
                name="intel_summary_fts_gin",
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
