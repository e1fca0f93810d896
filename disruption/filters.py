"""The actions register's filters (django-filter)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_filters import ChoiceFilter, ModelChoiceFilter

from accounts.models import Agency
from locations.register_filters import RegisterFilterSet

from .models import ActionType, Outcome, Tasking

# Follow-ups "coming due": within this many days.
FOLLOW_UP_SOON_DAYS = 14

MINE_CHOICES = [("me", "Mine"), ("agency", "My agency's")]
FOLLOW_UP_CHOICES = [
    ("soon", f"Due within {FOLLOW_UP_SOON_DAYS} days"),
    ("overdue", "Overdue"),
]


def _officers(request):
    users = get_user_model().objects.filter(disruption_actions__isnull=False)
    return users.distinct().order_by("username")


def _taskings(request):
    return Tasking.objects.select_related("meeting").order_by("-meeting__held_on", "id")


class ActionFilter(RegisterFilterSet):
    date_field = "occurred_at"

    action_type = ChoiceFilter(
        label="Type", choices=ActionType.choices, empty_label="Any type"
    )
    agency = ChoiceFilter(choices=Agency.choices, empty_label="Any agency")
    officer = ModelChoiceFilter(queryset=_officers, empty_label="Any officer")
    outcome = ChoiceFilter(choices=Outcome.choices, empty_label="Any outcome")
    tasking = ModelChoiceFilter(
        label="Answers tasking", queryset=_taskings, empty_label="Any"
    )
    mine = ChoiceFilter(
        label="Whose", choices=MINE_CHOICES, method="filter_mine", empty_label="All"
    )
    follow_up = ChoiceFilter(
        label="Follow-up",
        choices=FOLLOW_UP_CHOICES,
        method="filter_follow_up",
        empty_label="Any",
    )

    def filter_mine(self, qs, name, value):
        user = self.request.user
        if value == "me":
            return qs.filter(officer=user)
        profile = getattr(user, "profile", None)
        return qs.filter(agency=profile.agency) if profile else qs.none()

    def filter_follow_up(self, qs, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return qs.filter(follow_up_date__lt=today)
        return qs.filter(
            follow_up_date__gte=today,
            follow_up_date__lte=today + timedelta(days=FOLLOW_UP_SOON_DAYS),
        )
