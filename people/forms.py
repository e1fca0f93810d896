"""The people workspace's forms: a profile, a vehicle, a link, a link's
removal and a subject's retention review. Each checks what a person typing
can fix at once; the services check the same again (and the database's
constraints behind them)."""

import re

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from accounts.models import Agency
from intelligence.intake.selectors import premises_search, premises_selectable
from intelligence.models import ReviewDecision
from intelligence.retention import review_date_for
from intelligence.validators import free_text_check
from locations.models import Location

from .models import (
    SUBJECT_LOCATION_TYPES,
    SUBJECT_VEHICLE_TYPES,
    AgeBand,
    Forum,
    LinkType,
    PlateKind,
    Sex,
    Subject,
    SubjectKind,
    Vehicle,
)
from .registration import registration_normalise
from .selectors import record_scope, subject_scope, vehicle_scope

DATE_INVALID = {"invalid": "Enter the date as a date, e.g. 2027-06-30."}
# Record references as typed: separated by commas, semicolons, spaces or
# new lines.
_SEPARATORS = re.compile(r"[\s,;]+")
MAX_RECORDS = 20
LINK_TYPES = [
    (t.value, t.label)
    for t in (*SUBJECT_LOCATION_TYPES, *SUBJECT_VEHICLE_TYPES, LinkType.ASSOCIATE)
]


class SubjectForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "Choose one"), *SubjectKind.choices],
        error_messages={"required": "Say what kind of subject this is."},
    )
    age_band = forms.ChoiceField(
        choices=AgeBand.choices, initial=AgeBand.UNKNOWN, label="Age band"
    )
    sex = forms.ChoiceField(choices=Sex.choices, initial=Sex.UNKNOWN)
    # The intake form's check (intelligence.validators), the one there is.
    descriptors = forms.CharField(
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[free_text_check],
        help_text="How to recognise them: build, clothing, habits, places. Never "
        "a name, date of birth, phone number or email address: the identity "
        "stays in the owning agency's system.",
    )
    agency = forms.ChoiceField(
        choices=[("", "Not recorded"), *Agency.choices],
        required=False,
        label="Agency holding the identity",
    )
    system_ref = forms.CharField(
        max_length=64,
        required=False,
        label="Their system reference",
        help_text="The reference in that agency's own system, e.g. a PNC or "
        "case number: never a name.",
    )
    review_date = forms.DateField(
        label="Review date",
        # A date input takes ISO dates whatever the locale's format.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            **DATE_INVALID,
            "required": "Give the date the profile comes up for review.",
        },
        help_text="Management of Police Information: six years from today "
        "unless you have a reason for another date, as for a record.",
    )
    forum = forms.ChoiceField(
        choices=Forum.choices,
        required=False,
        initial=Forum.NONE,
        label="Managing forum (young people only)",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, saved=None, **kwargs):
        # The profile being edited, if any: a review date it already has
        # (perhaps past, awaiting its review) may stay as it is.
        self.saved = saved
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("review_date"):
            self.initial["review_date"] = review_date_for(timezone.localdate())

    def clean_system_ref(self) -> str:
        return " ".join(self.cleaned_data["system_ref"].split())

    def clean(self):
        data = super().clean()
        kind, forum = data.get("kind"), data.get("forum")
        if kind and kind != SubjectKind.YOUNG_PERSON and forum not in ("", Forum.NONE):
            self.add_error(
                "forum", "Only a young person at risk is managed by a forum."
            )
        if data.get("system_ref") and not data.get("agency"):
            self.add_error("agency", "Say which agency's system holds this reference.")
        review = data.get("review_date")
        kept = self.saved is not None and review == self.saved.review_date
        if review is not None and not kept and review <= timezone.localdate():
            self.add_error("review_date", "The review date must be in the future.")
        return data

    def subject_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.fields if name != "version"}
        if data["kind"] != SubjectKind.YOUNG_PERSON:
            fields["forum"] = ""
        return fields


class VehicleForm(forms.Form):
    registration = forms.CharField(
        max_length=20,
        label="Registration mark",
        help_text="As on the plate, e.g. AB12 CDE; spaces do not matter.",
        error_messages={"required": "Give the vehicle's registration mark."},
    )
    make = forms.CharField(max_length=40, required=False)
    model = forms.CharField(max_length=40, required=False)
    colour = forms.CharField(max_length=30, required=False)
    plate_kind = forms.ChoiceField(
        choices=PlateKind.choices, required=False, label="Licensed as"
    )
    plate_number = forms.CharField(
        max_length=20, required=False, label="Licence plate number"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        kind, number = data.get("plate_kind"), (data.get("plate_number") or "").strip()
        if kind and not number:
            self.add_error(
                "plate_number", "Give the licence plate number, or say not licensed."
            )
        if number and not kind:
            self.add_error(
                "plate_kind", "Say whether it is a hackney carriage or private hire."
            )
        data["plate_number"] = number
        return data

    def vehicle_fields(self) -> dict:
        return {n: self.cleaned_data[n] for n in self.fields if n != "version"}


def _subject_by_ref(*, user: AbstractBaseUser, ref: str) -> Subject | None:
    ref = " ".join((ref or "").split())
    if not ref:
        return None
    qs = subject_scope(user=user)
    return qs.filter(reference=ref.upper()).first() or qs.filter(former_ref=ref).first()


class LinkForm(forms.Form):
    """A subject linked to a place, a vehicle or another subject, resting on
    records the user may see. The place is given by its id (from the
    location's page, or chosen among the matches of `place`) or by its name
    or postcode."""

    subject = forms.CharField(
        max_length=32,
        label="Subject reference",
        help_text="e.g. S-2026-000042",
        error_messages={"required": "Give the subject's reference."},
    )
    link_type = forms.ChoiceField(
        choices=[("", "Choose one"), *LINK_TYPES],
        label="Link",
        error_messages={"required": "Say how they are linked."},
    )
    location = forms.IntegerField(required=False, widget=forms.HiddenInput)
    place = forms.CharField(
        max_length=100, required=False, label="Premises name or postcode"
    )
    vehicle = forms.CharField(max_length=20, required=False, label="Vehicle mark")
    other_subject = forms.CharField(
        max_length=32, required=False, label="Associate's reference"
    )
    records = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Resting on records",
        help_text="The reference of each record it rests on, separated by "
        "commas. The link's confidence comes from their grades.",
        error_messages={"required": "Name the record(s) the link rests on."},
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs):
        self.user = user
        # Premises matching `place`, when it named more than one.
        self.place_choices: list[Location] = []
        super().__init__(*args, **kwargs)

    def clean_subject(self) -> Subject:
        found = _subject_by_ref(user=self.user, ref=self.cleaned_data["subject"])
        if found is None:
            raise forms.ValidationError(
                f"No subject you may see has the reference "
                f"“{self.cleaned_data['subject']}”."
            )
        return found

    def clean_records(self) -> list:
        refs = [r for r in _SEPARATORS.split(self.cleaned_data["records"]) if r]
        refs = list(dict.fromkeys(r.upper() for r in refs))
        if len(refs) > MAX_RECORDS:
            raise forms.ValidationError(f"Name at most {MAX_RECORDS} records.")
        found = {
            r.reference.upper(): r
            for r in record_scope(user=self.user).filter(reference__in=refs)
        }
        if missing := [r for r in refs if r not in found]:
            raise forms.ValidationError(
                f"No graded record you may see has the reference “{missing[0]}”: "
                "a link rests only on graded records you can open."
            )
        if not found:
            raise forms.ValidationError("Name the record(s) the link rests on.")
        return [found[r] for r in refs]

    def clean(self):
        data = super().clean()
        link_type = data.get("link_type")
        if link_type in SUBJECT_LOCATION_TYPES:
            data["other"] = self._location(data)
        elif link_type in SUBJECT_VEHICLE_TYPES:
            data["other"] = self._vehicle(data)
        elif link_type == LinkType.ASSOCIATE:
            data["other"] = self._associate(data)
        return data

    def _location(self, data) -> Location | None:
        shown = premises_selectable(user=self.user)
        if data.get("location"):
            found = shown.filter(pk=data["location"]).first()
            if found is None:
                self.add_error("place", "That premises is not one you may choose.")
            return found
        place = " ".join((data.get("place") or "").split())
        if not place:
            self.add_error("place", "Say which premises: its name or postcode.")
            return None
        exact = list(shown.filter(name__iexact=place)[:2])
        if len(exact) == 1:
            return exact[0]
        matches = premises_search(user=self.user, q=place)
        if len(matches) == 1:
            return matches[0]
        if not matches:
            self.add_error("place", f"No premises in the register matches “{place}”.")
        else:
            self.place_choices = matches
            self.add_error(
                "place", f"Several premises match “{place}”: choose one below."
            )
        return None

    def _vehicle(self, data) -> Vehicle | None:
        mark = registration_normalise(data.get("vehicle"))
        if not mark:
            self.add_error("vehicle", "Give the vehicle's registration mark.")
            return None
        found = vehicle_scope(user=self.user).filter(registration=mark).first()
        if found is None:
            self.add_error(
                "vehicle",
                f"{mark} is not in the vehicle register: add the vehicle first.",
            )
        return found

    def _associate(self, data) -> Subject | None:
        other = _subject_by_ref(user=self.user, ref=data.get("other_subject"))
        if other is None:
            self.add_error(
                "other_subject",
                "Give the reference of the associate, a subject you may see.",
            )
        elif isinstance(data.get("subject"), Subject) and other == data["subject"]:
            self.add_error("other_subject", "A subject is not their own associate.")
            return None
        return other


class LinkRemoveForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why remove this link?",
        error_messages={"required": "Say why: the reason is kept with the link."},
    )


class SubjectReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    next_review_date = forms.DateField(
        required=False,
        label="Next review date (if retained)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_INVALID,
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why: the reason is kept with the decision."},
    )
