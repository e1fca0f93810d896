"""Valid POST bodies for the matrix's write cells: a role that may write gets
its write done (a redirect or a 201), so a refusal can only be the role's."""

from datetime import date, timedelta

from django.utils import timezone

from locations.models import Location


def _review() -> str:
    return (date.today() + timedelta(days=28)).isoformat()


def _when() -> str:
    return (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


def flag(world, pk) -> dict:
    version = Location.objects.filter(pk=pk).values_list("version", flat=True).first()
    return {
        "action": "flag",
        "risk_level": "medium",
        "reason": "Staff report",
        "review_date": _review(),
        "version": version or 1,
    }


def visit(world, pk) -> dict:
    return {
        "action_type": "licensing_inspection",
        "occurred_at": _when(),
        "outcome": "compliant",
    }


def meeting(world, pk) -> dict:
    return {"group": "partnership", "held_on": date.today().isoformat()}


def tasking(world, pk) -> dict:
    return {
        "reason": "Visit after the reports",
        "priority": "medium",
        "owner_agency": "police",
        "due_date": _review(),
    }


def answer(world, pk) -> dict:
    return {
        "action_type": "patrol",
        "outcome": "advice_given",
        "occurred_at": _when(),
    }


def problem_tasking(world, pk) -> dict:
    return {"tasking": world.objects["tasking"]["ordinary"]}


def close(world, pk) -> dict:
    return {"status": "done"}


def api_flag(world, pk) -> dict:
    return {
        "action": "flag",
        "risk_level": "high",
        "reason": "Reports",
        "review_date": _review(),
    }


def api_action(world, pk) -> dict:
    return {
        "action_type": "licensing_inspection",
        "occurred_at": timezone.now().isoformat(),
        "location": world.pk("location", "ordinary"),
        "outcome": "compliant",
    }


def polygon(world, pk) -> dict:
    ring = [[-1.52, 52.40], [-1.50, 52.40], [-1.50, 52.42], [-1.52, 52.42]]
    return {"polygon": {"type": "Polygon", "coordinates": [ring + [ring[0]]]}}


def justify(world, pk) -> dict:
    return {"justification": "Preparing the CSE operational group", "next": "/"}


def api_justify(world, pk) -> dict:
    return {"justification": "Preparing the CSE operational group"}


def submit(world, pk) -> dict:
    return {
        "account": "MX submitted: men with young people at the hotel",
        "occurred_from": _when(),
        "location_method": "premises",
        "premises": f"{world.pk('location', 'ordinary')}:venue",
        "source_type": "business_staff",
        "submitter_is_source": "yes",
    }


def api_submit(world, pk) -> dict:
    return {**submit(world, pk), "premises": [world.pk("location", "ordinary")]}


def grade(world, pk) -> dict:
    from intelligence.models import IntelligenceRecord

    version = (
        IntelligenceRecord.objects.filter(pk=pk).values_list("version", flat=True)
    ).first()
    return {
        "grade-source_evaluation": "2",
        "grade-intelligence_assessment": "B",
        "grade-handling_code": "P",
        "grade-summary": "Staff report men with young people",
        "grade-lon": "-1.5106",
        "grade-lat": "52.4081",
        "grade-precision_m": "10",
        "grade-version": version or 1,
    }


def link(world, pk) -> dict:
    return {"location": world.pk("location", "ordinary"), "link_type": "occurred_at"}


def duplicate(world, pk) -> dict:
    from intelligence.models import IntelligenceRecord

    version = (
        IntelligenceRecord.objects.filter(pk=pk).values_list("version", flat=True)
    ).first()
    return {"of": world.pk("record", "P"), "action": "merge", "version": version or 1}


def premises(world, pk) -> dict:
    return {
        "name": "MX New Guest House",
        "category": "bnb",
        "address": "3 Far Lane",
        "postcode": "CV9 9MY",
        "lon": "-1.5300",
        "lat": "52.4000",
        "premises_licence_number": "MX/NEW/1",
    }


def premises_edit(world, pk) -> dict:
    loc = Location.objects.get(pk=pk) if pk != 999_999_999 else None
    if loc is None:
        return premises(world, pk)
    return {
        "name": loc.name,
        "category": loc.category,
        "address": loc.address,
        "postcode": loc.postcode,
        "lon": loc.point.x,
        "lat": loc.point.y,
        "premises_licence_number": "MX/EDIT/2",
        "version": loc.version,
    }


def subject_new(world, pk) -> dict:
    return {
        "kind": "person_of_interest",
        "age_band": "25_34",
        "sex": "male",
        "descriptors": "Stocky, dark jacket",
        "review_date": _review(),
        "forum": "none",
    }


def subject_edit(world, pk) -> dict:
    from people.models import Subject

    subject = Subject.objects.filter(pk=pk).first()
    if subject is None:
        return {**subject_new(world, pk), "version": 1}
    return {
        **subject_new(world, pk),
        "kind": subject.kind,
        "forum": subject.forum or "none",
        "version": subject.version,
    }


def vehicle_new(world, pk) -> dict:
    return {"registration": "MX12 NEW", "make": "Ford", "colour": "Blue"}


def vehicle_edit(world, pk) -> dict:
    from people.models import Vehicle

    vehicle = Vehicle.objects.filter(pk=pk).first()
    return {
        "registration": vehicle.registration if vehicle else "MX61CAR",
        "make": "Skoda",
        "model": "Octavia",
        "version": vehicle.version if vehicle else 1,
    }


def people_link(world, pk) -> dict:
    return {
        "subject": world.subject_refs["person-of-interest"],
        "link_type": "seen_at",
        "location": world.pk("location", "ordinary"),
        "records": world.records["P"].reference,
    }


def link_remove(world, pk) -> dict:
    return {"reason": "Entered against the wrong subject"}


# Sent as JSON (the API); the others as a form.
JSON = {"api-flag", "api-action", "polygon", "api-justify", "api-submit"}

BODIES = {
    "flag": flag,
    "visit": visit,
    "meeting": meeting,
    "tasking": tasking,
    "answer": answer,
    "close": close,
    "problem-tasking": problem_tasking,
    "api-flag": api_flag,
    "api-action": api_action,
    "polygon": polygon,
    "justify": justify,
    "api-justify": api_justify,
    "submit": submit,
    "api-submit": api_submit,
    "grade": grade,
    "link": link,
    "duplicate": duplicate,
    "premises": premises,
    "premises-edit": premises_edit,
    "subject-new": subject_new,
    "subject-edit": subject_edit,
    "vehicle-new": vehicle_new,
    "vehicle-edit": vehicle_edit,
    "people-link": people_link,
    "link-remove": link_remove,
}
