"""The one validation of a submission, for the web form and the API alike
(intelligence.api feeds the JSON body to this same form): every refusal is
an error on the field it is about, in words the submitter can act on."""

import re
from datetime import timedelta

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.gis.geos import Point
from django.utils import timezone

from intelligence.models import (
    IndicatorTag,
    LinkType,
    LocationMethod,
    RecordKind,
    SourceType,
)
from intelligence.validators import free_text_check
from locations.models import Location
from locations.selectors import postcode_point

from .selectors import premises_selectable

# Where a submission may be: Great Britain, Northern Ireland and the islands
# around them (WGS84 lon/lat). A point outside is a typing slip.
UK_BOUNDS = (-8.7, 49.8, 1.8, 60.9)
# How far the point may be from the truth, by how it was given (metres).
PRECISION_BY_METHOD = {
    LocationMethod.MAP: 25,
    LocationMethod.PREMISES: 10,
    # A postcode holds on average 15 addresses: its centroid is good to ~100 m,
    # less once the submitter has moved the pin where they know it to be.
    LocationMethod.POSTCODE: 100,
}
# A window longer than this is not "when" but "some time": ask for a closer one.
WINDOW_MAX = timedelta(days=31)
# Clocks differ: a moment a few minutes ahead of the server's is not "future".
CLOCK_SLACK = timedelta(minutes=10)
# UK registration marks, old and new styles, as stored: upper case, no spaces.
VRM = re.compile(r"^[A-Z0-9]{2,8}$")
MAX_PREMISES = 10
SUBMIT_KINDS = [
    (RecordKind.INTELLIGENCE, "Something seen or heard (intelligence)"),
    (RecordKind.INCIDENT, "An incident"),
]
PREMISES_HOW = [
    (t.value, t.label)
    for t in (
        LinkType.VENUE,
        LinkType.PICK_UP,
        LinkType.DROP_OFF,
        LinkType.WORKPLACE,
        LinkType.VEHICLE_SEEN,
        LinkType.MENTIONED,
    )
]
_HOW = dict(PREMISES_HOW)


class ListOrTextField(forms.Field):
    """A list: from a JSON array, repeated form fields, or one text box with
    the items separated by commas, semicolons or new lines."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *, separators: str = r"[,;\n]+", **kwargs):
        self.separators = re.compile(separators)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        if value in (None, ""):
            return []
        items = value if isinstance(value, list | tuple) else [value]
        out: list[str] = []
        for item in items:
            if not isinstance(item, str | int):
                raise forms.ValidationError("Give each item as text.")
            out += [p.strip() for p in self.separators.split(str(item)) if p.strip()]
        return out


class _ListWidget(forms.MultipleHiddenInput):
    """Repeated hidden inputs in the page; a JSON array in the API."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you reporting?",
        choices=SUBMIT_KINDS,
        initial=RecordKind.INTELLIGENCE,
        required=False,
    )
    account = forms.CharField(
        label="What did you see or hear?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        validators=[free_text_check],
        error_messages={"required": "Say what you saw or heard."},
    )
    when = forms.ChoiceField(
        label="Did it happen at one time, or over a period?",
        choices=[("moment", "At one time"), ("window", "Some time between two times")],
        initial="moment",
        widget=forms.RadioSelect,
        required=False,
    )
    occurred_from = forms.DateTimeField(
        label="When did it happen?",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={
            "required": "Say when it happened, or when it began.",
            "invalid": "Give the date and time, e.g. 2026-03-14 22:30.",
        },
    )
    occurred_to = forms.DateTimeField(
        label="Until",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": "Give the date and time, e.g. 2026-03-14 23:30."},
    )
    location_method = forms.ChoiceField(
        label="How will you say where?",
        choices=LocationMethod.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Say where: pick on the map, choose a premises, or give "
            "a postcode."
        },
    )
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    address = forms.CharField(
        label="Address or description of the place",
        max_length=255,
        required=False,
        validators=[free_text_check],
    )
    pin_confirmed = forms.BooleanField(
        label="The pin on the map shows where it happened", required=False
    )
    premises = forms.Field(
        label="Premises involved", required=False, widget=_ListWidget
    )
    source_type = forms.ChoiceField(
        label="Who is the information from?",
        choices=[("", "Choose one"), *SourceType.choices],
        error_messages={"required": "Say who the information comes from."},
    )
    submitter_is_source = forms.TypedChoiceField(
        label="Did you see or hear it yourself?",
        choices=[("yes", "Yes, I saw or heard it"), ("no", "No, someone told me")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you saw or heard it yourself."},
    )
    tags = forms.MultipleChoiceField(
        label="What did you notice?",
        choices=IndicatorTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    vehicle_marks = ListOrTextField(
        label="Vehicle registration marks",
        required=False,
        help_text="One or more, separated by commas, e.g. AB12 CDE, KX19 ZZT.",
    )
    people_text = forms.CharField(
        label="About the people involved",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
        validators=[free_text_check],
        help_text="Describe them (age, clothing, what they did). Never a child's "
        "name, date of birth, phone number or email address.",
    )

    def __init__(self, data=None, *args, user: AbstractBaseUser, **kwargs):
        self.user = user
        # A JSON body sends a boolean where the page sends "yes"/"no".
        if isinstance(data, dict) and isinstance(data.get("submitter_is_source"), bool):
            data = {
                **data,
                "submitter_is_source": "yes" if data["submitter_is_source"] else "no",
            }
        super().__init__(data, *args, **kwargs)

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or RecordKind.INTELLIGENCE

    def clean_tags(self) -> list[str]:
        return sorted(set(self.cleaned_data["tags"]))

    def clean_vehicle_marks(self) -> list[str]:
        marks = []
        for raw in self.cleaned_data["vehicle_marks"]:
            mark = re.sub(r"[\s-]", "", raw.upper())
            if not VRM.match(mark):
                raise forms.ValidationError(
                    f"“{raw}” is not a registration mark: give letters and "
                    "numbers only, e.g. AB12 CDE."
                )
            if mark not in marks:
                marks.append(mark)
        return marks

    def clean_premises(self) -> list[tuple[Location, str]]:
        """Each item "<premises id>:<how>" (the page) or {"id": .., "how": ..}
        (the API)."""
        items = self.cleaned_data["premises"]
        if isinstance(items, str | dict):
            items = [items]
        if not isinstance(items, list | tuple):
            items = []
        pairs = []
        for item in items or []:
            if isinstance(item, dict):
                pk, how = item.get("id"), item.get("how") or LinkType.VENUE
            else:
                pk, _, how = str(item).partition(":")
                how = how or LinkType.VENUE
            if how not in _HOW:
                raise forms.ValidationError(
                    f"Say how the premises was involved: one of {', '.join(_HOW)}."
                )
            try:
                pairs.append((int(pk), how))
            except (TypeError, ValueError):
                raise forms.ValidationError(
                    f"“{pk}” is not a premises from the register."
                ) from None
        if len(pairs) > MAX_PREMISES:
            raise forms.ValidationError(f"Give at most {MAX_PREMISES} premises.")
        found = premises_selectable(user=self.user).in_bulk([pk for pk, _ in pairs])
        if missing := [pk for pk, _ in pairs if pk not in found]:
            raise forms.ValidationError(
                f"No premises in the register has id {missing[0]}: search for it again."
            )
        return list(dict.fromkeys((found[pk], how) for pk, how in pairs))

    def clean(self):
        data = super().clean()
        self._clean_when(data)
        self._clean_where(data)
        return data

    def _clean_when(self, data) -> None:
        start, end = data.get("occurred_from"), data.get("occurred_to")
        if start is None:
            return
        now = timezone.now() + CLOCK_SLACK
        if start > now:
            self.add_error(
                "occurred_from", "That is in the future: when did it happen?"
            )
        if data.get("when") == "window" and end is None:
            self.add_error(
                "occurred_to", "Give the end of the window, or choose 'At a moment'."
            )
        if end is not None:
            if end < start:
                self.add_error(
                    "occurred_to", "The end of the window is before its start."
                )
            elif end - start > WINDOW_MAX:
                self.add_error(
                    "occurred_to",
                    "The window is longer than 31 days: "
                    "narrow it, or describe the pattern in your account.",
                )
            elif end > now:
                self.add_error("occurred_to", "That is in the future.")

    def _clean_where(self, data) -> None:
        method = data.get("location_method")
        lon, lat = data.get("lon"), data.get("lat")
        point = None
        if (lon is None) != (lat is None):
            self.add_error("lat", "Give both the longitude and the latitude.")
            return
        if lon is not None:
            west, south, east, north = UK_BOUNDS
            if not (west <= lon <= east and south <= lat <= north):
                self.add_error(
                    "lat",
                    f"The point ({lon:.5f}, {lat:.5f}) is outside the UK: "
                    "move the pin to where it happened.",
                )
                return
            point = Point(lon, lat, srid=4326)
        if method == LocationMethod.PREMISES:
            premises = data.get("premises") or []
            if not premises:
                self.add_error("premises", "Choose the premises from the register.")
                return
            point = point or premises[0][0].point
        elif method == LocationMethod.POSTCODE:
            postcode = (data.get("postcode") or "").strip()
            if not postcode:
                self.add_error("postcode", "Give the postcode of the place.")
                return
            centre = postcode_point(postcode=postcode)
            if centre is None:
                self.add_error(
                    "postcode",
                    f"“{postcode}” is not a postcode we know: check it, "
                    "or pick the place on the map.",
                )
                return
            if point is None:
                point = centre
                # The page shows the pin at the centroid for the user to check.
                self.data = self.data.copy()
                self.data["lon"], self.data["lat"] = centre.x, centre.y
            if not data.get("pin_confirmed"):
                self.add_error(
                    "pin_confirmed",
                    "Check the pin: it is at the centre of the "
                    "postcode. Move it if you know better, then tick to confirm.",
                )
                return
        elif method == LocationMethod.MAP and point is None:
            self.add_error("lat", "Pick the place on the map.")
            return
        if method:
            data["point"] = point
            data["precision_m"] = PRECISION_BY_METHOD[method]
