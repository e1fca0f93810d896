from django.conf import settings
from django.contrib.gis.db import models

from history.tracking import tracked


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
