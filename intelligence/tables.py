"""The records register's table (django-tables2): sorting, paging, export."""

import django_tables2 as tables

from .models import IndicatorTag, IntelligenceRecord

TAG_LABELS = dict(IndicatorTag.choices)


class RecordTable(tables.Table):
    reference = tables.Column(linkify=True)
    kind = tables.Column()
    occurred_from = tables.DateTimeColumn(verbose_name="When", format="j M Y H:i")
    source_type = tables.Column(verbose_name="Source")
    grade = tables.Column(
        order_by=("source_evaluation", "intelligence_assessment", "handling_code")
    )
    handling_conditions = tables.Column(verbose_name="Conditions", orderable=False)
    summary = tables.Column(orderable=False)
    tags = tables.Column(verbose_name="Indicators", orderable=False)
    vehicle_marks = tables.Column(verbose_name="Vehicles", orderable=False)
    review_date = tables.DateColumn(verbose_name="Review", format="j M Y")
    # In the files only: where the record is, as this user may see it.
    lon = tables.Column(accessor="display_point__x", visible=False, orderable=False)
    lat = tables.Column(accessor="display_point__y", visible=False, orderable=False)
    position_approximate = tables.BooleanColumn(
        verbose_name="Position approximate", visible=False, orderable=False
    )

    class Meta:
        model = IntelligenceRecord
        fields = ()
        sequence = (
            "reference",
            "kind",
            "occurred_from",
            "source_type",
            "grade",
            "handling_conditions",
            "summary",
            "tags",
            "vehicle_marks",
            "review_date",
            "...",
        )
        order_by_field = "sort"
        attrs = {"class": "register", "id": "records-table"}
        empty_text = "No record you may see matches these filters."

    def value_occurred_from(self, value):
        return value.isoformat()

    def render_summary(self, value):
        return value if len(value) <= 160 else value[:157] + "…"

    def value_summary(self, value):
        return value

    def render_tags(self, value):
        return "; ".join(TAG_LABELS.get(t, t) for t in value) or "—"

    def value_tags(self, value):
        return "; ".join(TAG_LABELS.get(t, t) for t in value)

    def render_vehicle_marks(self, value):
        return " ".join(value) or "—"

    def value_vehicle_marks(self, value):
        return " ".join(value)

    def value_lon(self, value):
        return round(value, 6)

    def value_lat(self, value):
        return round(value, 6)
