"""Writes a planned demo city into the database in one transaction."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pgtrigger
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon
from django.db import connection, transaction
from django.utils import timezone

from disruption.models import DisruptionAction, Tasking, TaskingMeeting
from intelligence.models import IntelligenceLocationLink, IntelligenceRecord
from locations.models import Area, ConcernFlag, Location
from people.models import Link, Subject, SubjectOrder, Vehicle
from people.orders import orders_to_subjects

from .generator import CityPlan
from .load_licensing import LICENSING_MODELS, licensing_load
from .load_people import people_load
from .load_safeguarding import safeguarding_load
from .users import demo_users_ensure

BNG = 27700


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _multi(shape) -> MultiPolygon:
    geom = GEOSGeometry(shape.wkt, srid=BNG)
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=BNG)
    return geom


def _valid(objs: list) -> list:
    # Uniqueness and constraints are left to the database, in one statement.
    for obj in objs:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    return objs


def demo_exists() -> bool:
    return Location.objects.filter(source="demo").exists()


@transaction.atomic
def demo_clear() -> None:
    from safeguarding import models as sg

    for model in LICENSING_MODELS:
        model.objects.all().delete()
    # Safeguarding rows hold their young people and places by PROTECT: they
    # go first, dependants before what they depend on. The indicator set is
    # the partnership's tool, not demo data, and stays.
    for model in (
        sg.SafetyPlanAlert,
        sg.SafetyPlanTrigger,
        sg.SafetyPlan,
        sg.CaseAction,
        sg.CaseReview,
        sg.PanelCase,
        sg.MaspReview,
        sg.ReturnInterview,
        sg.ScreeningMention,
        sg.ScreeningAnswer,
        sg.Screening,
    ):
        model.objects.all().delete()
    Link.objects.all().delete()
    SubjectOrder.objects.all().delete()
    Subject.objects.all().delete()
    Vehicle.objects.all().delete()
    DisruptionAction.objects.all().delete()
    Tasking.objects.all().delete()
    TaskingMeeting.objects.all().delete()
    # Synthetic records of a demo city being reloaded: not police information,
    # so no retention decision is needed to remove them.
    with pgtrigger.ignore("intelligence.IntelligenceRecord:delete_only_by_disposal"):
        IntelligenceRecord.objects.all().delete()
    ConcernFlag.objects.all().delete()
    Location.objects.all().delete()
    Area.objects.all().delete()


@transaction.atomic
def demo_load(plan: CityPlan) -> dict[str, int]:
    from . import names

    wards = Area.objects.bulk_create(
        _valid(
            [
                Area(
                    area_type="ward",
                    code=f"E0599{i + 1:04d}",
                    name=names.WARDS[i],
                    geom=_multi(w),
                )
                for i, w in enumerate(plan.shape.wards)
            ]
        )
    )
    Area.objects.bulk_create(
        _valid(
            [
                Area(
                    area_type="npa",
                    code=f"NPA{i + 1:02d}",
                    name=names.NPAS[i],
                    geom=_multi(g),
                )
                for i, g in enumerate(plan.npas)
            ]
        )
    )
    users = {u["user"].profile.agency: u["user"] for u in demo_users_ensure()}

    locations = Location.objects.bulk_create(
        _valid(
            [
                Location(
                    name=p.name,
                    category=p.category,
                    address=p.address,
                    postcode=p.postcode,
                    point=Point(p.x, p.y, srid=BNG),
                    footprint=_multi(p.footprint) if p.footprint is not None else None,
                    premises_licence_number=p.premises_licence_number,
                    licence_holder=p.licence_holder,
                    fhrs_id=p.fhrs_id,
                    fhrs_rating=p.fhrs_rating,
                    source="demo",
                    source_id=str(p.key),
                )
                for p in plan.locations
            ]
        ),
        batch_size=1000,
    )

    records = IntelligenceRecord.objects.bulk_create(
        _valid(
            [
                IntelligenceRecord(
                    **{
                        k: v
                        for k, v in r.items()
                        if k not in {"x", "y", "location_key", "link_type"}
                    },
                    point=Point(r["x"], r["y"], srid=BNG),
                    source="demo",
                    source_id=r["reference"],
                    created_by=users["police"],
                )
                for r in _aware_times(plan.records, ("occurred_from", "occurred_to"))
            ]
        ),
        batch_size=1000,
    )
    IntelligenceLocationLink.objects.bulk_create(
        [
            IntelligenceLocationLink(
                record=rec,
                location=locations[r["location_key"]],
                link_type=r["link_type"],
            )
            for rec, r in zip(records, plan.records, strict=True)
            if r["location_key"] is not None
        ],
        batch_size=2000,
    )

    people = people_load(plan, records=records, locations=locations)
    _load_flags(plan, locations, users)
    taskings = _load_meetings(plan, locations, users)

    actions = DisruptionAction.objects.bulk_create(
        _valid(
            [
                DisruptionAction(
                    **{
                        k: v
                        for k, v in a.items()
                        if k not in {"location_key", "tasking_ref"}
                    },
                    location=locations[a["location_key"]],
                    point=locations[a["location_key"]].point,
                    officer=users.get(a["agency"]),
                    tasking=taskings.get(a["tasking_ref"]),
                )
                for a in _aware_times(
                    plan.actions,
                    ("occurred_at", "served_at", "expires_at", "court_hearing_at"),
                )
            ]
        ),
        batch_size=1000,
    )
    # The CAWNs and sexual risk orders served, on the people served.
    with connection.cursor() as cur:
        orders_to_subjects(cur)
    licensing = licensing_load(
        seed=plan.seed,
        today=plan.today,
        officer=users.get("licensing"),
    )
    safeguarding = safeguarding_load()
    return {
        "wards": len(wards),
        "locations": len(locations),
        "records": len(records),
        "missing episodes": sum(1 for r in plan.records if r["kind"] == "missing"),
        "actions": len(actions),
        "flags": len(plan.flags),
        "meetings": len(plan.meetings),
        "taskings": len(taskings),
        **people,
        **licensing,
        **safeguarding,
    }


def _aware_times(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    return [{**r, **{k: _aware(r[k]) for k in keys if r.get(k)}} for r in rows]


def _load_flags(plan: CityPlan, locations: list[Location], users: dict) -> None:
    now = timezone.now()
    latest: dict[int, dict] = {}
    for f in sorted(plan.flags, key=lambda f: -f["days_ago"]):
        flag = ConcernFlag(
            location=locations[f["location_key"]],
            action=f["action"],
            risk_level=f["risk_level"],
            reason=f["reason"],
            agency=f["agency"],
            review_date=(
                plan.today + timedelta(days=f["review_in"])
                if f["review_in"] is not None
                else None
            ),
            created_by=users.get(f["agency"], users["police"]),
        )
        flag.full_clean()
        flag.save()
        ConcernFlag.objects.filter(pk=flag.pk).update(
            created_at=now - timedelta(days=f["days_ago"])
        )
        latest[f["location_key"]] = f
    by_level: dict[tuple, list[int]] = defaultdict(list)
    for key, f in latest.items():
        level = f["risk_level"] if f["action"] == "flag" else "none"
        review = (
            plan.today + timedelta(days=f["review_in"])
            if f["action"] == "flag"
            else None
        )
        by_level[(level, review)].append(locations[key].pk)
    for (level, review), pks in by_level.items():
        Location.objects.filter(pk__in=pks).update(
            concern_level=level, concern_review_date=review
        )


def _load_meetings(plan: CityPlan, locations: list[Location], users: dict) -> dict:
    taskings = {}
    for mi, m in enumerate(plan.meetings):
        meeting = TaskingMeeting(
            group=m["group"],
            held_on=m["held_on"],
            chair=users["police"],
            notes="Demo meeting.",
        )
        meeting.full_clean()
        meeting.save()
        for ti, t in enumerate(m["taskings"]):
            closed = t["status"] in {"done", "cancelled"}
            tasking = Tasking(
                meeting=meeting,
                target_location=locations[t["location_key"]],
                reason=t["reason"],
                priority=t["priority"],
                owner_agency=t["owner_agency"],
                owner_officer=users.get(t["owner_agency"]),
                due_date=t["due"],
                status=t["status"],
                closed_at=_aware(datetime.combine(t["due"], time(17, 0)))
                if closed
                else None,
            )
            tasking.full_clean()
            tasking.save()
            taskings[(mi, ti)] = tasking
    return taskings
