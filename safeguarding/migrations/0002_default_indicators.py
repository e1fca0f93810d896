"""The default indicator set (safeguarding/indicators.py), version default-1."""

from django.db import migrations


def load(apps, schema_editor):
    from safeguarding.indicators import (
        DEFAULT_INDICATORS,
        DEFAULT_NAME,
        DEFAULT_VERSION,
    )

    IndicatorSet = apps.get_model("safeguarding", "IndicatorSet")
    Indicator = apps.get_model("safeguarding", "Indicator")
    tool, _ = IndicatorSet.objects.get_or_create(
        version=DEFAULT_VERSION, defaults={"name": DEFAULT_NAME, "current": True}
    )
    for order, (code, domain, text, significant, disclosure, absence) in enumerate(
        DEFAULT_INDICATORS
    ):
        Indicator.objects.get_or_create(
            indicator_set=tool,
            code=code,
            defaults={
                "domain": domain,
                "text": text,
                "significant": significant,
                "disclosure": disclosure,
                "persistent_absence": absence,
                "order": order,
            },
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
