"""Writes the demo city's people, vehicles and links (demo/plan_people.py)."""

from datetime import timedelta

from django.db import connection

from people.arrays import arrays_to_rows
from people.models import Link, LinkRecord, Subject, Vehicle
from people.services import subject_reference_next


def people_load(plan, *, records: list, locations: list) -> dict[str, int]:
    """After the records, whose vehicle marks and subject references have
    already become vehicles, subjects and mention links (people/arrays.py's
    trigger): the planned networks' details on those rows, then the typed
    links citing records."""
    planned = plan.people
    with connection.cursor() as cur:
        arrays_to_rows(cur)  # a no-op when the trigger has run; not if disabled
    by_ref = {
        s.former_ref: s
        for s in Subject.objects.filter(
            former_ref__in=[p["former_ref"] for p in planned.people]
        )
    }
    subjects = []
    for p in planned.people:
        # A planned person no record names (a network with no premises to
        # be seen at) still gets a profile.
        subject = by_ref.get(p["former_ref"]) or Subject.objects.create(
            reference=subject_reference_next(year=plan.today.year),
            kind="other",
            former_ref=p["former_ref"],
            review_date=plan.today + timedelta(days=365),
        )
        subject.kind = p["kind"]
        subject.age_band = p["age_band"]
        subject.sex = p["sex"]
        subject.descriptors = p["descriptors"]
        subject.agency = "social_care" if p["kind"] == "young_person" else "police"
        subject.system_ref = f"DEMO-{p['key']}"
        subject.forum = p.get("forum", "")
        subjects.append(subject)
    Subject.objects.bulk_update(
        subjects,
        ["kind", "age_band", "sex", "descriptors", "agency", "system_ref", "forum"],
    )
    by_key = {p["key"]: s for p, s in zip(planned.people, subjects, strict=True)}
    by_mark = Vehicle.objects.in_bulk(
        [v["registration"] for v in planned.vehicles], field_name="registration"
    )
    for v in planned.vehicles:
        for field, value in v.items():
            setattr(by_mark[v["registration"]], field, value)
    Vehicle.objects.bulk_update(
        list(by_mark.values()),
        ["make", "model", "colour", "plate_kind", "plate_number"],
    )

    record_ids = {r.reference: r.pk for r in records}
    made: dict[tuple, tuple[Link, list[int]]] = {}
    for planned_link in planned.links:
        subject = by_key[planned_link["subject"]]
        kind, key = planned_link["other"]
        ends = {"subject": subject}
        if kind == "location":
            ends["location"] = locations[key]
        elif kind == "vehicle":
            ends["vehicle"] = by_mark[key]
        else:
            low, high = sorted([subject, by_key[key]], key=lambda s: s.pk)
            ends = {"subject": low, "other_subject": high}
        ident = (planned_link["type"], *sorted((k, v.pk) for k, v in ends.items()))
        ids = [record_ids[ref] for ref in planned_link["records"]]
        if ident in made:
            made[ident][1].extend(ids)
        else:
            made[ident] = (Link(link_type=planned_link["type"], **ends), ids)
    links = Link.objects.bulk_create([link for link, _ in made.values()])
    LinkRecord.objects.bulk_create(
        [
            LinkRecord(link=link, record_id=rid)
            for link, (_, ids) in zip(links, made.values(), strict=True)
            for rid in sorted(set(ids))
        ]
    )
    return {
        "subjects": Subject.objects.count(),
        "vehicles": Vehicle.objects.count(),
        "links": Link.objects.count(),
    }
