"""Every child abduction warning notice and sexual risk order already served
gets the person it was served on: a person-of-interest profile carrying the
action (people/orders.py). The actions themselves are untouched, so their
clocks are still listed at the location where they were served."""

from django.db import migrations

from people.orders import orders_to_subjects


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        orders_to_subjects(cursor)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_subject_orders"), ("disruption", "0002_change_history")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
