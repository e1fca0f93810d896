"""The disruption visit form on a location's page, and the forms of the
tasking meeting: opening a meeting, tasking a place or a cell, answering a
tasking with an action."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Agency
from common.placement import BNG_MAX_EASTING, BNG_MAX_NORTHING
from common.widgets import date_widget, datetime_widget
from locations.models import Location
from locations.selectors import location_list_shown
from people.models import ORDER_TYPES, SubjectKind
from people.selectors import subject_can_view, subject_scope

from .checklists import CHECKLISTS
from .models import ActionType, Outcome, Priority, Sector, TaskingGroup, TaskingMeeting
from .services import tasking_due_default

ALL_SIGNS = [item for items in CHECKLISTS.values() for item in items]


class DisruptionLogForm(forms.Form):
    action_type = forms.ChoiceField(label="Action", choices=ActionType.choices)
    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    outcome = forms.ChoiceField(choices=Outcome.choices)
    staff_trained = forms.IntegerField(
        label="Staff trained", min_value=0, max_value=500, required=False
    )
    sector = forms.ChoiceField(
        label="Checklist", choices=[("", "—")] + Sector.choices, required=False
    )
    checklist = forms.MultipleChoiceField(
        label="Warning signs covered",
        choices=ALL_SIGNS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joined_watch_scheme = forms.NullBooleanField(
        label="Joined the hotel / business watch scheme",
        required=False,
        widget=forms.Select(
            choices=[("unknown", "Not asked"), ("true", "Yes"), ("false", "No")]
        ),
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    follow_up_date = forms.DateField(
        label="Follow-up date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    served_at = forms.DateTimeField(
        label="Notice served",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    expires_at = forms.DateTimeField(
        label="Notice ends",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    authorised_by = forms.CharField(label="Authorised by", required=False)
    authorising_rank = forms.CharField(label="Authorising rank", required=False)

    def __init__(self, *args, user=None, **kwargs):
        """For a role that sees subjects, a child abduction warning notice or
        sexual risk order asks whom it was served on (people.SubjectOrder);
        for others there is no such field."""
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and subject_can_view(user=user):
            self.fields["served_on"] = forms.CharField(
                label="Served on (person of interest)",
                required=False,
                max_length=32,
                help_text="For a child abduction warning notice or sexual risk "
                "order: the subject reference of the person it was served on, "
                "e.g. S-2026-000042.",
            )

    def clean_served_on(self):
        ref = " ".join((self.cleaned_data.get("served_on") or "").split())
        if not ref:
            return None
        people = subject_scope(user=self.user)
        subject = (
            people.filter(reference=ref.upper()).first()
            or people.filter(former_ref=ref).first()
        )
        if subject is None:
            raise forms.ValidationError(
                f"No subject you may see has the reference “{ref}”."
            )
        if subject.kind != SubjectKind.PERSON_OF_INTEREST:
            raise forms.ValidationError(
                f"{subject.reference} is not a person of interest: an order is "
                "served on a person of interest."
            )
        return subject

    def clean(self):
        data = super().clean()
        if "served_on" in self.fields and not self.has_error("served_on"):
            if data.get("action_type") in ORDER_TYPES and not data.get("served_on"):
                self.add_error(
                    "served_on",
                    "Say whom it was served on: the person of interest's "
                    "subject reference.",
                )
            elif data.get("served_on") and data.get("action_type") not in ORDER_TYPES:
                self.add_error(
                    "served_on",
                    "Only a child abduction warning notice or a sexual risk order "
                    "is served on a person: leave this empty.",
                )
        if data.get("occurred_at") and data["occurred_at"] > timezone.now():
            self.add_error("occurred_at", "A visit is logged after it happened.")
        if data.get("action_type") == ActionType.AWARENESS_VISIT:
            if not data.get("sector"):
                self.add_error("sector", "Choose the sector's checklist.")
            if data.get("outcome") == Outcome.STAFF_TRAINED and not data.get(
                "staff_trained"
            ):
                self.add_error("staff_trained", "Say how many staff were trained.")
        return data

    def service_fields(self) -> dict:
        """The cleaned data as disruption_log() takes it."""
        data = dict(self.cleaned_data)
        data.pop("served_on", None)
        data["checklist"] = list(data.get("checklist") or [])
        for text in ("notes", "sector", "authorised_by", "authorising_rank"):
            data[text] = data.get(text) or ""
        return data


class MeetingForm(forms.Form):
    group = forms.ChoiceField(choices=TaskingGroup.choices)
    held_on = forms.DateField(widget=date_widget())
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TaskingForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.MEDIUM)
    owner_agency = forms.ChoiceField(choices=Agency.choices)
    owner_officer = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    due_date = forms.DateField(widget=date_widget())

    def __init__(self, *args, meeting: TaskingMeeting, reason: str = "", **kwargs):
        kwargs.setdefault(
            "initial",
            {"reason": reason, "due_date": tasking_due_default(meeting=meeting)},
        )
        super().__init__(*args, **kwargs)


# A hot-spot cell to task: within the British National Grid, and of a size
# the hot-spot grid offers (with room either side).
CELL_SIZE_MIN_M, CELL_SIZE_MAX_M = 50, 5000


def tasking_target_parse(*, user, query) -> dict:
    """What a new tasking is for, from ?location=ID (a location this user may
    choose: common.placement) or ?cell=x0,y0,size (BNG metres); a
    ValidationError saying what is wrong otherwise."""
    if "location" in query:
        try:
            return {
                "location": location_list_shown(user=user).get(
                    pk=int(query["location"])
                )
            }
        except (ValueError, Location.DoesNotExist):
            raise ValidationError("No such location.") from None
    if "cell" in query:
        try:
            x0, y0, size = (float(v) for v in query["cell"].split(","))
        except ValueError:
            raise ValidationError("A cell is given as x0,y0,size in metres.") from None
        if not (
            0 <= x0 <= BNG_MAX_EASTING
            and 0 <= y0 <= BNG_MAX_NORTHING
            and CELL_SIZE_MIN_M <= size <= CELL_SIZE_MAX_M
        ):
            raise ValidationError("That cell is not on the British National Grid.")
        return {"cell": (x0, y0, int(size))}
    raise ValidationError("Choose a location or a cell to task.")


class ActionAnswerForm(forms.Form):
    action_type = forms.ChoiceField(choices=ActionType.choices)
    outcome = forms.ChoiceField(choices=Outcome.choices)
    occurred_at = forms.DateTimeField(widget=datetime_widget())
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    staff_trained = forms.IntegerField(required=False, min_value=0)
    served_at = forms.DateTimeField(required=False, widget=datetime_widget())
    expires_at = forms.DateTimeField(
        required=False,
        label="Ends at",
        widget=datetime_widget(),
    )
    court_hearing_at = forms.DateTimeField(required=False, widget=datetime_widget())
    authorised_by = forms.CharField(required=False, max_length=120)
    authorising_rank = forms.CharField(required=False, max_length=32)
    completes = forms.BooleanField(
        required=False, label="This action completes the tasking"
    )
