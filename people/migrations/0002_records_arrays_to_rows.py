"""The vehicle marks and subject references that records carried as text
become Vehicle and Subject rows and mention links, losing nothing
(people/arrays.py; tests/people/test_arrays_migration.py counts
every mark and reference before and after). The arrays stay on the records:
the registers search by vehicle mark and triage compares them."""

from django.db import migrations

from people.arrays import arrays_to_rows


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        arrays_to_rows(cursor)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
