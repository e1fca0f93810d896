"""Problem profiles: a named problem and the selection that defines it, so
its analyses can be gathered, exported and re-run on the same definition."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import Q

from intelligence.models import IndicatorTag, RecordKind
from locations.models import Area, Location


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Open"
    MONITORING = "monitoring", "Monitoring"
    CLOSED = "closed", "Closed"


class ProblemProfile(models.Model):
    """A problem, e.g. "hotel parties in the city centre": its place (an
    area, a point and radius, or a premises), its period (the last `days`
    up to `until`, or up to the day it is run when `until` is empty, so that
    next quarter's run uses the same definition), and which records."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT)
    point = models.PointField(srid=4326, null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveIntegerField(default=90)
    until = models.DateField(null=True, blank=True)
    kinds = ArrayField(
        models.CharField(max_length=16, choices=RecordKind.choices),
        default=list,
        blank=True,
    )
    tags = ArrayField(
        models.CharField(max_length=32, choices=IndicatorTag.choices),
        default=list,
        blank=True,
    )
    include_low_grade = models.BooleanField(default=False)
    # Taskings that answer the problem, as others answer a place.
    taskings = models.ManyToManyField(
        "disruption.Tasking", blank=True, related_name="problems"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=7) & Q(days__lte=730),
                name="problem_days_range",
            ),
            models.CheckConstraint(
                condition=Q(point__isnull=True, radius_m__isnull=True)
                | Q(
                    point__isnull=False,
                    radius_m__isnull=False,
                    radius_m__gte=25,
                    radius_m__lte=5000,
                ),
                name="problem_point_with_radius",
            ),
            # One place at most: an area, a circle, or a premises.
            models.CheckConstraint(
                condition=(
                    Q(area__isnull=True, point__isnull=True)
                    | Q(area__isnull=True, location__isnull=True)
                    | Q(point__isnull=True, location__isnull=True)
                )
                & ~Q(area__isnull=False, point__isnull=False, location__isnull=False),
                name="problem_one_place",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values),
                name="problem_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name
