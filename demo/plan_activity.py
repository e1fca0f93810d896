"""The demo city's activity: intelligence, missing episodes, incidents,
disruption, concern flags and tasking meetings, in plain data."""

import random
from datetime import date, datetime, time, timedelta

from . import names
from .city import point_in_city

KIND_WEIGHTS = [("intelligence", 0.62), ("missing", 0.22), ("incident", 0.16)]
SOURCE_TYPES = [
    "police",
    "social_care",
    "education",
    "health",
    "licensing",
    "youth_service",
    "business_staff",
    "public",
    "anonymous",
]
SOURCE_TYPE_WEIGHTS = [30, 18, 8, 5, 6, 8, 10, 10, 5]
TAGS_BACKGROUND = [
    "young_with_older_adults",
    "repeat_missing",
    "gifts_money",
    "older_boyfriend",
    "online_contact",
    "multiple_visitors",
    "vehicle_pickup",
    "alcohol_drugs",
    "sexual_health",
]
CRIME_TYPES = [
    "Violence and sexual offences",
    "Anti-social behaviour",
    "Public order",
    "Drugs",
    "Other crime",
]
ACTION_FOR_CATEGORY = {
    "hotel": [
        "awareness_visit",
        "awareness_visit",
        "licensing_inspection",
        "test_purchase",
        "owner_contact",
        "cctv_anpr_review",
    ],
    "bnb": ["awareness_visit", "licensing_inspection", "owner_contact"],
    "takeaway": ["awareness_visit", "licensing_inspection", "test_purchase", "patrol"],
    "licensed_premises": ["licensing_inspection", "test_purchase", "awareness_visit"],
    "taxi_rank": ["vehicle_check", "vehicle_check", "patrol"],
    "private_hire_base": ["vehicle_check", "licensing_inspection", "awareness_visit"],
    "park": ["patrol", "detached_youth_work", "detached_youth_work"],
    "shisha_lounge": ["licensing_inspection", "test_purchase", "patrol"],
}
AGENCY_FOR_ACTION = {
    "licensing_inspection": "licensing",
    "test_purchase": "licensing",
    "vehicle_check": "licensing",
    "licence_review": "licensing",
    "awareness_visit": "community_safety",
    "detached_youth_work": "youth_services",
    "owner_contact": "community_safety",
}
OUTCOMES_FOR_ACTION = {
    "awareness_visit": ["staff_trained", "staff_trained", "advice_given"],
    "licensing_inspection": [
        "compliant",
        "compliant",
        "breaches_found",
        "advice_given",
    ],
    "test_purchase": ["compliant", "breaches_found"],
    "vehicle_check": ["compliant", "compliant", "breaches_found", "referral_made"],
    "patrol": ["advice_given", "no_access", "referral_made", "other"],
    "detached_youth_work": ["advice_given", "referral_made"],
}
SECTOR_FOR_CATEGORY = {
    "hotel": "hotel",
    "bnb": "hotel",
    "takeaway": "takeaway",
    "taxi_rank": "taxi",
    "private_hire_base": "taxi",
    "licensed_premises": "licensed",
    "shisha_lounge": "licensed",
}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _grade(rng: random.Random, when: datetime, today: date) -> dict:
    # Older intelligence was graded 5x5x5 and keeps that grade.
    if (today - when.date()).days > 450 and rng.random() < 0.25:
        return {
            "grading_scheme": "5x5x5",
            "source_evaluation": _weighted(
                rng, [("A", 5), ("B", 40), ("C", 35), ("D", 5), ("E", 15)]
            ),
            "intelligence_assessment": _weighted(
                rng, [("1", 5), ("2", 35), ("3", 40), ("4", 15), ("5", 5)]
            ),
            "handling_code": _weighted(
                rng, [("1", 70), ("2", 10), ("3", 5), ("4", 10), ("5", 5)]
            ),
            "handling_conditions": "",
        }
    handling = "C" if rng.random() < 0.15 else "P"
    return {
        "grading_scheme": "3x5x2",
        "source_evaluation": _weighted(rng, [("1", 25), ("2", 60), ("3", 15)]),
        "intelligence_assessment": _weighted(
            rng, [("A", 10), ("B", 35), ("C", 35), ("D", 15), ("E", 5)]
        ),
        "handling_code": handling,
        "handling_conditions": rng.choice(names.CONDITIONS) if handling == "C" else "",
    }


def _summary(
    rng: random.Random, kind: str, place: str, subject: str, tags: list[str]
) -> str:
    if kind == "missing":
        return (
            f"Subject {subject} reported missing from care; "
            f"{rng.choice(['found', 'last seen'])} near {place} with older adults."
        )
    if kind == "incident":
        return f"Incident near {place}: {rng.choice(CRIME_TYPES).lower()} reported by staff."
    bits = {
        "hotel_party": "a party in a room booked with cash",
        "young_with_older_adults": "a young person with two older males",
        "alcohol_drugs": "alcohol supplied to under-18s",
        "gifts_money": "young people given free food and phone credit",
        "taxi_transporting": "a taxi collecting young people late at night",
        "vehicle_pickup": "young people picked up in a car",
        "cash_payment": "walk-in booking paid in cash, no ID",
    }
    detail = (
        bits.get(tags[0], "concern about adults around young people")
        if tags
        else "a concern"
    )
    return f"Report of {detail} at or near {place}; subject {subject} believed present."


def _vrm(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUVWXY"
    return (
        f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(10, 74)}"
        f"{''.join(rng.choice(letters) for _ in range(3))}"
    )


def _when(rng: random.Random, today: date, month: int, months: int) -> datetime:
    """A moment in 30-day month `month` (0 = oldest), mostly in the evening."""
    start = today - timedelta(days=30 * (months - month))
    day = start + timedelta(days=rng.randrange(30))
    hour = _weighted(rng, [(h, 3 if h >= 18 or h < 2 else 1) for h in range(24)])
    return datetime.combine(
        min(day, today - timedelta(days=1)), time(hour, rng.randrange(60))
    )


def _record(rng, plan, i, when, x, y, location_key, tags, kind=None):
    kind = kind or _weighted(rng, KIND_WEIGHTS)
    subject = f"S-{rng.randint(1000, 9999)}"
    place = (
        plan.locations[location_key].name
        if location_key is not None
        else f"{rng.choice(names.STREETS)} {rng.choice(names.STREET_KINDS)}"
    )
    received = when.date() + timedelta(days=rng.choice([0, 0, 1, 1, 2, 5, 12]))
    received = min(received, plan.today)
    # MoPI review: most intelligence is reviewed six years on; a few were set
    # short and are already due, so the review queue has work in it.
    review = received + timedelta(days=6 * 365)
    if rng.random() < 0.03:
        review = plan.today - timedelta(days=rng.randint(1, 60))
    rec = {
        "reference": f"{ {'intelligence': 'INT', 'missing': 'MIS', 'incident': 'INC'}[kind] }-{when:%y%m}-{i:05d}".replace(
            " ", ""
        ),
        "kind": kind,
        "missing_point": (
            rng.choice(["last_seen", "found"]) if kind == "missing" else ""
        ),
        "occurred_from": when,
        "occurred_to": when + timedelta(hours=rng.randint(1, 6))
        if rng.random() < 0.2
        else None,
        "received_on": received,
        "source_type": rng.choices(SOURCE_TYPES, SOURCE_TYPE_WEIGHTS)[0],
        **_grade(rng, when, plan.today),
        "summary": _summary(rng, kind, place, subject, tags),
        "tags": tags,
        "x": x,
        "y": y,
        "precision_m": rng.choice([10, 10, 25, 50, 100, 250]),
        "crime_type": rng.choice(CRIME_TYPES) if kind == "incident" else "",
        "vehicle_marks": [_vrm(rng)]
        if "vehicle_pickup" in tags or "taxi_transporting" in tags
        else [],
        "subject_refs": [subject],
        "review_date": review,
        "location_key": location_key,
        "link_type": None,
    }
    if location_key is not None:
        rec["link_type"] = {"found": "found_at", "last_seen": "last_seen_at"}.get(
            rec["missing_point"], "occurred_at"
        )
    return rec


def _plan_records(rng: random.Random, plan, total: int) -> None:
    months = len(plan.hotspots[0].profile)
    hot_total = int(total * 0.45)
    weights = [
        (h, m, v) for h in plan.hotspots for m, v in enumerate(h.profile) if v > 0
    ]
    mass = sum(v for _, _, v in weights)
    i = 0
    for hotspot, month, v in weights:
        n = round(hot_total * v / mass)
        loc = plan.locations[hotspot.location_key]
        for _ in range(n):
            x, y = rng.gauss(loc.x, 70), rng.gauss(loc.y, 70)
            tags = rng.sample(hotspot.tags, k=rng.randint(1, len(hotspot.tags)))
            key = loc.key if rng.random() < 0.6 else None
            plan.records.append(
                _record(
                    rng, plan, i, _when(rng, plan.today, month, months), x, y, key, tags
                )
            )
            i += 1
    linkable = [
        loc
        for loc in plan.locations
        if loc.category
        in {
            "hotel",
            "bnb",
            "takeaway",
            "taxi_rank",
            "park",
            "licensed_premises",
            "childrens_home",
            "shisha_lounge",
            "car_park",
        }
    ]
    while i < total:
        month = rng.randrange(months)
        if rng.random() < 0.35:
            loc = rng.choice(linkable)
            x, y, key = rng.gauss(loc.x, 40), rng.gauss(loc.y, 40), loc.key
        else:
            (x, y), key = point_in_city(rng, plan.shape, centre_bias=0.45), None
        tags = rng.sample(TAGS_BACKGROUND, k=rng.randint(0, 2))
        kind = (
            "missing"
            if key is not None and plan.locations[key].category == "childrens_home"
            else None
        )
        plan.records.append(
            _record(
                rng,
                plan,
                i,
                _when(rng, plan.today, month, months),
                x,
                y,
                key,
                tags,
                kind,
            )
        )
        i += 1


def _action(
    rng, plan, loc, when: datetime, action_type: str | None = None, **extra
) -> dict:
    action_type = action_type or rng.choice(
        ACTION_FOR_CATEGORY.get(loc.category, ["patrol"])
    )
    outcome = rng.choice(OUTCOMES_FOR_ACTION.get(action_type, ["notice_served"]))
    act = {
        "location_key": loc.key,
        "action_type": action_type,
        "occurred_at": when,
        "agency": AGENCY_FOR_ACTION.get(action_type, "police"),
        "outcome": outcome,
        "notes": f"{action_type.replace('_', ' ').capitalize()} at {loc.name}.",
        "staff_trained": None,
        "follow_up_date": None,
        "sector": "",
        "checklist": [],
        "joined_watch_scheme": None,
        "served_at": None,
        "expires_at": None,
        "court_hearing_at": None,
        "authorised_by": "",
        "authorising_rank": "",
        "tasking_ref": None,
    }
    if action_type == "awareness_visit":
        sector = SECTOR_FOR_CATEGORY.get(loc.category, "hotel")
        signs = names.CHECKLIST[sector]
        act.update(
            sector=sector,
            staff_trained=rng.randint(1, 12),
            checklist=rng.sample(signs, k=rng.randint(2, len(signs))),
            joined_watch_scheme=rng.random() < 0.6,
        )
    if rng.random() < 0.3:
        act["follow_up_date"] = when.date() + timedelta(days=rng.choice([14, 28, 56]))
    act.update(extra)
    return act


def _plan_actions(rng: random.Random, plan, total: int) -> None:
    today = plan.today
    hot = {h.label: plan.locations[h.location_key] for h in plan.hotspots}

    def power(label, days_ago, hour, action_type, length, **extra):
        served = datetime.combine(today - timedelta(days=days_ago), time(hour, 0))
        plan.actions.append(
            _action(
                rng,
                plan,
                hot[label],
                served,
                action_type,
                outcome="notice_served",
                agency="police",
                served_at=served,
                expires_at=served + length,
                **extra,
            )
        )

    inspector = {"authorised_by": "Insp. P. Holloway", "authorising_rank": "inspector"}
    # The s.116 notice that made hotel A's hot spot fade at month 9, and one
    # at hotel B that runs out soon.
    power("hotel A", 30 * 9, 14, "s116_notice", timedelta(days=180), **inspector)
    power("hotel B", 150, 15, "s116_notice", timedelta(days=181), **inspector)
    power("takeaway", 40, 11, "cawn", timedelta(days=60))
    # A closure notice (48 hours with a superintendent) before its hearing.
    power(
        "park",
        1,
        16,
        "closure_notice",
        timedelta(hours=48),
        court_hearing_at=datetime.combine(today, time(14, 0)),
        authorised_by="Supt. K. Varga",
        authorising_rank="superintendent",
    )
    weighted = [loc for loc in plan.locations if loc.category in ACTION_FOR_CATEGORY]
    hot_locs = list(hot.values())
    while len(plan.actions) < total:
        loc = rng.choice(hot_locs) if rng.random() < 0.25 else rng.choice(weighted)
        when = datetime.combine(
            today - timedelta(days=rng.randint(1, 540)),
            time(rng.randint(9, 22), rng.choice([0, 15, 30, 45])),
        )
        plan.actions.append(_action(rng, plan, loc, when))


def _plan_flags(rng: random.Random, plan) -> None:
    for h in plan.hotspots:
        plan.flags.append(
            {
                "location_key": h.location_key,
                "action": "flag",
                "risk_level": "high",
                "reason": f"Repeated intelligence of exploitation ({h.label} hot spot).",
                "days_ago": rng.randint(20, 200),
                "agency": "police",
                "review_in": rng.randint(20, 90),
            }
        )
    candidates = [
        loc
        for loc in plan.locations
        if loc.category
        in {
            "hotel",
            "bnb",
            "takeaway",
            "taxi_rank",
            "shisha_lounge",
            "licensed_premises",
        }
    ]
    for loc in rng.sample(candidates, 36):
        days = rng.randint(30, 500)
        plan.flags.append(
            {
                "location_key": loc.key,
                "action": "flag",
                "risk_level": rng.choice(["low", "medium", "medium", "high"]),
                "reason": "Staff reports of young people with older adults.",
                "days_ago": days,
                "agency": rng.choice(["licensing", "police"]),
                "review_in": rng.randint(-10, 120),
            }
        )
        if rng.random() < 0.25:
            plan.flags.append(
                {
                    "location_key": loc.key,
                    "action": "clear",
                    "risk_level": "",
                    "reason": "Reviewed: no further concern after visits.",
                    "days_ago": max(1, days - rng.randint(10, 25)),
                    "agency": "licensing",
                    "review_in": None,
                }
            )


def _plan_meetings(rng: random.Random, plan) -> None:
    hot_keys = [h.location_key for h in plan.hotspots]
    for n in range(6, 0, -1):
        held = plan.today - timedelta(days=14 * n - 3)
        taskings = []
        for t in range(rng.randint(3, 5)):
            key = (
                hot_keys[(n + t) % len(hot_keys)]
                if t < 3
                else rng.randrange(len(plan.locations))
            )
            due = held + timedelta(days=rng.choice([7, 14, 21]))
            status = "open"
            if due < plan.today - timedelta(days=5):
                status = rng.choice(["done", "done", "done", "cancelled"])
            elif n <= 2 and t == 0:
                status = "in_progress"
            taskings.append(
                {
                    "location_key": key,
                    "due": due,
                    "status": status,
                    "priority": rng.choice(["medium", "high", "high", "urgent"]),
                    "owner_agency": rng.choice(
                        ["police", "licensing", "community_safety"]
                    ),
                    "reason": rng.choice(
                        [
                            "Rising intelligence of young people brought to premises at night.",
                            "Repeat missing episodes found nearby; check staff awareness.",
                            "Taxi pick-ups of young people reported; run vehicle checks.",
                            "Licensing concerns: review licence conditions with the holder.",
                        ]
                    ),
                }
            )
        plan.meetings.append(
            {"group": "cse_mog", "held_on": held, "taskings": taskings}
        )
    plan.meetings.append(
        {
            "group": "daily_tasking",
            "held_on": plan.today - timedelta(days=1),
            "taskings": [
                {
                    "location_key": hot_keys[3],
                    "due": plan.today + timedelta(days=2),
                    "status": "open",
                    "priority": "urgent",
                    "owner_agency": "police",
                    "reason": "Closure notice served: patrol until the hearing.",
                }
            ],
        }
    )
    # Close taskings with the actions that answered them.
    for mi, meeting in enumerate(plan.meetings):
        for ti, tasking in enumerate(meeting["taskings"]):
            if tasking["status"] in {"done", "in_progress"}:
                loc = plan.locations[tasking["location_key"]]
                when = datetime.combine(
                    meeting["held_on"] + timedelta(days=rng.randint(1, 6)), time(12, 0)
                )
                plan.actions.append(
                    _action(
                        rng,
                        plan,
                        loc,
                        min(when, datetime.combine(plan.today, time(9, 0))),
                        tasking_ref=(mi, ti),
                    )
                )


def plan_activity(rng: random.Random, plan, records: int) -> None:
    _plan_records(rng, plan, records)
    _plan_actions(rng, plan, 440)
    _plan_flags(rng, plan)
    _plan_meetings(rng, plan)
