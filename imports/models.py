import re

from django.conf import settings
from django.contrib.gis.db import models

from history.tracking import tracked

_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def postcode_normalise(text: str | None) -> str:
    """'cv1 1lf', 'CV11LF' and ' CV1  1LF ' are all 'CV11LF'."""
    return _NOT_ALNUM.sub("", (text or "").upper())


def postcode_display(text: str | None) -> str:
    """The postcode as written on letters: 'CV11LF' -> 'CV1 1LF'."""
    code = postcode_normalise(text)
    return f"{code[:-3]} {code[-3:]}" if len(code) > 3 else code


class Postcode(models.Model):
    """A postcode centroid, used to place records that have a postcode but no point.

    Reference data reloaded whole from the ONS file, not anyone's record: no
    change history (it would double every reload of a few hundred thousand
    rows for nothing an auditor asks about).
    """

    # Upper case without spaces, so lookups ignore how the postcode was typed.
    postcode = models.CharField(max_length=8, primary_key=True)
    point = models.PointField(srid=4326)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return postcode_display(self.postcode)


class ImportFormat(models.TextChoices):
    FHRS = "fhrs", "Food hygiene ratings (FHRS XML)"
    OSM = "osm", "OpenStreetMap GeoJSON"
    AREAS = "areas", "Boundaries (GeoJSON, or zipped shapefile)"
    POSTCODES = "postcodes", "Postcode centroids (CSV: Postcode,lat,long)"
    INCIDENTS = "incidents", "police.uk street-level crime (CSV)"


@tracked()
class ImportRun(models.Model):
    """One import done from the admin page: who, what file, options and the report."""

    format = models.CharField(max_length=16, choices=ImportFormat.choices)
    file_name = models.CharField(max_length=255)
    options = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)
    succeeded = models.BooleanField(default=False)
    report = models.JSONField(default=dict, blank=True)
    report_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_format_display()}: {self.file_name}"
