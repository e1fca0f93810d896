"""The default indicator set (safeguarding/indicators.py), version default-1."""

from django.db import migrations


def load(apps, schema_editor):
    from safeguarding.indicators import default_set_load

    default_set_load(
        indicator_set_model=apps.get_model("safeguarding", "IndicatorSet"),
        indicator_model=apps.get_model("safeguarding", "Indicator"),
    )


def unload(apps, schema_editor):
    apps.get_model("safeguarding", "Indicator").objects.filter(
        indicator_set__version="default-1"
    ).delete()
    apps.get_model("safeguarding", "IndicatorSet").objects.filter(
        version="default-1"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("safeguarding", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
