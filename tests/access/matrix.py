"""The authorisation matrix: what every role gets on every route.

DESIGN.md's access rules as one declared table. Every route in the URL conf
has a row (test_route_coverage.py fails naming any route without one, and any
row whose route is gone); every cell is requested for real by test_matrix.py.

A row gives, for GET and for POST (the write method throughout: no route
takes PUT, PATCH or DELETE), one outcome per role in ROLES order:

    "200" "201" "400" "403" "404" "405" "409"   exactly that status
    "302"     a redirect that is not to a sign-in page (a write done)
    "login"   redirected to the sign-in page

Object routes name a family of objects (`objects=`); each cell is run on
every variant of the family (OBJECTS), plus an id that does not exist. On the
missing id every allowed outcome becomes 404 and a refusal stays a refusal,
unless the row's `variants` says otherwise. A variant whose outcome is 404
must answer exactly as the missing id does: a denied object is not revealed.

`query` is the query string, with {pk} the object's id and {location} the
ordinary location's; `body` names the POST body (tests/access/bodies.py),
else the form is empty. Routes with a DRF format suffix (`.json`) are read
(GET) as their base row says, at the suffixed URL.

Admin routes are declared together, by rule: see admin_expected.

To add a route: one Row line below.
"""

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "analyst",
    "tasking",
    "licensing",
    "safety",
    "admin",
    "partner",
    "safeguarding",
)

# The objects each family is run on (tests/access/conftest.py makes them).
OBJECTS = {
    "location": ("ordinary", "flagged", "restricted"),
    # P, C, a legacy 5x5x5 record with restricted handling code 4, and a
    # record at a children's home.
    "record": ("P", "C", "legacy-4", "at-restricted"),
    "meeting": ("meeting",),
    "tasking": ("ordinary", "restricted"),
    "report": ("known",),
    # A problem profile on a circle, and one on a children's home.
    "problem": ("ordinary", "restricted"),
    "chart": ("known",),
    # A partner's submission awaiting grading.
    "submission": ("awaiting",),
    # A notification of the analyst's: nobody else's to mark read.
    "notification": ("analyst",),
    # A licensing inspection, a community safety visit, and a police notice
    # at the children's home.
    "action": ("licensing", "safety", "at-restricted"),
    # A young person at risk and a person of interest, both linked to the
    # hotel or the home through the car; and the car.
    "subject": ("young-person", "person-of-interest"),
    "vehicle": ("car",),
    # The person of interest's link to the hotel, and the young person's to
    # the children's home.
    "link": ("place", "young-person"),
    # Licensing: a driver not compliant, the car as their licensed vehicle,
    # a taxi rank, and the licensing officer's prompt about the car.
    "driver": ("licensed",),
    "licence": ("car",),
    "rank": ("rank",),
    "prompt": ("licensing",),
    # Safeguarding: the young person's screening, their missing episode
    # (the mention link of the episode at the children's home), the CMOG
    # sitting, the young person's CMOG case and the person of interest's
    # perpetrator forum case, and a safety-plan alert for the tasking
    # officer as police contact.
    "screening": ("screening",),
    "episode": ("episode",),
    "panel": ("cmog",),
    "case": ("cmog", "perpetrator"),
    "alert": ("alert",),
}
MISSING = "missing"

ALLOWED = {"200", "201", "302", "400", "409"}

BBOX = "bbox=-1.60,52.36,-1.40,52.46&zoom=14"


@dataclass(frozen=True)
class Row:
    route: str
    get: str
    post: str
    objects: str = ""
    query: str = ""
    body: str = ""
    # Outcomes that differ on one variant: {"restricted": {"get": "...",}}.
    variants: dict = field(default_factory=dict)

    def outcomes(self, method: str, variant: str = "") -> tuple[str, ...]:
        declared = self.variants.get(variant, {}).get(method)
        if declared is not None:
            return _split(declared, self.route)
        base = _split(getattr(self, method), self.route)
        if variant == MISSING:
            return tuple("404" if o in ALLOWED else o for o in base)
        return base


def _split(spec: str, route: str) -> tuple[str, ...]:
    outcomes = tuple(spec.split())
    if len(outcomes) != len(ROLES):
        raise ValueError(f"{route}: {len(outcomes)} outcomes for {len(ROLES)} roles")
    return outcomes


#    route          anon analyst tasking licensing safety admin partner safeguarding
ROWS = [
    # --- Pages --------------------------------------------------------------
    Row(
        "home",
        get="login 200 200 200 200 200 200 200",
        post="login 200 200 200 200 200 200 200",
    ),
    # The map, one click from every home page; a partner reads no map.
    Row(
        "map",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    # --- Notifications: every role has its own ------------------------------
    Row(
        "notifications:list",
        get="login 200 200 200 200 200 200 200",
        post="login 200 200 200 200 200 200 200",
    ),
    Row(
        "notifications:read",
        objects="notification",
        get="login 405 405 405 405 405 405 405",
        post="login 302 404 404 404 404 404 404",
    ),
    Row(
        "notifications:read-all",
        get="login 405 405 405 405 405 405 405",
        post="login 302 302 302 302 302 302 302",
    ),
    # An empty form chooses no email at all.
    Row(
        "notifications:preferences",
        get="login 200 200 200 200 200 200 200",
        post="login 302 302 302 302 302 302 302",
    ),
    Row(
        "location-page",
        objects="location",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "location-flag",
        objects="location",
        body="flag",
        get="login 405 405 405 405 405 405 405",
        post="login 403 403 302 403 302 403 403",
    ),
    Row(
        "location-log",
        objects="location",
        body="visit",
        get="login 405 405 405 405 405 405 405",
        post="login 403 403 302 302 302 403 302",
    ),
    Row(
        "login",
        get="200 200 200 200 200 200 200 200",
        post="200 200 200 200 200 200 200 200",
    ),
    # The load balancer's health check: open to all, no data, read only.
    Row(
        "healthz",
        get="200 200 200 200 200 200 200 200",
        post="405 405 405 405 405 405 405 405",
    ),
    # Signing out sends everyone to the sign-in page.
    Row(
        "logout",
        get="login 405 405 405 405 405 405 405",
        post="login login login login login login login login",
    ),
    # The session's reason for consulting intelligence (s.62); a valid one
    # sends the user on.
    Row(
        "audit:justify",
        body="justify",
        get="login 200 200 200 200 200 200 200",
        post="login 302 302 302 302 302 302 302",
    ),
    # Second-factor pages: with OTP_REQUIRED off (tests, demo) there is no
    # code to ask for, so the check sends the user on; a signed-in user may
    # still set up an authenticator.
    Row(
        "otp-verify",
        get="login 302 302 302 302 302 302 302",
        post="login 302 302 302 302 302 302 302",
    ),
    Row(
        "otp-setup",
        get="login 200 200 200 200 200 200 200",
        post="login 200 200 200 200 200 200 200",
    ),
    Row(
        "otp-qr",
        get="login 200 200 200 200 200 200 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # Confirming it is you before an export: an empty form is a 400.
    Row(
        "reauth",
        get="login 200 200 200 200 200 200 200",
        post="login 400 400 400 400 400 400 400",
    ),
    # Each user's own API tokens. Issuing one needs a session that passed
    # the second factor, which the matrix's sessions have not: 400.
    Row(
        "api-tokens",
        get="login 200 200 200 200 200 200 200",
        post="login 400 400 400 400 400 400 400",
    ),
    # Revoking one of one's own tokens (none named here): back to the page.
    Row(
        "api-token-revoke",
        get="login 405 405 405 405 405 405 405",
        post="login 302 302 302 302 302 302 302",
    ),
    # --- Retention reviews (MoPI): analysts and administrators ---------------
    Row(
        "intelligence:review-queue",
        get="login 200 403 403 403 200 403 403",
        post="login 200 403 403 403 200 403 403",
    ),
    Row(
        "intelligence:review",
        objects="record",
        get="login 200 403 403 403 200 403 403",
        post="login 200 403 403 403 200 403 403",
    ),
    # An empty decision is refused with the form's errors.
    Row(
        "intelligence:review-retain",
        objects="record",
        get="login 405 405 405 405 405 405 405",
        post="login 400 403 403 403 400 403 403",
    ),
    Row(
        "intelligence:review-dispose",
        objects="record",
        get="login 405 405 405 405 405 405 405",
        post="login 400 403 403 403 400 403 403",
    ),
    # --- Submitting intelligence: every role but a signed-out visitor -------
    Row(
        "intelligence:submit",
        body="submit",
        get="login 200 200 200 200 200 200 200",
        post="login 302 302 302 302 302 302 302",
    ),
    # The form's typeahead: restricted places are left out but for the
    # administrator (test_matrix reads every answer for the home's address).
    Row(
        "intelligence:premises-search",
        query="q=MX",
        get="login 200 200 200 200 200 200 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "intelligence:postcode-lookup",
        query="postcode=CV9+9MY",
        get="login 200 200 200 200 200 200 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "intelligence:submissions",
        get="login 200 200 200 200 200 200 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # Only the submitter opens a submission's page: to anyone else it does
    # not exist.
    Row(
        "intelligence:submission",
        objects="submission",
        get="login 404 404 404 404 404 200 404",
        post="login 405 405 405 405 405 405 405",
    ),
    # --- Triage: analysts and administrators ----------------------------------
    Row(
        "intelligence:triage",
        get="login 200 403 403 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "intelligence:triage-record",
        objects="submission",
        body="grade",
        get="login 200 403 403 403 200 403 403",
        post="login 302 403 403 403 302 403 403",
    ),
    Row(
        "intelligence:triage-link",
        objects="submission",
        body="link",
        get="login 405 405 405 405 405 405 405",
        post="login 302 403 403 403 302 403 403",
    ),
    Row(
        "intelligence:triage-duplicate",
        objects="submission",
        body="duplicate",
        get="login 405 405 405 405 405 405 405",
        post="login 302 403 403 403 302 403 403",
    ),
    # --- Records, premises and actions: pages and registers ------------------
    # Record content: analysts, tasking officers, administrators. The other
    # roles that read the map are refused the register and answered 404 for
    # a record, as the API's detail does; a partner reads nothing.
    Row(
        "intelligence:register",
        get="login 200 200 403 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "intelligence:record",
        objects="record",
        get="login 200 200 404 404 200 403 404",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "location-register",
        get="login 200 200 200 200 200 403 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # Licensing officers keep the premises; a protected place's address is
    # not theirs to see, so its edit page answers as if it did not exist.
    Row(
        "location-new",
        body="premises",
        get="login 403 403 200 403 200 403 403",
        post="login 403 403 302 403 302 403 403",
    ),
    Row(
        "location-edit",
        objects="location",
        body="premises-edit",
        get="login 403 403 200 403 200 403 403",
        post="login 403 403 302 403 302 403 403",
        variants={
            "restricted": {
                "get": "login 403 403 404 403 200 403 403",
                "post": "login 403 403 404 403 302 403 403",
            }
        },
    ),
    Row(
        "location-postcode",
        query="postcode=CV9+9MY",
        get="login 403 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    # Licensing officers see their own agency's actions only.
    Row(
        "disruption:actions",
        get="login 200 200 200 200 200 403 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "disruption:action",
        objects="action",
        get="login 200 200 200 200 200 403 200",
        post="login 405 405 405 405 405 405 405",
        variants={
            "safety": {"get": "login 200 200 404 200 200 403 200"},
            "at-restricted": {"get": "login 200 200 404 200 200 403 200"},
        },
    ),
    # --- People and vehicles: analysts, tasking officers, administrators ------
    # Young people's profiles: analysts and administrators only. A subject
    # or vehicle a role may not see answers 404, as a missing one does.
    Row(
        "people:subjects",
        get="login 200 200 403 403 200 403 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "people:subject",
        objects="subject",
        get="login 200 200 404 404 200 403 200",
        post="login 405 405 405 405 405 405 405",
        variants={"young-person": {"get": "login 200 404 404 404 200 403 200"}},
    ),
    # MoPI review of a profile: analysts and administrators, as for records;
    # an empty decision is refused with the form's errors.
    Row(
        "people:subject-review",
        objects="subject",
        get="login 200 403 404 404 200 403 403",
        post="login 400 403 404 404 400 403 403",
    ),
    Row(
        "people:vehicles",
        get="login 200 200 403 403 200 403 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "people:vehicle",
        objects="vehicle",
        get="login 200 200 404 404 200 403 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # Adding and changing people, vehicles and links: analysts and
    # administrators; a tasking officer reads only (403 whichever object);
    # a role that does not see subjects: 403 on a page, 404 on an object.
    Row(
        "people:subject-new",
        get="login 200 403 403 403 200 403 403",
        post="login 302 403 403 403 302 403 403",
        body="subject-new",
    ),
    Row(
        "people:subject-edit",
        objects="subject",
        get="login 200 403 404 404 200 403 403",
        post="login 302 403 404 404 302 403 403",
        body="subject-edit",
    ),
    Row(
        "people:vehicle-new",
        get="login 200 403 403 403 200 403 403",
        post="login 302 403 403 403 302 403 403",
        body="vehicle-new",
    ),
    Row(
        "people:vehicle-edit",
        objects="vehicle",
        get="login 200 403 404 404 200 403 403",
        post="login 302 403 404 404 302 403 403",
        body="vehicle-edit",
    ),
    Row(
        "people:link-new",
        query="from=location:{location}",
        get="login 200 403 403 403 200 403 403",
        post="login 302 403 403 403 302 403 403",
        body="people-link",
    ),
    Row(
        "people:link-remove",
        objects="link",
        get="login 200 403 404 404 200 403 403",
        post="login 302 403 404 404 302 403 403",
        body="link-remove",
    ),
    # The chart's page holds no data: licensing and community safety
    # officers' charts show counts only (api-link-graph).
    Row(
        "people:link_chart",
        query="centre=location:{location}",
        get="login 200 200 200 200 200 403 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # --- Taxi and private-hire licensing ---------------------------------------
    # Drivers' names: licensing officers, analysts and administrators. A
    # driver or licensed vehicle answers 404 to any other role, as a
    # missing one does.
    Row(
        "licensing:drivers",
        get="login 200 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "licensing:driver",
        objects="driver",
        get="login 200 404 200 404 200 404 404",
        post="login 405 405 405 405 405 405 405",
    ),
    # Suspending, revoking, refusing renewal: licensing officers and
    # administrators; an analyst reads the licence but does not decide.
    Row(
        "licensing:driver-act",
        objects="driver",
        body="licence-decision",
        get="login 405 405 405 405 405 405 405",
        post="login 403 404 302 404 302 404 404",
    ),
    Row(
        "licensing:vehicles",
        get="login 200 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "licensing:vehicle",
        objects="licence",
        get="login 200 404 200 404 200 404 404",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "licensing:operators",
        get="login 200 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    # Council staff and councillors' DBS and training: licensing officers
    # and administrators only.
    Row(
        "licensing:staff",
        get="login 403 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    # Posting a file previews it (200): nothing is written until confirmed.
    Row(
        "licensing:import",
        body="licence-import",
        get="login 403 403 200 403 200 403 403",
        post="login 403 403 200 403 200 403 403",
    ),
    Row(
        "licensing:check",
        body="taxi-check",
        get="login 403 403 200 403 200 403 403",
        post="login 403 403 302 403 302 403 403",
    ),
    # Only the officer it was written for may dismiss a prompt.
    Row(
        "licensing:prompt-dismiss",
        objects="prompt",
        get="login 405 405 405 405 405 405 405",
        post="login 404 404 302 404 404 404 404",
    ),
    Row(
        "licensing:reports",
        get="login 200 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "licensing:reports-pdf",
        get="login 200 403 200 403 200 403 403",
        post="login 405 405 405 405 405 405 405",
    ),
    # --- Safeguarding: the practitioner's and the administrator's ------------
    # Everyone else gets 404, as for a page or object that does not exist;
    # tasking officers see the alerts of plans they are police contact for.
    Row(
        "safeguarding:index",
        get="login 404 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "safeguarding:young-person",
        objects="subject",
        get="login 404 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
        variants={"person-of-interest": {"get": "login 404 404 404 404 404 404 404"}},
    ),
    # An empty screening, plan or review is refused with the form's errors.
    Row(
        "safeguarding:screen",
        objects="subject",
        get="login 404 404 404 404 200 404 200",
        post="login 404 404 404 404 400 404 400",
        variants={
            "person-of-interest": {
                "get": "login 404 404 404 404 404 404 404",
                "post": "login 404 404 404 404 404 404 404",
            }
        },
    ),
    Row(
        "safeguarding:safety-plan-new",
        objects="subject",
        get="login 404 404 404 404 200 404 200",
        post="login 404 404 404 404 400 404 400",
        variants={
            "person-of-interest": {
                "get": "login 404 404 404 404 404 404 404",
                "post": "login 404 404 404 404 404 404 404",
            }
        },
    ),
    Row(
        "safeguarding:screening",
        objects="screening",
        get="login 404 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "safeguarding:masp",
        get="login 404 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "safeguarding:episode",
        objects="episode",
        get="login 404 404 404 404 200 404 200",
        post="login 404 404 404 404 400 404 400",
    ),
    Row(
        "safeguarding:panels",
        get="login 404 404 404 404 200 404 200",
        post="login 404 404 404 404 400 404 400",
    ),
    Row(
        "safeguarding:panel",
        objects="panel",
        get="login 404 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "safeguarding:panel-pack",
        objects="panel",
        get="login 404 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "safeguarding:case",
        objects="case",
        get="login 404 404 404 404 200 404 200",
        post="login 404 404 404 404 400 404 400",
    ),
    Row(
        "safeguarding:alerts",
        get="login 404 200 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # Acknowledging: the police contact, the practitioner, the administrator.
    Row(
        "safeguarding:alert",
        objects="alert",
        get="login 404 200 404 404 200 404 200",
        post="login 404 302 404 404 302 404 302",
    ),
    # The partnership's reports: counts only, small ones suppressed; for
    # analysts too.
    Row(
        "safeguarding:reports",
        get="login 200 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    Row(
        "safeguarding:reports-pdf",
        get="login 200 404 404 404 200 404 200",
        post="login 405 405 405 405 405 405 405",
    ),
    # --- Analysis pages -----------------------------------------------------
    # The index lists what the role may open: licensing officers their
    # clocks, community safety officers meetings and clocks.
    Row(
        "analysis:index",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "analysis:hotspots",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    Row(
        "analysis:hotspot-map",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    Row(
        "analysis:meetings",
        body="meeting",
        get="login 200 200 403 200 200 403 200",
        post="login 403 302 403 403 302 403 403",
    ),
    Row(
        "analysis:meeting",
        objects="meeting",
        get="login 200 200 403 200 200 403 200",
        post="login 200 200 403 200 200 403 200",
    ),
    Row(
        "analysis:meeting-map",
        objects="meeting",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    Row(
        "analysis:briefing",
        objects="meeting",
        # A briefing pack is a disclosure: it carries its own reason.
        query="justification=Briefing+for+the+CSE+operational+group",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    Row(
        "analysis:tasking-new",
        objects="meeting",
        query="location={location}",
        body="tasking",
        get="login 403 200 403 403 200 403 403",
        post="login 403 302 403 403 302 403 403",
    ),
    Row(
        "analysis:tasking",
        objects="tasking",
        body="answer",
        get="login 200 200 403 200 200 403 200",
        post="login 403 403 403 302 302 403 302",
        # The tasking is looked up before the role's right to answer it.
        variants={"missing": {"post": "login 404 404 403 404 404 403 404"}},
    ),
    Row(
        "analysis:tasking-close",
        objects="tasking",
        body="close",
        get="login 403 302 403 403 302 403 403",
        post="login 403 302 403 403 302 403 403",
    ),
    Row(
        "analysis:clocks",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "analysis:did-it-work",
        objects="location",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
        # Restricted locations are left out of did-it-work for roles not
        # cleared for their position: as if they did not exist.
        variants={
            "restricted": {
                "get": "login 404 404 403 403 200 403 403",
                "post": "login 404 404 403 403 200 403 403",
            }
        },
    ),
    Row(
        "analysis:reports",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    Row(
        "analysis:report-csv",
        objects="report",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    Row(
        "analysis:report-chart",
        objects="chart",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
    ),
    # Analysts' analyses: every role that reads the map, on its need-to-know
    # scope (density-only roles get counts, small ones suppressed).
    Row(
        "analysis:near-repeat",
        query="run=1&permutations=19",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "analysis:when",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "analysis:period-change",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "analysis:period-change-map",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    Row(
        "analysis:repeat-locations",
        get="login 200 200 200 200 200 403 200",
        post="login 200 200 200 200 200 403 200",
    ),
    # Problem profiles: for the roles that see hot spots; one on a protected
    # place is not there for roles not cleared for its position.
    Row(
        "analysis:problems",
        get="login 200 200 403 403 200 403 403",
        post="login 400 400 403 403 400 403 403",
    ),
    Row(
        "analysis:problem",
        objects="problem",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
        variants={
            "restricted": {
                "get": "login 404 404 403 403 200 403 403",
                "post": "login 404 404 403 403 200 403 403",
            }
        },
    ),
    # Linking a tasking to a problem: for the roles that change taskings.
    Row(
        "analysis:problem-tasking",
        objects="problem",
        body="problem-tasking",
        get="login 405 405 405 405 405 405 405",
        post="login 403 302 403 403 302 403 403",
        variants={
            "restricted": {
                "get": "login 405 405 405 405 405 405 405",
                "post": "login 403 404 403 403 302 403 403",
            },
            "missing": {"post": "login 403 404 403 403 404 403 403"},
        },
    ),
    Row(
        "analysis:problem-pdf",
        objects="problem",
        # A profile's PDF is a disclosure: it carries its own reason.
        query="justification=Problem+profile+for+the+board",
        get="login 200 200 403 403 200 403 403",
        post="login 200 200 403 403 200 403 403",
        variants={
            "restricted": {
                "get": "login 404 404 403 403 200 403 403",
                "post": "login 404 404 403 403 200 403 403",
            }
        },
    ),
    # --- API ----------------------------------------------------------------
    Row(
        "api-location-list",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-location-markers",
        query=BBOX,
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-location-nearest",
        query="point=-1.5106,52.4081",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-location-detail",
        objects="location",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-location-flags",
        objects="location",
        body="api-flag",
        get="403 200 200 200 200 200 403 200",
        post="403 403 403 201 403 201 403 403",
        # The location is looked up before the role's right to flag.
        variants={"missing": {"post": "403 404 404 404 404 404 403 404"}},
    ),
    # POST submits a record for grading: every role that submits, partners
    # included.
    Row(
        "api-intelligence-list",
        body="api-submit",
        get="403 200 200 200 200 200 403 200",
        post="403 201 201 201 201 201 201 201",
    ),
    Row(
        "api-intelligence-detail",
        objects="record",
        get="403 200 200 404 404 200 403 404",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-intelligence-history",
        objects="record",
        get="403 200 200 404 404 200 403 404",
        post="403 405 405 405 405 405 403 405",
    ),
    # An export carries its own reason.
    Row(
        "api-intelligence-export",
        query="justification=Letter+to+the+licensing+panel",
        get="403 200 200 403 403 200 403 403",
        post="403 405 405 405 405 405 403 405",
    ),
    # A partner consults nothing, so has no reason to give.
    Row(
        "api-justification",
        body="api-justify",
        get="403 200 200 200 200 200 403 200",
        post="403 200 200 200 200 200 403 200",
    ),
    Row(
        "api-location-history",
        objects="location",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-disruption-list",
        body="api-action",
        get="403 200 200 200 200 200 403 200",
        post="403 403 403 201 201 201 403 201",
    ),
    Row(
        "api-heatmap",
        query=BBOX,
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-areas",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-query-radius",
        query="point=-1.5106,52.4081&radius=800",
        get="403 200 403 403 403 200 403 403",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-query-area",
        body="polygon",
        get="403 405 405 405 405 405 403 405",
        post="403 200 403 403 403 200 403 403",
    ),
    Row(
        "api-near-repeat",
        query="permutations=19",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-when",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-period-change",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-repeat-locations",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-hotspots",
        get="403 200 200 403 403 200 403 403",
        post="403 405 405 403 403 405 403 403",
    ),
    Row(
        "api-did-it-work",
        objects="location",
        query="location={pk}",
        get="403 200 200 403 403 200 403 403",
        post="403 405 405 403 403 405 403 403",
        variants={"restricted": {"get": "403 404 404 403 403 200 403 403"}},
    ),
    Row(
        "api-legal-clocks",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    # The link graph: counts only for licensing and community safety.
    Row(
        "api-subject-search",
        query="q=MX+tall",
        get="403 200 200 404 404 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    # A mark's licence: the roles that see licences beside records.
    Row(
        "api-licence-lookup",
        query="registration=MX62+TAX",
        get="403 200 200 200 404 200 403 404",
        post="403 405 405 405 405 405 403 405",
    ),
    # A vehicle by its mark, for the map's "find a vehicle": as subjects.
    Row(
        "api-vehicle-search",
        query="q=MX61",
        get="403 200 200 404 404 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-link-graph",
        objects="location",
        query="centre=location:{pk}&hops=2",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-link-path",
        objects="subject",
        query="from=subject:{pk}&to=location:{location}&max_hops=4",
        get="403 200 200 404 404 200 403 200",
        post="403 405 405 405 405 405 403 405",
        variants={"young-person": {"get": "403 200 404 404 404 200 403 200"}},
    ),
    Row(
        "api-link-graph-csv",
        objects="vehicle",
        query="centre=vehicle:{pk}&justification=Letter+to+the+licensing+panel",
        get="403 200 200 404 404 200 403 403",
        post="403 405 405 405 405 405 403 405",
    ),
    # Safety-plan places on the map: the police roles that answer the
    # alerts, the practitioner and the administrator; never the child.
    Row(
        "api-safety-plan-places",
        get="403 404 200 404 404 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-schema",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    Row(
        "api-docs",
        get="403 200 200 200 200 200 403 200",
        post="403 405 405 405 405 405 403 405",
    ),
    # Any other address under the API answers 404, in JSON; a partner, who
    # reads nothing of the API, is refused before the address is looked at.
    Row(
        "api/v1/^.*/$",
        get="403 404 404 404 404 404 403 404",
        post="403 404 404 404 404 404 403 404",
    ),
]

ROWS_BY_ROUTE = {row.route: row for row in ROWS}
if len(ROWS_BY_ROUTE) != len(ROWS):
    raise ValueError("A route has two rows in the matrix.")


# --- The admin, declared by rule -------------------------------------------
#
# Every route in the admin's namespace is for administrators only: any other
# role is sent to the admin's sign-in page (which itself answers 200 to
# everyone), and a signed-out visitor to the site's. An administrator is never sent to sign in and
# never meets a server error; what the admin's own views answer past that
# (200, a redirect, 403 for a model that may not be deleted, 405 for a GET
# of log-out) is Django's, and so are its forms: the administrator's POSTs
# there are not cells of this matrix, everyone else's are.
ADMIN_NAMESPACE = "admin"
ADMIN_OUTCOMES_FOR_ADMINISTRATOR = {"200", "302", "403", "405"}
# The admin's last route: any other address under /admin/.
ADMIN_CATCH_ALL = "admin/(?P<url>.*)$"


def admin_expected(route: str, role: str, method: str) -> set[str]:
    if route == "admin:login":
        # Signed in already, an administrator is sent on to the index.
        return {"302"} if role == "admin" and method == "get" else {"200"}
    if route == "admin:logout":
        if role == "admin":
            return {"405"} if method == "get" else {"login"}
        # Anyone else is sent to the admin's index, and from there to sign in.
        return {"admin-login"} if role == "anonymous" else {"302"}
    if role == "anonymous":
        # The model pages pass through the site's sign-in, the admin's own
        # pages through the admin's.
        return {"login", "admin-login"}
    if role != "admin":
        return {"admin-login"}
    if route == ADMIN_CATCH_ALL:
        # No such admin page.
        return {"404"}
    if route == "admin:view_on_site":
        # Locations, records and actions have pages of their own on the
        # site (get_absolute_url): the admin sends the administrator there.
        return {"302"}
    return ADMIN_OUTCOMES_FOR_ADMINISTRATOR
