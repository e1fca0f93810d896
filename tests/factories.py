"""Small builders for test data. Geometries are WKT literals."""

import itertools
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from accounts.models import Agency
from accounts.roles import (
    ADMINISTRATOR,
    ANALYST,
    COMMUNITY_SAFETY_OFFICER,
    LICENSING_OFFICER,
    PARTNER,
    SAFEGUARDING_PRACTITIONER,
    TASKING_OFFICER,
)
from accounts.services import roles_sync, user_create
from disruption.models import DisruptionAction
from intelligence.models import IntelligenceRecord
from locations.models import Area, ConcernFlag, Location

_seq = itertools.count(1)

ROLE_AGENCY = {
    ANALYST: Agency.POLICE,
    TASKING_OFFICER: Agency.POLICE,
    LICENSING_OFFICER: Agency.LICENSING,
    COMMUNITY_SAFETY_OFFICER: Agency.COMMUNITY_SAFETY,
    ADMINISTRATOR: Agency.POLICE,
    PARTNER: Agency.YOUTH_SERVICES,
    SAFEGUARDING_PRACTITIONER: Agency.SOCIAL_CARE,
}
TEST_PASSWORD = "correct-horse-battery-staple"

# A square ward around Coventry city centre, and a point inside it.
CENTRE_WARD_WKT = (
    "MULTIPOLYGON(((-1.53 52.40, -1.49 52.40, -1.49 52.42, -1.53 52.42, -1.53 52.40)))"
)
CENTRE_POINT_WKT = "POINT(-1.5106 52.4081)"


def geom(wkt: str, srid: int = 4326) -> GEOSGeometry:
    return GEOSGeometry(wkt, srid=srid)


def make_user(role: str, username: str | None = None, **kwargs):
    # Transactional (browser) tests flush the tables the roles migration filled.
    if not Group.objects.filter(name=role).exists():
        roles_sync()
    return user_create(
        username=username or f"{role.split()[0].lower()}{next(_seq)}",
        password=TEST_PASSWORD,
        role=role,
        agency=kwargs.pop("agency", ROLE_AGENCY[role]),
        **kwargs,
    )


def make_area(**kwargs) -> Area:
    n = next(_seq)
    defaults = {
        "area_type": "ward",
        "code": f"E05{n:06d}",
        "name": f"Ward {n}",
        "geom": geom(CENTRE_WARD_WKT),
    }
    return Area.objects.create(**{**defaults, **kwargs})


def make_location(**kwargs) -> Location:
    defaults = {
        "name": f"Premises {next(_seq)}",
        "category": "hotel",
        "address": "1 High Street, Coventry",
        "postcode": "CV1 1AA",
        "point": geom(CENTRE_POINT_WKT),
    }
    return Location.objects.create(**{**defaults, **kwargs})


def make_record(**kwargs) -> IntelligenceRecord:
    n = next(_seq)
    when = kwargs.pop("occurred_from", timezone.now() - timedelta(days=10))
    defaults = {
        "reference": f"INT-T-{n:06d}",
        "kind": "intelligence",
        "occurred_from": when,
        "received_on": (when + timedelta(days=1)).date(),
        "source_type": "police",
        "source_evaluation": "2",
        "intelligence_assessment": "B",
        "handling_code": "P",
        "summary": "Young person seen with older adults at premises.",
        "point": geom(CENTRE_POINT_WKT),
        "precision_m": 10,
        "review_date": date.today() + timedelta(days=365),
    }
    return IntelligenceRecord.objects.create(**{**defaults, **kwargs})


def make_action(**kwargs) -> DisruptionAction:
    defaults = {
        "action_type": "awareness_visit",
        "agency": Agency.COMMUNITY_SAFETY,
        "occurred_at": timezone.make_aware(datetime(2026, 1, 15, 11, 0)),
        "outcome": "staff_trained",
        "point": geom(CENTRE_POINT_WKT),
    }
    return DisruptionAction.objects.create(**{**defaults, **kwargs})


def make_flag(*, location: Location, user, **kwargs) -> ConcernFlag:
    """A concern flag row as stored (locations.services.location_flag also
    updates the location; use it when that matters)."""
    defaults = {
        "action": "flag",
        "risk_level": "high",
        "reason": "Repeated reports",
        "review_date": date.today() + timedelta(days=30),
        "agency": user.profile.agency,
    }
    return ConcernFlag.objects.create(
        location=location, created_by=user, **{**defaults, **kwargs}
    )


SESSION_JUSTIFICATION = "Test suite: preparing the tasking meeting"


def justify(client, text: str = SESSION_JUSTIFICATION):
    """Give the signed-in test client's session its reason for consulting
    intelligence, as the justification page does."""
    from audit.justification import session_justification_store

    session = client.session
    session_justification_store(session=session, text=text)
    session.save()
    return client


def make_tasking(*, location: Location, **kwargs):
    """A tasking at a location, from a CSE operational group meeting today."""
    from disruption.services import meeting_create, tasking_create

    meeting = meeting_create(group="cse_mog", held_on=date.today(), chair=None)
    defaults = {
        "target_description": location.name,
        "reason": "Visit after the reports",
        "priority": "high",
        "owner_agency": Agency.POLICE,
        "due_date": date.today() + timedelta(days=7),
    }
    return tasking_create(
        meeting=meeting, target_location=location, **{**defaults, **kwargs}
    )


def make_submission(user, **fields) -> IntelligenceRecord:
    """A record submitted by `user`, awaiting grading, as the form makes it."""
    from intelligence.intake.services import submission_create

    data = {
        "kind": "intelligence",
        "account": "Girls taken to the flat above the takeaway by car.",
        "occurred_from": timezone.now() - timedelta(hours=4),
        "location_method": "map",
        "source_type": "youth_service",
        "submitter_is_source": True,
        "point": geom(CENTRE_POINT_WKT),
        "precision_m": 25,
        **fields,
    }
    return submission_create(user=user, data=data)


def make_token(user, *, scope: str = "read", name: str = "Test client") -> str:
    """An API token of `scope` for `user`, as its owner issues it from a
    session that has passed the second factor; returns the token itself."""
    from accounts.services import api_token_issue

    _, token = api_token_issue(
        user=user, name=name, scope=scope, second_factor_passed=True
    )
    return token
