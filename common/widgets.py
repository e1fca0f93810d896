"""Form widgets the apps share."""

from django import forms


def date_widget() -> forms.DateInput:
    # <input type="date"> takes ISO dates only, whatever the locale shows.
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def datetime_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(
        format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}
    )
