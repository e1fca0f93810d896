"""Records written from now on get their mention links at once, whatever
writes them (people/arrays.py: one trigger, the same SQL as 0002)."""

from django.db import migrations

from people.arrays import trigger_drop_sql, trigger_sql


class Migration(migrations.Migration):
    dependencies = [("people", "0004_orders_onto_subjects")]

    operations = [migrations.RunSQL(trigger_sql(), trigger_drop_sql())]
