"""Every route that reads intelligence declares its logging and writes the
access log (DPA 2018 s.62; issue 20 section 4, issue 21).

The walk takes every route from the URL map, requests it as the matrix says
it may be requested (tests/access/matrix.py: each role's answered cells,
GET and POST), and watches the SQL each answer runs. A route whose answer
reads the records table reads intelligence: its view must declare what it
consults (audit.consults) and the answer must have written an access-log
row. A route that reads the table without consulting anything (a
submission's own write, a count of one's own submissions) is named in
NOT_CONSULTATIONS with the reason.
"""

import re

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import path, resolve

from audit.consults import consultation_declared
from audit.models import AccessLogEntry
from home import context_processors
from intel_map.urls import urlpatterns as site_urlpatterns
from intelligence.models import IntelligenceRecord

from .cells import Cell, cell_list, outcome
from .matrix import MISSING, ROWS_BY_ROUTE, Row
from .routes import Route, route_list

pytestmark = pytest.mark.django_db

# The roles the walk signs in as: record content, density only, the
# administrator (restricted places too) and a partner (own submissions).
WALK_ROLES = ("analyst", "licensing", "admin", "partner")
ANSWERED = {"200", "201"}
# Intelligence is the records and, since people/, the subjects, vehicles and
# links drawn from them: each is a consultation (issue 15). So are the
# roll-ups counted from the records (issue 18: intelligence.rollups).
# Licensed drivers and the council's staff and councillors are personal data
# read the same way (issue 17), and so are the safeguarding app's screenings,
# episodes' reviews, cases and safety plans (issue 16).
READS_RECORDS = re.compile(
    r'\b(?:FROM|JOIN)\s+"?(?:intelligence_intelligencerecord|people_subject'
    r"|people_vehicle|people_link|intelligence_celldaycount"
    r"|intelligence_areadaycount|intelligence_cellbucketcount"
    r"|intelligence_areabucketcount|licensing_driver|licensing_staffmember"
    r'|safeguarding_[a-z]+)"?(?:\s|$|,|\))',
    re.I,
)

# Routes whose answers read the records table but consult no intelligence.
NOT_CONSULTATIONS = {
    # The form's own write: a new record, shown to nobody.
    "intelligence:submit": "a submission is written, none is shown",
    "api-intelligence-list|POST": "a submission by API is written, none shown",
    # The preview of an uploaded register shows what the file says, matched
    # against the register it will update; nothing of intelligence.
    "licensing:import|POST": "a register file is previewed, none is consulted",
}


def _walk_cells() -> list[Cell]:
    """One cell per route, role and method the matrix answers (the first
    object of each family), for the roles of the walk."""
    seen, cells = set(), []
    for cell in cell_list():
        if cell.row is None or cell.route.format_suffix or cell.variant == MISSING:
            continue
        if cell.role not in WALK_ROLES or not cell.expected & ANSWERED:
            continue
        key = (cell.route.key, cell.role, cell.method)
        if key in seen:
            continue
        seen.add(key)
        cells.append(cell)
    return cells


def _reads_records(queries) -> bool:
    return any(
        READS_RECORDS.search(q["sql"])
        for q in queries
        if not q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    )


def _exempt(cell: Cell) -> bool:
    return (
        cell.route.key in NOT_CONSULTATIONS
        or f"{cell.route.key}|{cell.method.upper()}" in NOT_CONSULTATIONS
    )


@pytest.fixture
def quiet_navigation(monkeypatch):
    """Every page's navigation counts records due for review and submissions
    awaiting grading: workload, not a consultation. Counted as nothing here,
    so the walk sees what each page itself reads."""
    monkeypatch.setattr(context_processors, "record_review_due_count", _none)
    monkeypatch.setattr(context_processors, "triage_awaiting_count", _none)


def _none(**kwargs) -> int:
    return 0


def walk(world, client_as, cells, *, show_sql=False) -> tuple[set[str], list[str]]:
    """The routes found reading intelligence, and what is wrong with them."""
    reading, problems = set(), []
    for cell in cells:
        with transaction.atomic():
            before = AccessLogEntry.objects.count()
            with CaptureQueriesContext(connection) as queries:
                response = cell.request(client_as(cell.role), world)
            logged = AccessLogEntry.objects.count() - before
            transaction.set_rollback(True)
        if outcome(response) not in ANSWERED or not _reads_records(queries):
            continue
        if _exempt(cell):
            continue
        reading.add(cell.route.key)
        if not consultation_declared(resolve(cell.url(world).split("?")[0]).func):
            problems.append(f"{cell}: reads intelligence and declares no logging")
            if show_sql:
                problems.extend(
                    "    " + q["sql"][:300]
                    for q in queries
                    if READS_RECORDS.search(q["sql"])
                )
        elif not logged:
            problems.append(f"{cell}: reads intelligence and wrote no access-log row")
    return reading, problems


def test_every_route_that_reads_intelligence_logs_it(
    world, client_as, quiet_navigation
):
    reading, problems = walk(world, client_as, _walk_cells(), show_sql=False)
    assert not problems, "\n".join(problems)
    # The walk finds what it must: pages, API, aggregates and exports.
    assert {
        "intelligence:record",
        "intelligence:register",
        "api-intelligence-detail",
        "api-heatmap",
        "api-areas",
        "api-hotspots",
        "api-did-it-work",
        "api-query-radius",
        "api-query-area",
        "analysis:hotspots",
        "analysis:briefing",
        "analysis:report-csv",
    } <= reading
    # The other way round: every view the walk answered that declares
    # logging is found reading (registers of premises and actions log their
    # exports only), so the detector is not blind. Routes answered only with
    # a redirect or a refusal (a retention decision) are not walked.
    walked = {c.route.key for c in _walk_cells()}
    declared = {
        r.key
        for r in route_list()
        if r.key in walked
        and consultation_declared(resolve(r.url(_kwargs(r, world))).func)
    }
    exports_only = {"location-register", "disruption:actions"}
    assert declared - exports_only <= reading, sorted(declared - exports_only - reading)


def _kwargs(route: Route, world) -> dict:
    row = ROWS_BY_ROUTE[route.key]
    if not row.objects:
        return {"format": "json"}
    first = next(iter(world.objects[row.objects].values()))
    key = "slug" if row.objects in ("report", "chart") else "pk"
    return {key: first, "format": "json"}


# --- The walk names a new route that reads intelligence and declares nothing


def _unlogged_count(request):
    return HttpResponse(str(IntelligenceRecord.objects.count()))


urlpatterns = [
    *site_urlpatterns,
    path("unlogged/", _unlogged_count, name="unlogged-count"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_route_reading_intelligence_without_logging_is_named(
    world, client_as, quiet_navigation
):
    route = next(r for r in route_list() if r.key == "unlogged-count")
    row = Row("unlogged-count", get="200 200 200 200 200 200 200", post="")
    cell = Cell(route, row, "analyst", "get", "", frozenset({"200"}))
    _, problems = walk(world, client_as, [cell])
    assert problems == [
        "unlogged-count|GET|analyst: reads intelligence and declares no logging"
    ]
