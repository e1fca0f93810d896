"""The demo city's safeguarding: screenings, missing episodes with their
72-hour clocks at every stage, sittings of MASP and CMOG with cases, a
perpetrator forum case, and a safety plan on a hotel. Written through the
safeguarding services, as a practitioner would."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from intelligence.models import IntelligenceRecord, RecordKind
from locations.models import Category, Location
from people.models import Subject, SubjectKind
from safeguarding.indicators import default_set_load
from safeguarding.models import Indicator, IndicatorSet, Presence, When
from safeguarding.services import (
    ActionInput,
    AnswerInput,
    case_action_add,
    masp_review_record,
    panel_case_open,
    panel_meeting_open,
    safety_plan_create,
    screening_record,
)

# Hours since each new episode's return: an interview comfortably in time,
# one in its last 24 hours, one overdue.
EPISODE_RETURN_HOURS = [20, 60, 96, 130]


def _episode(base: IntelligenceRecord, *, child: Subject, hours: int, n: int):
    """A fresh missing episode naming the child (its former reference: the
    mention link comes from the records' trigger)."""
    now = timezone.now()
    rec = IntelligenceRecord.objects.get(pk=base.pk)
    links = list(base.location_links.all())
    rec.pk = None
    rec.reference = f"MIS-DEMO-{n:04d}"
    rec.source_id = rec.reference
    rec.occurred_from = now - timedelta(hours=hours + 14)
    rec.occurred_to = now - timedelta(hours=hours)
    rec.received_on = timezone.localdate(now - timedelta(hours=hours))
    rec.missing_point = "found"
    rec.subject_refs = [child.former_ref]
    rec.vehicle_marks = []
    rec.tags = ["repeat_missing"]
    rec.save()
    for link in links:
        rec.location_links.create(location=link.location, link_type=link.link_type)
    return rec


def safeguarding_load(*, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    User = get_user_model()
    practitioner = User.objects.get(username="practitioner")
    police = User.objects.get(username="tasking")
    # The data migration's set, made again if the tables were flushed.
    tool = IndicatorSet.objects.filter(current=True).first() or default_set_load(
        indicator_set_model=IndicatorSet, indicator_model=Indicator
    )
    indicators = {i.code: i for i in tool.indicators.all()}
    children = list(
        Subject.objects.filter(kind=SubjectKind.YOUNG_PERSON)
        .exclude(former_ref="")
        .order_by("id")[:12]
    )
    today = timezone.localdate()
    # Screenings: some at each outcome.
    patterns = [
        [],
        ["education_persistent_absence"],
        ["relationships_older_partner", "education_persistent_absence"],
        ["places_hotels", "vehicles_unknown_adults", "missing_repeat", "money_gifts"],
        ["disclosure", "places_hotels"],
        ["money_gifts", "substances", "online_contact"],
    ]
    screenings = 0
    for i, child in enumerate(children):
        present = patterns[i % len(patterns)]
        screening_record(
            subject=child,
            indicator_set=tool,
            user=practitioner,
            answers=[
                AnswerInput(
                    indicator=ind,
                    presence=Presence.PRESENT if code in present else Presence.ABSENT,
                    when=When.NOW,
                    comment="Reported by the school" if code in present else "",
                )
                for code, ind in indicators.items()
            ],
        )
        screenings += 1
    masp = panel_meeting_open(panel="masp", held_on=today + timedelta(days=1))
    cmog = panel_meeting_open(
        panel="cse_mog", held_on=today + timedelta(days=3), chair=practitioner
    )
    panel_meeting_open(panel="perpetrator", held_on=today + timedelta(days=10))
    base = IntelligenceRecord.objects.filter(
        kind=RecordKind.MISSING, status="graded", handling_code="P"
    ).first()
    episodes = []
    if base is not None:
        for n, hours in enumerate(EPISODE_RETURN_HOURS):
            child = children[(n * 2) % len(children)]
            episodes.append((_episode(base, child=child, hours=hours, n=n), child))
    # MASP reviewed the oldest and referred it to CMOG.
    if episodes:
        record, child = episodes[-1]
        masp_review_record(
            record=record,
            subject=child,
            decision="refer_cmog",
            notes="Third episode this quarter; hotel contact named.",
            user=practitioner,
        )
    cases = 0
    for child in children[3:6]:
        case = panel_case_open(panel="cse_mog", subject=child, user=practitioner)
        case_action_add(
            case=case,
            action=ActionInput(
                description="Return home interview to explore hotel contact",
                owner=practitioner,
                owner_agency="social_care",
                due_date=cmog.held_on + timedelta(days=rng.choice([7, 14])),
            ),
        )
        cases += 1
    poi = Subject.objects.filter(kind=SubjectKind.PERSON_OF_INTEREST).first()
    if poi is not None:
        case = panel_case_open(panel="perpetrator", subject=poi, user=practitioner)
        case_action_add(
            case=case,
            action=ActionInput(
                description="Apply for a sexual risk order",
                owner=police,
                owner_agency="police",
                due_date=today + timedelta(days=21),
                intervention="sexual_risk_order",
            ),
        )
        cases += 1
    hotel = Location.objects.filter(category=Category.HOTEL).order_by("id").first()
    plans = 0
    if hotel is not None and children:
        safety_plan_create(
            subject=children[4 % len(children)],
            police_contact=police,
            lead_professional=practitioner,
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=90),
            user=practitioner,
            locations=[hotel],
        )
        plans = 1
    del masp
    return {
        "screenings": screenings,
        "new missing episodes": len(episodes),
        "panel cases": cases,
        "safety plans": plans,
    }
