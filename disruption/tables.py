"""The actions register's table (django-tables2)."""

import django_tables2 as tables
from django.urls import reverse

from .models import DisruptionAction


class ActionTable(tables.Table):
    occurred_at = tables.DateTimeColumn(
        verbose_name="When", format="j M Y H:i", linkify=True
    )
    action_type = tables.Column(verbose_name="Type")
    agency = tables.Column()
    officer = tables.Column(accessor="officer__username", order_by="officer__username")
    location = tables.Column(
        verbose_name="Where",
        # The location's page (a URL: django-tables2 takes a model instance's
        # str() for the address otherwise).
        linkify=lambda record: (
            reverse("location-page", args=[record.location_id])
            if record.location_id
            else None
        ),
        order_by="location__name",
    )
    outcome = tables.Column()
    follow_up_date = tables.DateColumn(verbose_name="Follow-up", format="j M Y")
    tasking = tables.Column(
        verbose_name="Tasking",
        accessor="tasking_id",
        linkify=("analysis:tasking", {"pk": tables.A("tasking_id")}),
    )
    notes = tables.Column(orderable=False)
    lon = tables.Column(accessor="display_point__x", visible=False, orderable=False)
    lat = tables.Column(accessor="display_point__y", visible=False, orderable=False)

    class Meta:
        model = DisruptionAction
        fields = ()
        sequence = (
            "occurred_at",
            "action_type",
            "agency",
            "officer",
            "location",
            "outcome",
            "follow_up_date",
            "tasking",
            "notes",
            "...",
        )
        order_by_field = "sort"
        attrs = {"class": "register", "id": "actions-table"}
        empty_text = "No disruption action you may see matches these filters."

    def value_occurred_at(self, value):
        return value.isoformat()

    def render_tasking(self, value):
        return f"Tasking {value}"

    def render_notes(self, value):
        return value if len(value) <= 120 else value[:117] + "…"

    def value_lon(self, value):
        return round(value, 6)

    def value_lat(self, value):
        return round(value, 6)
