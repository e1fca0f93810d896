from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from locations.models import RESTRICTED_CATEGORIES, Location
from locations.selectors import location_list_shown

from ..selectors import alerts_can_view, safeguarding_can_view


def practitioner(request: HttpRequest) -> None:
    """Practitioners and administrators; everyone else: 404."""
    if not safeguarding_can_view(user=request.user):
        raise Http404("No such page.")


def alert_reader(request: HttpRequest) -> None:
    if not (
        safeguarding_can_view(user=request.user) or alerts_can_view(user=request.user)
    ):
        raise Http404("No such page.")


def shows_subjects(user) -> bool:
    return safeguarding_can_view(user=user)


def places_choosable(*, user) -> QuerySet[Location]:
    """Premises a screening or plan may name: not the protective places."""
    return (
        location_list_shown(user=user)
        .exclude(category__in=RESTRICTED_CATEGORIES)
        .order_by("name")
    )


def users_with(perm: str) -> QuerySet:
    app, codename = perm.split(".")
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app,
        )
        .distinct()
        .order_by("username")
    )
