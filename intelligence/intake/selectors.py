"""Reads for the people who submit intelligence: premises to pick, a
postcode's pin, and their own submissions (never anyone else's, and never
how theirs was graded or linked)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from intelligence.models import IntelligenceRecord
from locations.models import Location
from locations.selectors import location_list_shown

# The typeahead starts at three characters: the name's trigram index
# (locations migration) answers from there.
SEARCH_MIN_CHARS = 3
SEARCH_LIMIT = 10


def premises_selectable(*, user: AbstractBaseUser) -> QuerySet[Location]:
    """Premises a submitter may pick. Children's homes, schools and
    residential addresses are left out for roles not cleared for their
    exact position: picking one would place it exactly. Such a place is
    given by postcode or on the map instead."""
    return location_list_shown(user=user)


def premises_search(
    *, user: AbstractBaseUser, q: str, limit: int = SEARCH_LIMIT
) -> list[Location]:
    """Premises whose name holds `q` (names starting with it first), or
    whose postcode starts with it."""
    q = " ".join((q or "").split())
    if len(q) < SEARCH_MIN_CHARS:
        return []
    qs = premises_selectable(user=user)
    matches = Q(name__icontains=q)
    if any(c.isdigit() for c in q):
        # A postcode as typed so far, spaced as letters write it ("CV1 2").
        matches |= Q(postcode__istartswith=q)
    return list(
        qs.filter(matches)
        .annotate(
            starts=Case(
                When(name__istartswith=q, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("starts", "name", "id")
        .only("id", "name", "category", "address", "postcode", "point")[:limit]
    )


def submission_list_own(*, user: AbstractBaseUser) -> QuerySet[IntelligenceRecord]:
    """The user's own submissions, newest first."""
    if not user.is_authenticated:
        return IntelligenceRecord.objects.none()
    return IntelligenceRecord.objects.filter(submitted_by=user).order_by(
        "-submitted_at", "-id"
    )


def submission_get_own(*, user: AbstractBaseUser, pk: int) -> IntelligenceRecord:
    """One of the user's own submissions; DoesNotExist for any other record."""
    return submission_list_own(user=user).prefetch_related("location_links").get(pk=pk)
