from django.db import migrations

# The roles that review records for retention (accounts.roles); given the one
# new permission here rather than by a full roles_sync(), which would need
# every permission the live code names to exist already.
ROLES = ["Analyst", "Administrator"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("intelligence")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="intelligence", codename="review_retention"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLES):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("intelligence", "0002_change_history_and_retention_reviews"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
