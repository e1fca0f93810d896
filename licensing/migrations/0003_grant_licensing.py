from django.db import migrations

# The licensing permissions of accounts.roles, granted here (a full
# roles_sync() would need every permission the live code names to exist).
GRANTS = {
    "Licensing officer": [
        "view_licence",
        "view_driver",
        "view_licensedvehicle",
        "view_operator",
        "view_taxicheck",
        "import_licences",
        "act_on_licence",
        "add_taxicheck",
        "view_staffmember",
    ],
    "Analyst": [
        "view_licence",
        "view_driver",
        "view_licensedvehicle",
        "view_operator",
        "view_taxicheck",
    ],
    "Tasking officer": ["view_licence"],
    "Administrator": None,
}


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("licensing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    permission = apps.get_model("auth", "Permission")
    ours = permission.objects.filter(content_type__app_label="licensing")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        codenames = GRANTS[group.name]
        group.permissions.add(
            *(ours if codenames is None else ours.filter(codename__in=codenames))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("licensing", "0002_compliance_function_and_prompts"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
