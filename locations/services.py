"""Every write to locations, flags and areas."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F

from accounts.models import Agency
from common.versions import StaleEdit, version_check

from .models import ConcernFlag, ConcernLevel, FlagAction, Location

__all__ = ["StaleEdit"]


@transaction.atomic
def location_create(
    *, created_by: AbstractBaseUser | None = None, **fields
) -> Location:
    location = Location(**fields)
    location.full_clean()
    location.save()
    return location


@transaction.atomic
def location_update(*, location: Location, version: int, **fields) -> Location:
    """Change a location, refusing the edit (StaleEdit) if it was based on an
    old version: the second of two officers editing at once is told so and
    nothing of theirs is saved over the first's."""
    version_check(model=Location, pk=location.pk, seen=version, what="location")
    for name, value in fields.items():
        setattr(location, name, value)
    location.full_clean()
    Location.objects.filter(pk=location.pk).update(**fields, version=F("version") + 1)
    location.refresh_from_db()
    return location


@transaction.atomic
def location_flag(
    *,
    location: Location,
    user: AbstractBaseUser,
    action: str,
    reason: str,
    risk_level: str = "",
    review_date: date | None = None,
    agency: str | None = None,
    version: int | None = None,
) -> ConcernFlag:
    """Flag a location as of concern, or clear its flag; the history is kept.

    Given the version the officer's form was based on, a flag on a location
    changed since then is refused with StaleEdit.
    """
    if version is not None:
        version_check(
            model=Location,
            pk=location.pk,
            seen=version,
            what="location",
            doing="flagging",
        )
    if agency is None:
        profile = getattr(user, "profile", None)
        agency = profile.agency if profile else Agency.OTHER
    flag = ConcernFlag(
        location=location,
        action=action,
        risk_level=risk_level if action == FlagAction.FLAG else "",
        reason=reason,
        review_date=review_date,
        agency=agency,
        created_by=user,
    )
    errors: dict[str, list[str]] = {}
    try:
        flag.full_clean()
    except ValidationError as exc:
        errors = {k: v for k, v in exc.message_dict.items() if k != "__all__"}
    if action == FlagAction.FLAG:
        if not risk_level:
            errors["risk_level"] = ["Choose a risk level: low, medium or high."]
        if review_date is None:
            errors["review_date"] = ["A flag needs a date by which it is reviewed."]
    if errors:
        raise ValidationError(errors)
    flag.save()
    if action == FlagAction.FLAG:
        level, review = risk_level, review_date
    else:
        level, review = ConcernLevel.NONE, None
    Location.objects.filter(pk=location.pk).update(
        concern_level=level, concern_review_date=review, version=F("version") + 1
    )
    location.refresh_from_db()
    return flag


# Tables whose rows carry area ids set from their point.
AREA_TABLES = (
    "locations_location",
    "intelligence_intelligencerecord",
    "disruption_disruptionaction",
)


@transaction.atomic
def areas_reassign() -> dict[str, int]:
    """Recompute every row's area ids in one set-based statement per table.

    Run after areas are imported or changed; each statement uses the areas'
    spatial index, never a Python loop over rows.
    """
    changed = {}
    with connection.cursor() as cur:
        for table in AREA_TABLES:
            cur.execute(
                f"""
                WITH fresh AS (
                    SELECT t.id, COALESCE(
                        ARRAY(
                            SELECT a.id FROM locations_area a
                            WHERE ST_Intersects(a.geom_bng, t.point_bng)
                            ORDER BY a.id
                        ), '{{}}') AS ids
                    FROM {table} t
                    WHERE t.point_bng IS NOT NULL
                )
                UPDATE {table} t SET area_ids = fresh.ids
                FROM fresh
                WHERE fresh.id = t.id AND t.area_ids IS DISTINCT FROM fresh.ids
                """
            )
            changed[table] = cur.rowcount
    return changed
