"""A mark or reference taken off a record takes the record's mention of it
with it (people/arrays.py), whatever writes the record."""

from django.db import migrations

from people.arrays import removed_trigger_drop_sql, removed_trigger_sql


class Migration(migrations.Migration):
    dependencies = [("people", "0009_subject_vehicle_versions_link_removals")]

    operations = [migrations.RunSQL(removed_trigger_sql(), removed_trigger_drop_sql())]
