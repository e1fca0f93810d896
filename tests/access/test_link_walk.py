"""Every link on every page a role can reach from its home page opens.

For each role, a walk from the home page follows every same-site link
(`<a href>`) breadth-first, bounded, and requests it. None may answer 500,
and none may answer 404 unless the matrix declares that 404 for the role on
that route (an object the role is not cleared for answers 404, exactly as a
missing one does). Every page walked is also read for what the role must
never be shown (test_matrix.forbidden_text). And every page the role may
open (a matrix row without objects that answers the role 200 with HTML) is
reached within two clicks of the home page: one in the navigation, one on
the page it opens.

The admin's pages are Django's, and the API's docs page is Swagger: both
are requested, their links are not followed.
"""

from collections import deque
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from disruption.models import TaskingMeeting
from disruption.services import disruption_log, tasking_create
from locations.models import Location
from locations.services import location_flag
from notifications.due import notifications_generate_due
from tests import factories

from .matrix import MISSING, OBJECTS, ROLES, ROWS_BY_ROUTE
from .test_matrix import forbidden_text

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
NOT_FOLLOWED = ("/admin/", "/api/v1/docs/")
NEVER_REQUESTED = ("/static/", "/accounts/logout/")
# Pages of the sign-in flow and the reason page, which a page that needs
# the session's reason sends the user to: not destinations in themselves.
NOT_DESTINATIONS = {
    "login",
    "otp-verify",
    "otp-setup",
    "otp-qr",
    "audit:justify",
    # Asked on the way to an export (accounts/reauth.py), never a destination.
    "reauth",
}
WALKED_ROLES = [r for r in ROLES if r != "anonymous"]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    out = []
    for href in parser.hrefs:
        url, _ = urldefrag(urljoin(f"http://testserver{base}", href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and not path.startswith(NEVER_REQUESTED):
            out.append(path)
    return out


def _row(path: str):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return ROWS_BY_ROUTE.get(match.view_name) or ROWS_BY_ROUTE.get(match.route)


def deliberate_404(path: str, role: str) -> bool:
    """The matrix gives this role a 404 on this route (on one of its objects,
    or on the route itself): refused as if it did not exist."""
    row = _row(path)
    if row is None:
        return False
    role_at = ROLES.index(role)
    variants = OBJECTS[row.objects] if row.objects else ("",)
    return any(
        row.outcomes("get", v)[role_at] == "404" for v in variants if v != MISSING
    )


def walk(client, role: str, world) -> tuple[dict[str, int], list[str]]:
    """Breadth-first from the home page: {path: clicks from home}, and what
    went wrong on the way."""
    depth = {"/": 0}
    queue = deque([("/", "(start)")])
    problems: list[str] = []
    forbidden = forbidden_text(world, role)
    while queue and len(depth) <= MAX_PAGES:
        path, came_from = queue.popleft()
        try:
            response = client.get(path)
        except Exception as exc:  # the test client re-raises a view's error
            problems.append(f"{role}: {path} (linked from {came_from}) raised {exc!r}")
            continue
        status = response.status_code
        if status >= 500 or (status == 404 and not deliberate_404(path, role)):
            problems.append(f"{role}: {path} (linked from {came_from}) {status}")
        if status in (301, 302, 303):
            target = response["Location"]
            if target not in depth and urlsplit(target).netloc in ("", "testserver"):
                depth[target] = depth[path]
                queue.append((target, path))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        shown = [w for w in forbidden if w in html]
        if shown:
            problems.append(f"{role}: {path} shows {shown}")
        if path.startswith(NOT_FOLLOWED) or status != 200:
            continue
        for link in _links(path, html):
            if link not in depth:
                depth[link] = depth[path] + 1
                queue.append((link, path))
    assert len(depth) <= MAX_PAGES + 1, f"{role}: more than {MAX_PAGES} pages"
    return depth, problems


@pytest.fixture(scope="module")
def busy_world(world, django_db_blocker):
    """The matrix's city, with something for each home page to show: a
    tasking given to the tasking officer, a licensing flag and a legal clock
    coming due, a record due for review, and the notifications for them."""
    with django_db_blocker.unblock(), transaction.atomic():
        today = date.today()
        hotel = Location.objects.get(pk=world.pk("location", "ordinary"))
        meeting = TaskingMeeting.objects.get(pk=world.pk("meeting", "meeting"))
        tasking_create(
            meeting=meeting,
            target_location=hotel,
            reason="MX walk: visit the hotel",
            priority="high",
            owner_agency="police",
            owner_officer=world.users["tasking"],
            due_date=today + timedelta(days=2),
        )
        location_flag(
            location=hotel,
            user=world.users["licensing"],
            action="flag",
            reason="MX walk: seen late",
            risk_level="medium",
            review_date=today + timedelta(days=5),
        )
        now = timezone.now()
        disruption_log(
            action_type="cawn",
            outcome="notice_served",
            occurred_at=now - timedelta(days=30),
            location=hotel,
            officer=world.users["safety"],
            served_at=now - timedelta(days=30),
            expires_at=now + timedelta(days=3),
        )
        factories.make_record(
            reference="INT-MX-DUE",
            summary="MX summary due: young person with older adults",
            created_by=world.users["analyst"],
            review_date=today - timedelta(days=1),
        )
        notifications_generate_due()
    return world


@pytest.fixture(scope="module")
def walks() -> dict:
    # Each role is walked once for both tests below.
    return {}


def _walked(walks, client_as, role, world):
    if role not in walks:
        walks[role] = walk(client_as(role), role, world)
    return walks[role]


@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_link_from_the_home_page_opens(busy_world, walks, client_as, role):
    depth, problems = _walked(walks, client_as, role, busy_world)
    assert not problems, "\n".join(problems)
    # The walk went past the navigation: a partner's pages are its home and
    # its notifications; every other role reaches the map and its analysis.
    assert len(depth) > (2 if role == "partner" else 5), depth


@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_is_two_clicks_from_home(busy_world, walks, client_as, role):
    client = client_as(role)
    depth, _ = _walked(walks, client_as, role, busy_world)
    role_at = ROLES.index(role)
    far = []
    for name, row in ROWS_BY_ROUTE.items():
        if row.objects or name in NOT_DESTINATIONS or name.startswith("api"):
            continue
        if row.outcomes("get")[role_at] != "200":
            continue
        try:
            url = reverse(name)
        except Exception:
            continue  # an unnamed pattern: the API's catch-all and its twins
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # an image, a CSV: not a page
        if depth.get(url, 99) > 2:
            far.append(f"{url} ({depth.get(url, 'not reached')})")
    assert not far, f"{role}: pages more than two clicks from home: {far}"


def test_a_404_is_deliberate_only_where_the_matrix_declares_it():
    # A record the role reads no content of; a protected location's
    # did-it-work, withheld from roles not cleared for its position.
    assert deliberate_404("/api/v1/intelligence/1/", "licensing")
    assert deliberate_404("/analysis/did-it-work/1/", "analyst")
    assert not deliberate_404("/api/v1/intelligence/1/", "analyst")
    assert not deliberate_404("/analysis/did-it-work/1/", "admin")
    assert not deliberate_404("/", "analyst")
    assert not deliberate_404("/no-such-page/", "analyst")
