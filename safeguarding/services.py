"""Every write of the safeguarding app, each in one transaction."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from disruption.models import TaskingMeeting
from disruption.services import meeting_create
from intelligence.models import IntelligenceRecord, RecordKind
from locations.models import Location
from notifications.models import NotificationKind
from notifications.services import (
    notification_email_queue,
    notification_email_send,
    notification_send,
)
from people.models import Forum, LinkType, Subject, SubjectKind, Vehicle
from people.services import link_create

from .models import (
    OUTCOME_LEVELS,
    CaseAction,
    CaseReview,
    Indicator,
    IndicatorSet,
    MaspDecision,
    MaspReview,
    Panel,
    PanelCase,
    ReturnInterview,
    SafetyPlan,
    SafetyPlanAlert,
    SafetyPlanTrigger,
    Screening,
    ScreeningAnswer,
    ScreeningMention,
)
from .rules import Answer, outcome_compute, override_allowed, review_date_for

logger = logging.getLogger(__name__)


def _agency(user: AbstractBaseUser) -> str:
    profile = getattr(user, "profile", None)
    return profile.agency if profile is not None else ""


def _young_person(subject: Subject) -> None:
    if subject.kind != SubjectKind.YOUNG_PERSON:
        raise ValidationError({"subject": "Only a young person is screened."})


@dataclass(frozen=True)
class AnswerInput:
    indicator: Indicator
    presence: str
    when: str
    comment: str = ""


@transaction.atomic
def screening_record(
    *,
    subject: Subject,
    indicator_set: IndicatorSet,
    user: AbstractBaseUser,
    answers: Iterable[AnswerInput],
    outcome: str | None = None,
    override_reason: str = "",
    locations: Iterable[Location] = (),
    vehicles: Iterable[Vehicle] = (),
    records: Iterable[IntelligenceRecord] = (),
) -> Screening:
    """A screening on this version's indicators; the outcome by its rule,
    overridden one level either way only with a reason (both kept). Named
    places and vehicles are kept with it, and linked to the child when the
    screening cites a record."""
    _young_person(subject)
    answers = list(answers)
    wrong = [a for a in answers if a.indicator.indicator_set_id != indicator_set.pk]
    if wrong:
        raise ValidationError({"answers": "An answer is for another tool version."})
    result = outcome_compute(
        indicator_set=indicator_set,
        answers=[Answer(a.indicator, a.presence, a.when) for a in answers],
    )
    final = outcome or result.outcome
    reason = (override_reason or "").strip()
    if final not in OUTCOME_LEVELS:
        raise ValidationError({"outcome": "Choose one of the three outcomes."})
    if not override_allowed(computed=result.outcome, final=final):
        raise ValidationError(
            {"outcome": "An override moves the outcome one level at most."}
        )
    if final != result.outcome and not reason:
        raise ValidationError(
            {"override_reason": "Say why the outcome differs from the rule's."}
        )
    if final == result.outcome:
        reason = ""
    today = timezone.localdate()
    screening = Screening(
        subject=subject,
        indicator_set=indicator_set,
        screened_by=user,
        agency=_agency(user),
        computed_outcome=result.outcome,
        rule_applied=result.explanation,
        outcome=final,
        override_reason=reason,
        review_date=review_date_for(
            indicator_set=indicator_set, outcome=final, screened_on=today
        ),
    )
    screening.full_clean()
    screening.save()
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(
            screening=screening,
            indicator=a.indicator,
            presence=a.presence,
            when=a.when,
            comment=a.comment,
        )
        for a in answers
    )
    records = list(records)
    for location in dict.fromkeys(locations):
        ScreeningMention.objects.create(screening=screening, location=location)
        if records:
            link_create(
                link_type=LinkType.SEEN_AT,
                subject=subject,
                other=location,
                records=records,
                created_by=user,
            )
    for vehicle in dict.fromkeys(vehicles):
        ScreeningMention.objects.create(screening=screening, vehicle=vehicle)
        if records:
            link_create(
                link_type=LinkType.SEEN_IN,
                subject=subject,
                other=vehicle,
                records=records,
                created_by=user,
            )
    # The profile carries its latest outcome (people.Subject).
    Subject.objects.filter(pk=subject.pk).update(
        screening_outcome=final, updated_at=timezone.now()
    )
    return screening


# --- Missing episodes ----------------------------------------------------------


def _episode_check(*, record: IntelligenceRecord, subject: Subject) -> None:
    if record.kind != RecordKind.MISSING:
        raise ValidationError({"record": "This record is not a missing episode."})
    _young_person(subject)
    if not record.people_mentions.filter(subject=subject).exists():
        raise ValidationError({"subject": "The episode does not name this child."})


@transaction.atomic
def return_interview_record(
    *,
    record: IntelligenceRecord,
    subject: Subject,
    held_at: datetime,
    user: AbstractBaseUser,
) -> ReturnInterview:
    _episode_check(record=record, subject=subject)
    if held_at > timezone.now():
        raise ValidationError({"held_at": "The interview has not happened yet."})
    interview = ReturnInterview(
        record=record, subject=subject, held_at=held_at, recorded_by=user
    )
    interview.full_clean()
    interview.save()
    return interview


def panel_next_sitting(*, panel: str, on_or_after: date) -> TaskingMeeting | None:
    return (
        TaskingMeeting.objects.filter(group=panel, held_on__gte=on_or_after)
        .order_by("held_on")
        .first()
    )


@transaction.atomic
def masp_review_record(
    *,
    record: IntelligenceRecord,
    subject: Subject,
    decision: str,
    notes: str,
    user: AbstractBaseUser,
) -> MaspReview:
    """MASP's decision on one episode. A referral opens (or keeps) the
    child's CMOG case, due at CMOG's next sitting."""
    _episode_check(record=record, subject=subject)
    if MaspReview.objects.filter(record=record, subject=subject).exists():
        raise ValidationError({"record": "MASP has reviewed this episode already."})
    today = timezone.localdate()
    review = MaspReview(
        record=record,
        subject=subject,
        meeting=panel_next_sitting(panel="masp", on_or_after=today),
        decision=decision,
        notes=(notes or "").strip(),
        decided_by=user,
    )
    review.full_clean()
    review.save()
    if decision == MaspDecision.REFER_CMOG:
        panel_case_open(
            panel=Panel.CMOG, subject=subject, referred_by=review, user=user
        )
    return review


# --- Case panels ---------------------------------------------------------------


@transaction.atomic
def panel_meeting_open(
    *, panel: str, held_on: date, chair: AbstractBaseUser | None = None
) -> TaskingMeeting:
    """A sitting of a panel: a tasking meeting of the panel's group."""
    if panel not in [*Panel.values, "masp"]:
        raise ValidationError({"panel": "No such panel."})
    return meeting_create(group=panel, held_on=held_on, chair=chair)


@transaction.atomic
def panel_case_open(
    *,
    panel: str,
    subject: Subject,
    user: AbstractBaseUser,
    referred_by: MaspReview | None = None,
) -> PanelCase:
    """The subject's open case on this panel, opened if there is none, due
    at the panel's next sitting (today if none is set yet)."""
    wants = (
        SubjectKind.PERSON_OF_INTEREST
        if panel == Panel.PERPETRATOR
        else SubjectKind.YOUNG_PERSON
    )
    if subject.kind != wants:
        raise ValidationError(
            {"subject": f"A {Panel(panel).label} case is a {SubjectKind(wants).label}."}
        )
    existing = PanelCase.objects.filter(
        panel=panel, subject=subject, closed_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    sitting = panel_next_sitting(panel=panel, on_or_after=today)
    case = PanelCase(
        panel=panel,
        subject=subject,
        referred_by=referred_by,
        next_review=sitting.held_on if sitting else today,
        lead_professional=user,
        lead_agency=_agency(user),
    )
    case.full_clean()
    case.save()
    if panel in (Panel.CMOG, Panel.MACE):
        Subject.objects.filter(pk=subject.pk).update(
            forum=Forum.CMOG if panel == Panel.CMOG else Forum.MACE
        )
    return case


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: AbstractBaseUser
    owner_agency: str
    due_date: date
    intervention: str = "action"


@transaction.atomic
def case_review_record(
    *,
    case: PanelCase,
    meeting: TaskingMeeting,
    user: AbstractBaseUser,
    risk_level: str,
    lead_professional: AbstractBaseUser,
    lead_agency: str,
    next_review: date,
    intervention: bool,
    notes: str = "",
    actions: Iterable[ActionInput] = (),
) -> CaseReview:
    if meeting.group != case.panel:
        raise ValidationError({"meeting": "This sitting is another panel's."})
    if next_review <= meeting.held_on:
        raise ValidationError(
            {"next_review": "The next review comes after this sitting."}
        )
    review = CaseReview(
        case=case,
        meeting=meeting,
        risk_level=risk_level,
        lead_professional=lead_professional,
        lead_agency=lead_agency,
        next_review=next_review,
        notes=(notes or "").strip(),
        reviewed_by=user,
    )
    review.full_clean()
    review.save()
    PanelCase.objects.filter(pk=case.pk).update(
        risk_level=risk_level,
        lead_professional=lead_professional,
        lead_agency=lead_agency,
        next_review=next_review,
        intervention=intervention,
    )
    for a in actions:
        case_action_add(case=case, review=review, action=a)
    return review


@transaction.atomic
def case_action_add(
    *, case: PanelCase, action: ActionInput, review: CaseReview | None = None
) -> CaseAction:
    if action.intervention != "action" and case.panel != Panel.PERPETRATOR:
        raise ValidationError(
            {"intervention": "Civil interventions are the perpetrator forum's."}
        )
    row = CaseAction(
        case=case,
        review=review,
        intervention=action.intervention,
        description=action.description,
        owner=action.owner,
        owner_agency=action.owner_agency,
        due_date=action.due_date,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def case_action_done(*, action: CaseAction, served=None) -> CaseAction:
    """Done; a CAWN or SRO names the disruption action that served it (its
    legal clock)."""
    action.done_at = timezone.now()
    action.served = served
    action.full_clean()
    action.save(update_fields=["done_at", "served"])
    return action


# --- Safety plans and their alerts ---------------------------------------------


@transaction.atomic
def safety_plan_create(
    *,
    subject: Subject,
    police_contact: AbstractBaseUser,
    lead_professional: AbstractBaseUser,
    starts_on: date,
    ends_on: date,
    user: AbstractBaseUser,
    locations: Iterable[Location] = (),
    vehicles: Iterable[Vehicle] = (),
    response: str = "Immediate police response",
) -> SafetyPlan:
    _young_person(subject)
    if not police_contact.has_perm("intelligence.view_record_content"):
        raise ValidationError(
            {"police_contact": "The police contact must be a police role."}
        )
    plan = SafetyPlan(
        subject=subject,
        police_contact=police_contact,
        lead_professional=lead_professional,
        starts_on=starts_on,
        ends_on=ends_on,
        response=response,
        created_by=user,
    )
    plan.full_clean()
    plan.save()
    SafetyPlanTrigger.objects.bulk_create(
        [SafetyPlanTrigger(plan=plan, location=loc) for loc in set(locations)]
        + [SafetyPlanTrigger(plan=plan, vehicle=v) for v in set(vehicles)]
    )
    if not plan.triggers.exists():
        raise ValidationError({"triggers": "Name at least one place or vehicle."})
    return plan


@transaction.atomic
def alert_raise(
    *, plan: SafetyPlan, record: IntelligenceRecord, matched: str
) -> SafetyPlanAlert | None:
    """Alert the plan's police contact and lead professional at once: on
    their home page and by email as soon as the record is committed. Once
    per plan and record."""
    alert, created = SafetyPlanAlert.objects.get_or_create(
        plan=plan, record=record, defaults={"matched": matched[:255]}
    )
    if not created:
        return None
    # Reference numbers only: an email may travel further than the pages.
    title = (
        f"Safety-plan alert: {record.reference} meets safety plan {plan.pk} "
        f"({plan.response.lower()})"
    )
    url = reverse("safeguarding:alert", args=[alert.pk])
    for user in {plan.police_contact, plan.lead_professional}:
        note = notification_send(
            user=user,
            kind=NotificationKind.SAFETY_PLAN_ALERT,
            key=f"safety-plan-alert:{alert.pk}",
            title=title,
            url=url,
            queue_email=False,
        )
        if note is not None:
            transaction.on_commit(lambda pk=note.pk: alert_email(notification_id=pk))
    return alert


def alert_email(*, notification_id: int) -> None:
    """Email the alert now; if the mail server fails, queue it for the
    worker's retries rather than lose it or fail the record's writer."""
    try:
        notification_email_send(notification_id=notification_id)
    except Exception:
        logger.exception("Safety-plan alert email failed; queued for retry")
        notification_email_queue(notification_id=notification_id)


@transaction.atomic
def alert_acknowledge(*, alert: SafetyPlanAlert, user: AbstractBaseUser):
    current = SafetyPlanAlert.objects.select_for_update().get(pk=alert.pk)
    if current.acknowledged_at is not None:
        raise ValidationError({"alert": "This alert was acknowledged already."})
    current.acknowledged_by = user
    current.acknowledged_at = timezone.now()
    current.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return current
