"""Schema-driven fuzzing of the API, for every role.

Schemathesis reads the OpenAPI document the product serves at /api/v1/schema/
and generates requests for each operation, valid ones and invalid ones; every
answer must be free of server errors and match the schema: a documented status
code, a documented content type and a body of the documented shape. Detail
routes are also driven with the ids of real rows, so serialisers run on data,
not only on 404s. Generation is derandomised: the same cases every run.
"""

import os
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Agency
from accounts.roles import ALL_ROLES, PARTNER
from tests import factories

pytestmark = pytest.mark.django_db

# The schema's bbox and point formats (maps.params): valid ones mostly around
# the seeded city, so that valid requests reach the queries, not only the
# parameter checks. Invalid ones come from the negative cases.
_LON = st.floats(-1.65, -1.35).map(lambda v: round(v, 4))
_LAT = st.floats(52.35, 52.47).map(lambda v: round(v, 4))
_SPAN = st.floats(0.001, 0.3).map(lambda v: round(v, 4))
schemathesis.openapi.format(
    "wgs84-point", st.tuples(_LON, _LAT).map(lambda p: f"{p[0]},{p[1]}")
)
schemathesis.openapi.format(
    "wgs84-bbox",
    st.tuples(_LON, _LAT, _SPAN, _SPAN).map(
        lambda b: f"{b[0]},{b[1]},{round(b[0] + b[2], 4)},{round(b[1] + b[3], 4)}"
    ),
)

# Cases per operation and generation mode: small enough that every role
# together stays near a minute on two cores. INTEL_MAP_FUZZ_EXAMPLES asks for
# a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("INTEL_MAP_FUZZ_EXAMPLES", "8"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's own WSGI handler, in process and on the test's connection.

    Like django.test.Client, it must not close the connection at the end of
    each request: that would end the test's transaction and its data.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded():
    """A few rows of every kind the API serves; returns their ids by route."""
    area = factories.make_area()
    factories.make_area(
        area_type="lsoa",
        geom=factories.geom(
            "MULTIPOLYGON(((-1.52 52.40, -1.50 52.40, -1.50 52.41, -1.52 52.41,"
            " -1.52 52.40)))"
        ),
    )
    hotel = factories.make_location(concern_level="high")
    home = factories.make_location(
        category="childrens_home", point=factories.geom("POINT(-1.505 52.405)")
    )
    takeaway = factories.make_location(
        category="takeaway", point=factories.geom("POINT(-1.52 52.415)")
    )
    now = timezone.now()
    records = [
        factories.make_record(),
        factories.make_record(
            handling_code="C",
            handling_conditions="Not to be shared outside the police.",
            occurred_from=now - timedelta(days=40),
        ),
        factories.make_record(
            kind="missing",
            missing_point="last_seen",
            tags=["repeat_missing"],
            point=factories.geom("POINT(-1.505 52.405)"),
        ),
    ]
    for record, location in zip(records, [hotel, home, takeaway], strict=True):
        record.location_links.create(location=location, link_type="occurred_at")
    factories.make_action(location=hotel, occurred_at=now - timedelta(days=5))
    factories.make_action(
        agency=Agency.LICENSING,
        action_type="licensing_inspection",
        outcome="compliant",
        location=takeaway,
        occurred_at=now - timedelta(days=20),
    )
    admin = factories.make_user(ALL_ROLES[-1], "fuzz-flagger")
    factories.make_flag(location=hotel, user=admin)
    return {
        "locations": [hotel.pk, home.pk, takeaway.pk],
        "intelligence": [r.pk for r in records],
        "area": area.code,
    }


def _real_ids(path: str, seeded: dict) -> list[int]:
    for prefix, ids in seeded.items():
        if path.startswith(f"/api/v1/{prefix}/{{id}}"):
            return ids
    return []


def _strategy(operation, mode, ids):
    generated = operation.as_strategy(generation_mode=mode)
    if not ids or not mode.is_positive:
        return generated
    real = st.sampled_from(ids).flatmap(
        lambda pk: operation.as_strategy(
            generation_mode=mode, path_parameters={"id": pk}
        )
    )
    return st.one_of(real, generated)


def _auth_by_operation(user):
    """Each operation with the credentials a client of it would hold: a
    read-only token for reads, a submit-only token for submitting records,
    and for what no token may do (changes, exports) a signed-in session
    that has just given its password, with its CSRF token."""
    from django.conf import settings as django_settings
    from django.test import Client

    read = {"Authorization": f"Token {factories.make_token(user)}"}
    submit = {"Authorization": f"Token {factories.make_token(user, scope='submit')}"}
    browser = Client()
    browser.force_login(user)
    csrf = "x" * 32
    session = {
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}="
        f"{browser.cookies[django_settings.SESSION_COOKIE_NAME].value}; "
        f"{django_settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }

    def auth(operation) -> dict:
        if operation is None:
            return read
        method, path = operation.method.upper(), operation.path
        if path.endswith("/export/"):
            return session
        if method == "GET" or path == "/api/v1/query/area/":
            return read
        if method == "POST" and path == "/api/v1/intelligence/":
            return submit
        return session

    return auth


# A partner reads none of the API, not even its schema (the matrix holds
# that); there is nothing of it to fuzz.
@pytest.mark.parametrize("role", [r for r in ALL_ROLES if r != PARTNER])
def test_api_matches_its_schema_for_every_role(role, wsgi_app, seeded, capsys):
    user = factories.make_user(role)
    auth = _auth_by_operation(user)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", wsgi_app, headers=auth(None)
    )

    statuses = Counter()
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        ids = _real_ids(operation.path, seeded)
        # (Its security schemes' header and cookie are not input: every
        # request carries the role's token instead.)
        has_inputs = bool(operation.body) or any(
            [*operation.query, *operation.path_parameters]
        )
        modes = [GenerationMode.POSITIVE]
        if has_inputs:
            # Nothing to make invalid in an operation that takes no input.
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:

            @settings(
                max_examples=MAX_EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=_strategy(operation, mode, ids))
            def run(case):
                headers = auth(case.operation)
                response = case.call(headers=headers)
                statuses[response.status_code // 100] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # gathered, reported below
                failures.append(f"{operation.label} [{mode.value}]: {exc}")

    with capsys.disabled():
        print(
            f"\nschema fuzz: {role}: {statuses.total()} cases over {operations}"
            f" operations ({statuses[2]} 2xx, {statuses[4]} 4xx, {statuses[5]} 5xx),"
            f" {len(failures)} failing"
        )
    assert operations >= 15
    assert not failures, "\n\n".join(failures)
