"""One small city for the authorisation matrix, built once per test module.

The data is made inside a transaction that is rolled back when the module
ends; each test runs in its own savepoint inside it (pytest-django's `db`),
so a cell that writes (a flag, a logged visit, a new meeting) leaves nothing
behind for the next cell.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

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
from analysis.services import problem_create
from disruption.services import meeting_create, tasking_create
from imports.models import ImportRun
from intelligence.intake.services import submission_create
from locations.models import Postcode
from locations.services import location_flag
from notifications.models import Notification, NotificationKind
from tests import factories

from .matrix import ROLES

ROLE_GROUPS = {
    "analyst": ANALYST,
    "tasking": TASKING_OFFICER,
    "licensing": LICENSING_OFFICER,
    "safety": COMMUNITY_SAFETY_OFFICER,
    "admin": ADMINISTRATOR,
    "partner": PARTNER,
    "safeguarding": SAFEGUARDING_PRACTITIONER,
}

# The children's home: an exact position and address no role but the
# administrator may see. Odd decimals, so they cannot turn up by chance.
HOME_LON, HOME_LAT = -1.50437, 52.41193
HOME_ADDRESS = "7 Quiet Close"
HOME_POSTCODE = "CV2 9ZQ"
# A second, small ward holding a single record: its count is "<3" for roles
# without record content.
EAST_WARD_WKT = (
    "MULTIPOLYGON(((-1.47 52.40, -1.45 52.40, -1.45 52.42, -1.47 52.42, -1.47 52.40)))"
)
SUBMITTED_ACCOUNT = "MX submitted account"
C_CONDITIONS = "Not to be shared outside the CSE team without the originator"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    # The analyst's API tokens, by scope.
    tokens: dict = field(default_factory=dict)
    # Object variants by family, as matrix.Row.objects names them.
    objects: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    actions: dict = field(default_factory=dict)
    home_bng: tuple[float, float] = (0.0, 0.0)
    # A signed-in session per role, made once: cells reuse its cookie.
    sessions: dict = field(default_factory=dict)
    record_refs: list = field(default_factory=list)
    # Subject references by kind ("young-person", "person-of-interest").
    subject_refs: dict = field(default_factory=dict)

    def pk(self, family: str, variant: str) -> int | str:
        return self.objects[family][variant]


def _days_ago(n: int):
    return timezone.now() - timedelta(days=n)


def _people_build(w: World, *, hotel, home) -> None:
    """A person of interest who frequents the hotel and drives a car seen
    there, and a young person at risk living at the children's home and
    seen in the car: each link rests on a record of the world."""
    from people.services import (
        link_create,
        link_mention,
        subject_create,
        vehicle_get_or_create,
    )

    review = date.today() + timedelta(days=365)
    poi = subject_create(
        kind="person_of_interest", review_date=review, descriptors="MX tall man"
    )
    young = subject_create(kind="young_person", review_date=review)
    car, _ = vehicle_get_or_create(registration="MX61 CAR", make="Skoda")
    p_record, home_record = w.records["P"], w.records["HOME"]
    frequents = link_create(
        link_type="frequents", subject=poi, other=hotel, records=[p_record]
    )
    link_create(link_type="drives", subject=poi, other=car, records=[p_record])
    link_create(link_type="seen_in", subject=young, other=car, records=[p_record])
    resides = link_create(
        link_type="resides", subject=young, other=home, records=[home_record]
    )
    link_mention(record=p_record, entity=car)
    w.objects["subject"] = {"young-person": young.pk, "person-of-interest": poi.pk}
    w.objects["vehicle"] = {"car": car.pk}
    w.objects["link"] = {"place": frequents.pk, "young-person": resides.pk}
    w.subject_refs = {
        "young-person": young.reference,
        "person-of-interest": poi.reference,
    }


def _licensing_build(w: World) -> None:
    """A private-hire operator based at a base of the premises register, a
    driver not compliant (no DBS) whose licence the licensing officer
    holds, the driver's licensed vehicle,
    and a prompt of the officer's about it; a taxi rank for checks. The
    licensed car is not the people world's car: a licensing officer reads
    the licensing register, never which cars intelligence links to whom."""
    from licensing.models import (
        Driver,
        LicensedVehicle,
        LicensingPrompt,
        Operator,
        StaffMember,
    )
    from people.services import vehicle_get_or_create

    base = factories.make_location(
        name="MX Cars base",
        category="private_hire_base",
        point=factories.geom("POINT(-1.5100 52.4080)"),
    )
    w.objects["rank"] = {
        "rank": factories.make_location(
            name="MX Station rank",
            category="taxi_rank",
            point=factories.geom("POINT(-1.5110 52.4010)"),
        ).pk
    }
    operator = Operator.objects.create(
        licence_number="MX-PHO-1", name="MX Cars", base=base
    )
    driver = Driver.objects.create(
        licence_number="MX-DL-1",
        name="MX Driver Name",
        licence_type="private_hire",
        issued_on=date.today() - timedelta(days=400),
        expires_on=date.today() + timedelta(days=700),
        operator=operator,
        officer=w.users["licensing"],
        training_completed_on=date.today() - timedelta(days=100),
    )
    taxi, _ = vehicle_get_or_create(registration="MX62 TAX", make="Toyota")
    licence = LicensedVehicle.objects.create(
        vehicle=taxi,
        plate_number="MX PH 1",
        licence_type="private_hire",
        plate_expires_on=date.today() + timedelta(days=200),
        driver=driver,
        operator=operator,
        officer=w.users["licensing"],
    )
    prompt = LicensingPrompt.objects.create(
        officer=w.users["licensing"],
        licensed_vehicle=licence,
        record_id=w.records["P"].pk,
    )
    StaffMember.objects.create(
        reference="MX-E-1",
        name="MX Staff Name",
        kind="staff",
        directorate="MX Children's Services",
    )
    w.objects["driver"] = {"licensed": driver.pk}
    w.objects["licence"] = {"car": licence.pk}
    w.objects["prompt"] = {"licensing": prompt.pk}


def _safeguarding_build(w: World, *, hotel, meeting) -> None:
    """The young person's screening and CMOG case, their missing episode at
    the children's home, the person of interest's perpetrator forum case,
    and a safety plan on the hotel whose police contact is the tasking
    officer, alerted by record P."""
    from people.models import Subject
    from people.services import link_mention
    from safeguarding.indicators import default_set_load
    from safeguarding.models import Indicator, IndicatorSet
    from safeguarding.services import (
        AnswerInput,
        alert_raise,
        panel_case_open,
        safety_plan_create,
        screening_record,
    )

    young = Subject.objects.get(pk=w.objects["subject"]["young-person"])
    poi = Subject.objects.get(pk=w.objects["subject"]["person-of-interest"])
    practitioner = w.users["safeguarding"]
    # The data migration's rows, gone if a transactional test flushed them.
    tool = default_set_load(indicator_set_model=IndicatorSet, indicator_model=Indicator)
    screening = screening_record(
        subject=young,
        indicator_set=tool,
        user=practitioner,
        answers=[
            AnswerInput(indicator=i, presence="absent", when="now")
            for i in tool.indicators.all()
        ],
    )
    episode = link_mention(record=w.records["HOME"], entity=young)
    plan = safety_plan_create(
        subject=young,
        police_contact=w.users["tasking"],
        lead_professional=practitioner,
        starts_on=date.today() - timedelta(days=30),
        ends_on=date.today() + timedelta(days=30),
        user=practitioner,
        locations=[hotel],
    )
    alert = alert_raise(plan=plan, record=w.records["P"], matched="MX at the hotel")
    w.objects["screening"] = {"screening": screening.pk}
    w.objects["episode"] = {"episode": episode.pk}
    w.objects["panel"] = {"cmog": meeting.pk}
    w.objects["case"] = {
        "cmog": panel_case_open(panel="cse_mog", subject=young, user=practitioner).pk,
        "perpetrator": panel_case_open(
            panel="perpetrator", subject=poi, user=practitioner
        ).pk,
    }
    w.objects["alert"] = {"alert": alert.pk}


def world_build() -> World:
    w = World()
    for role, group in ROLE_GROUPS.items():
        w.users[role] = factories.make_user(group, f"mx-{role}")
    w.users["anonymous"] = None
    assert set(w.users) == set(ROLES)
    w.tokens = {
        scope: factories.make_token(w.users["analyst"], scope=scope)
        for scope in ("read", "submit", "map")
    }
    # An authenticator, so the admin's device pages have one to show.
    TOTPDevice.objects.create(
        user=factories.make_user(ROLE_GROUPS["safety"], "mx-phone-owner"),
        name="mx phone",
        confirmed=True,
    )
    for role, user in w.users.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            # Signed in as someone who has given the session's reason for
            # consulting intelligence (s.62): the matrix is about who may
            # see what, not about being asked; tests/audit covers the asking.
            factories.justify(client)
            w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    factories.make_area(code="E05MX0001", name="Centre ward")
    factories.make_area(
        code="E05MX0002", name="East ward", geom=factories.geom(EAST_WARD_WKT)
    )
    hotel = factories.make_location(name="MX Station Hotel")
    takeaway = factories.make_location(
        name="MX Late Grill",
        category="takeaway",
        point=factories.geom("POINT(-1.5120 52.4070)"),
    )
    location_flag(
        location=takeaway,
        user=w.users["licensing"],
        action="flag",
        reason="Young people seen late with older men",
        risk_level="high",
        review_date=date.today() + timedelta(days=30),
    )
    home = factories.make_location(
        name="MX Children's Home",
        category="childrens_home",
        address=HOME_ADDRESS,
        postcode=HOME_POSTCODE,
        point=factories.geom(f"POINT({HOME_LON} {HOME_LAT})"),
    )
    w.objects["location"] = {
        "ordinary": hotel.pk,
        "flagged": takeaway.pk,
        "restricted": home.pk,
    }

    def record(tag, **kwargs):
        rec = factories.make_record(
            reference=f"INT-MX-{tag}",
            summary=f"MX summary {tag}: young person with older adults",
            occurred_from=_days_ago(10),
            **kwargs,
        )
        w.records[tag] = rec
        w.record_refs.append(rec.reference)
        return rec

    for rec in (
        record("P"),
        record("C", handling_code="C", handling_conditions=C_CONDITIONS),
        # Legacy 5x5x5 handling code 4 restricts sharing as C does.
        record(
            "L4",
            grading_scheme="5x5x5",
            source_evaluation="B",
            intelligence_assessment="2",
            handling_code="4",
        ),
    ):
        rec.location_links.create(location=hotel, link_type="occurred_at")
    record(
        "HOME",
        kind="missing",
        missing_point="found",
        point=factories.geom(f"POINT({HOME_LON} {HOME_LAT})"),
    ).location_links.create(location=home, link_type="occurred_at")
    record("EAST", point=factories.geom("POINT(-1.4600 52.4100)"))
    _people_build(w, hotel=hotel, home=home)
    _licensing_build(w)
    w.objects["record"] = {
        "P": w.records["P"].pk,
        "C": w.records["C"].pk,
        "legacy-4": w.records["L4"].pk,
        "at-restricted": w.records["HOME"].pk,
    }

    # A partner's submission, awaiting grading: only the partner, analysts
    # and administrators may read what it says.
    submission = submission_create(
        user=w.users["partner"],
        data={
            "kind": "intelligence",
            "account": f"{SUBMITTED_ACCOUNT}: two men took girls to room 4",
            "occurred_from": _days_ago(1),
            "location_method": "premises",
            "source_type": "business_staff",
            "submitter_is_source": True,
            "vehicle_marks": ["MX12ABC"],
            "premises": [(hotel, "venue")],
            "point": hotel.point,
            "precision_m": 10,
        },
    )
    w.objects["submission"] = {"awaiting": submission.pk}

    w.actions["licensing"] = factories.make_action(
        location=hotel,
        agency=Agency.LICENSING,
        action_type="licensing_inspection",
        outcome="advice_given",
        notes="MX licensing inspection note",
        occurred_at=_days_ago(5),
        officer=w.users["licensing"],
    )
    w.actions["safety"] = factories.make_action(
        location=takeaway,
        agency=Agency.COMMUNITY_SAFETY,
        notes="MX safety visit note",
        occurred_at=_days_ago(6),
        officer=w.users["safety"],
    )
    w.actions["police-home"] = factories.make_action(
        location=home,
        agency=Agency.POLICE,
        action_type="cawn",
        outcome="notice_served",
        notes="MX police notice note",
        point=home.point,
        occurred_at=_days_ago(7),
        served_at=_days_ago(7),
        expires_at=timezone.now() + timedelta(days=3),
    )

    w.objects["action"] = {
        "licensing": w.actions["licensing"].pk,
        "safety": w.actions["safety"].pk,
        "at-restricted": w.actions["police-home"].pk,
    }

    meeting = meeting_create(
        group="cse_mog", held_on=date.today() - timedelta(days=1), chair=None
    )
    w.objects["meeting"] = {"meeting": meeting.pk}
    due = date.today() + timedelta(days=14)
    owner = {"priority": "high", "owner_agency": Agency.POLICE, "due_date": due}
    at_hotel = tasking_create(
        meeting=meeting,
        target_location=hotel,
        target_description=hotel.name,
        reason="MX tasking: visit the hotel",
        **owner,
    )
    at_home = tasking_create(
        meeting=meeting,
        target_location=home,
        target_description=home.name,
        reason="MX tasking: welfare check",
        **owner,
    )
    w.objects["tasking"] = {"ordinary": at_hotel.pk, "restricted": at_home.pk}
    _safeguarding_build(w, hotel=hotel, meeting=meeting)
    w.objects["report"] = {"known": "records-by-ward-month"}
    # Problem profiles: one on a circle round the hotel, one on the
    # children's home (not there for roles not cleared for its position).
    w.objects["problem"] = {
        "ordinary": problem_create(
            owner=w.users["analyst"],
            name="MX hotel parties",
            point=hotel.point,
            radius_m=400,
        ).pk,
        "restricted": problem_create(
            owner=w.users["admin"], name="MX missing from the home", location=home
        ).pk,
    }
    # An id no other number on a page shares: cells compare pages with it
    # replaced.
    w.objects["notification"] = {
        "analyst": Notification.objects.create(
            id=7_770_001,
            user=w.users["analyst"],
            kind=NotificationKind.TASKING_ASSIGNED,
            key="mx-notification",
            title="MX tasking for the analyst",
            url=f"/analysis/taskings/{at_hotel.pk}/",
        ).pk
    }
    w.objects["chart"] = {"known": "records-by-month"}

    # Rows for the admin's object pages.
    ImportRun.objects.create(format="fhrs", file_name="mx.xml", created_by=None)
    Postcode.objects.create(postcode="cv99mx", point=hotel.point)
    # The submission form's postcode pin and the premises form's, as the
    # importer keeps postcodes: upper case, no spaces.
    Postcode.objects.create(postcode="CV99MY", point=hotel.point)

    with connection.cursor() as cur:
        cur.execute(
            "SELECT ST_X(point_bng), ST_Y(point_bng) FROM locations_location "
            "WHERE id = %s",
            [home.pk],
        )
        w.home_bng = cur.fetchone()
    return w


# The sessions are made once per module, and every cell's request is rolled
# back with its answer, so none renews them: a module that outlasts the idle
# timeout (30 minutes, on a loaded machine or a worker's share of it under
# pytest-xdist) would find every role signed out. The matrix is about who may
# see what; tests/accounts/test_session_limits.py is about sessions ending.
SESSIONS_LAST = timedelta(hours=12)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(
            SESSION_IDLE_TIMEOUT=SESSIONS_LAST,
            SESSION_COOKIE_AGE=int(SESSIONS_LAST.total_seconds()),
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def client_as(world, db):
    """A test client signed in (by session) as the role, or signed out."""

    def make(role: str) -> Client:
        client = Client()
        if role in world.sessions:
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        return client

    return make


def pytest_terminal_summary(terminalreporter):
    from .cells import cell_list, matrix_size

    ran = terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    )
    if any(r.nodeid.startswith("tests/access/test_matrix.py") for r in ran):
        terminalreporter.write_line(f"authorisation matrix: {matrix_size(cell_list())}")


@pytest.fixture(autouse=True)
def _exports_stay_confirmed(settings):
    """The sessions are made once per module and a run can outlast the
    15 minutes an export's confirmation holds; the matrix is about who may
    see what, not about being asked again (tests/accounts/test_reauth.py)."""
    settings.REAUTH_TIMEOUT = timedelta(hours=12)
