"""The premises register's table (django-tables2)."""

import django_tables2 as tables

from .models import Location


class LocationTable(tables.Table):
    name = tables.Column(linkify=True)
    category = tables.Column()
    concern_level = tables.Column(verbose_name="Concern")
    concern_review_date = tables.DateColumn(verbose_name="Flag review", format="j M Y")
    address = tables.Column(orderable=False)
    postcode = tables.Column(orderable=False)
    premises_licence_number = tables.Column(verbose_name="Licence")
    fhrs_id = tables.Column(verbose_name="FHRS id")
    lon = tables.Column(accessor="display_point__x", visible=False, orderable=False)
    lat = tables.Column(accessor="display_point__y", visible=False, orderable=False)
    position_approximate = tables.BooleanColumn(
        verbose_name="Position approximate", visible=False, orderable=False
    )

    class Meta:
        model = Location
        fields = ()
        sequence = (
            "name",
            "category",
            "concern_level",
            "concern_review_date",
            "address",
            "postcode",
            "premises_licence_number",
            "fhrs_id",
            "...",
        )
        order_by_field = "sort"
        attrs = {"class": "register", "id": "locations-table"}
        empty_text = "No premises match these filters."

    # A protected place's address is never shown to roles that see it on
    # the grid: not on its page, not here, not in a file.
    def _withheld(self, record) -> bool:
        return bool(getattr(record, "position_approximate", False))

    def render_address(self, value, record):
        return "Withheld (protected place)" if self._withheld(record) else value

    def value_address(self, value, record):
        return "" if self._withheld(record) else value

    def render_postcode(self, value, record):
        return "—" if self._withheld(record) else value

    def value_postcode(self, value, record):
        return "" if self._withheld(record) else value

    def value_lon(self, value):
        return round(value, 6)

    def value_lat(self, value):
        return round(value, 6)
