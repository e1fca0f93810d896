"""Every cell of the authorisation matrix, requested for real.

Each role signs in by session; API routes are also requested with the
analyst's token and no session. Past the status, every text response is read
for what the role must never be shown: a children's home's exact position or
address (all but the administrator), and record content (roles without it).
"""

import re
from dataclasses import replace

import pytest
from django.db import transaction

from tests import factories

from .cells import Cell, cell_list, outcome
from .conftest import (
    C_CONDITIONS,
    HOME_ADDRESS,
    HOME_LAT,
    HOME_LON,
    HOME_POSTCODE,
    SUBMITTED_ACCOUNT,
)

pytestmark = pytest.mark.django_db

CELLS = cell_list()
TEXT_TYPES = ("text/", "application/json", "application/javascript")
NO_RECORD_CONTENT = {"anonymous", "licensing", "safety", "partner"}
# The safeguarding practitioner reads the records linked to young people
# (their missing episodes, a safety plan's alerts) by reference, never any
# record's content, and no other record.
LINKED_RECORDS_ONLY = {"safeguarding"}
NOT_LINKED_TO_YOUNG_PEOPLE = ["INT-MX-C", "INT-MX-L4", "INT-MX-EAST"]
# A submission awaiting grading is read by its submitter and by those who
# grade it, nobody else.
READS_SUBMISSION = {"analyst", "admin", "partner"}
# Who may see subjects (people/), and who young people's profiles.
SEES_SUBJECTS = {"analyst", "tasking", "admin", "safeguarding"}
SEES_YOUNG_PEOPLE = {"analyst", "admin", "safeguarding"}


def forbidden_text(world, role: str) -> list[str]:
    words = []
    if role != "admin":
        x, y = world.home_bng
        words += [
            HOME_ADDRESS,
            HOME_POSTCODE,
            f"{HOME_LON:.5f}",
            f"{HOME_LAT:.5f}",
            f"{x:.1f}",
            f"{y:.1f}",
        ]
    if role in NO_RECORD_CONTENT:
        words += ["INT-MX-", "MX summary", C_CONDITIONS]
    if role in LINKED_RECORDS_ONLY:
        words += ["MX summary", C_CONDITIONS, *NOT_LINKED_TO_YOUNG_PEOPLE]
    if role not in READS_SUBMISSION:
        words += [SUBMITTED_ACCOUNT]
    if role not in SEES_SUBJECTS:
        words += [*world.subject_refs.values(), "MX61CAR", "MX tall man"]
    elif role not in SEES_YOUNG_PEOPLE:
        words += [world.subject_refs["young-person"]]
    return words


def revealed(cell: Cell, response, world) -> list[str]:
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return []
    text = response.content.decode()
    shown = [w for w in forbidden_text(world, cell.role) if w in text]
    return [f"{cell} shows {shown}"] if shown else []


def _body(response, cell: Cell, world) -> str:
    # Each page's Content-Security-Policy nonce and masked CSRF token are
    # new per response.
    text = re.sub(
        r'nonce="[^"]*"', 'nonce=""', response.content.decode(errors="replace")
    )
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    # A message left by an earlier cell's write ("decision recorded") shows on
    # whichever page the client opens next: not part of this answer.
    text = re.sub(r'<ul class="messages">.*?</ul>', "", text, flags=re.S)
    # The viewport's "initial-scale=1" is not the object with id 1.
    text = re.sub(r'<meta name="viewport"[^>]*>', "", text)
    oid = cell.object_id(world)
    if oid is None:
        return text
    # The id where a page echoes it, in a path or a parameter, as a whole
    # number: id 20 is neither the "20" of "2026" nor a badge's count of 20.
    return re.sub(rf"(?<=[/=]){oid}(?![0-9])", "{id}", text)


def cell_problems(cell: Cell, world, client_as, token: str = "") -> list[str]:
    """What is wrong with one cell's answer; its writes are rolled back. With
    a token, the request carries it and no session."""
    extra = (
        {
            "HTTP_AUTHORIZATION": f"Token {token}",
            "HTTP_X_JUSTIFICATION": factories.SESSION_JUSTIFICATION,
        }
        if token
        else {}
    )
    who = "anonymous" if token else cell.role
    with transaction.atomic():
        response = cell.request(client_as(who), world, **extra)
        transaction.set_rollback(True)
    how = " by token" if token else ""
    got = outcome(response)
    if got not in cell.expected:
        return [
            f"{cell}{how}: {cell.url(world)} answered {got}, the matrix says "
            f"{' or '.join(sorted(cell.expected))}"
        ]
    problems = revealed(cell, response, world)
    if cell.expected == {"404"} and cell.variant and cell.variant != "missing":
        # Denied as if it did not exist: the same answer as a missing id.
        twin = cell.missing_twin()
        missing = twin.request(client_as(who), world, **extra)
        if _body(response, cell, world) != _body(missing, twin, world):
            problems.append(
                f"{cell}{how}: a hidden object answers unlike a missing one"
            )
    return problems


def _grouped(cells: list[Cell]) -> dict[str, list[Cell]]:
    """One test per route and method: its cells are every role and object."""
    groups: dict[str, list[Cell]] = {}
    for cell in cells:
        suffix = ".json" if cell.route.format_suffix else ""
        groups.setdefault(f"{cell.route.key}{suffix}|{cell.method.upper()}", []).append(
            cell
        )
    return groups


GROUPS = _grouped(CELLS)


@pytest.mark.parametrize("group", GROUPS)
def test_route(group: str, world, client_as):
    problems = [p for c in GROUPS[group] for p in cell_problems(c, world, client_as)]
    assert not problems, "\n".join(problems)


TOKEN_GROUPS = _grouped(
    [
        c
        for c in CELLS
        if c.role == "analyst"
        and c.route.pattern.startswith("api/v1/")
        and not c.route.format_suffix
    ]
)

# What each scope of token may do (accounts/tokens.py), as (route, method):
# those cells answer the token as they answer the analyst's session; every
# other cell refuses it with 403 (or 405 where the route has no such method,
# as for the session).
READ_REFUSED = {
    # No token writes, bar submitting records.
    ("api-location-flags", "post"),
    ("api-intelligence-list", "post"),
    ("api-disruption-list", "post"),
    ("api-justification", "post"),
    # An export needs a session that has just given its password.
    ("api-intelligence-export", "get"),
}
SUBMIT_ALLOWED = {("api-intelligence-list", "post")}
MAP_ALLOWED = {
    ("api-location-list", "get"),
    ("api-location-markers", "get"),
    ("api-location-detail", "get"),
    ("api-disruption-list", "get"),
    ("api-heatmap", "get"),
    ("api-areas", "get"),
    ("api-hotspots", "get"),
}


def _scope_allows(scope: str, cell: Cell) -> bool:
    key = (cell.route.key, cell.method)
    if cell.route.key == "api/v1/^.*/$":
        return True  # no such address: 404 to every token
    if scope == "read":
        return key not in READ_REFUSED
    return key in (SUBMIT_ALLOWED if scope == "submit" else MAP_ALLOWED)


@pytest.mark.parametrize("scope", ["read", "submit", "map"])
@pytest.mark.parametrize("group", TOKEN_GROUPS)
def test_api_route_with_token(group: str, scope: str, world, client_as):
    """The API answers the analyst's token as it answers the analyst's
    session, within the token's scope; outside it, 403."""
    token = world.tokens[scope]
    problems = []
    for c in TOKEN_GROUPS[group]:
        if not _scope_allows(scope, c) and c.expected != {"405"}:
            c = replace(c, expected=frozenset({"403"}))
        problems += cell_problems(c, world, client_as, token=token)
    assert not problems, "\n".join(problems)
