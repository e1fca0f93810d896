"""The product's roles, each a Django group, and what each may do.

DESIGN.md's access table, as model permissions. The groups are created and kept
in line with this table by a data migration and by `roles_sync()`.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .tokens import TokenScopePermission

ANALYST = "Analyst"
TASKING_OFFICER = "Tasking officer"
LICENSING_OFFICER = "Licensing officer"
COMMUNITY_SAFETY_OFFICER = "Community safety officer"
ADMINISTRATOR = "Administrator"
# Agencies that report but may not read: a youth worker, a school's
# safeguarding lead, a hotel-watch coordinator. They see their own
# submissions and nothing else: no other record, no map content, no counts.
PARTNER = "Partner (submit only)"
# The multi-agency CSE team: social workers, the missing-from-home
# coordinator, health and education safeguarding leads. They map places and
# log disruption as community safety does; screenings, panels and safety plans
# (safeguarding/) are theirs and the administrator's alone.
SAFEGUARDING_PRACTITIONER = "Safeguarding practitioner"

ALL_ROLES = [
    ANALYST,
    TASKING_OFFICER,
    LICENSING_OFFICER,
    COMMUNITY_SAFETY_OFFICER,
    ADMINISTRATOR,
    PARTNER,
    SAFEGUARDING_PRACTITIONER,
]

_READ_GEO = [
    "locations.view_location",
    "locations.view_area",
    "locations.view_concernflag",
]
_RECORDS_READ = [
    "intelligence.view_intelligencerecord",
    "intelligence.view_intelligencelocationlink",
    # Record content (summary, subjects, vehicles) rather than density only.
    "intelligence.view_record_content",
]
# Submitting intelligence for an analyst to grade: every role that works with
# young people or premises. A submitter sees their own submissions and their
# status, never how they were graded or linked (intelligence.selectors).
_SUBMIT = "intelligence.submit_record"

_DISRUPTION_READ = [
    "disruption.view_disruptionaction",
    "disruption.view_taskingmeeting",
    "disruption.view_tasking",
]
# Subjects, vehicles and their links (people/): who, not just how many.
# Young people's profiles need view_young_person as well (people.selectors).
_PEOPLE_READ = [
    "people.view_subject",
    "people.view_vehicle",
    "people.view_link",
]
_PEOPLE_WRITE = [
    "people.add_subject",
    "people.change_subject",
    "people.add_vehicle",
    "people.change_vehicle",
    "people.add_link",
    # Removing a link keeps it (people.models.LinkRemoval).
    "people.delete_link",
]

# Taxi and private-hire licensing (licensing/). The register shows drivers'
# names: licensing officers, analysts and administrators only. A licence's
# number, plate, operator and compliance (no name) are shown beside a record
# to the roles that read records.
_LICENCE_SUMMARY = "licensing.view_licence"
_LICENSING_READ = [
    _LICENCE_SUMMARY,
    "licensing.view_driver",
    "licensing.view_licensedvehicle",
    "licensing.view_operator",
    "licensing.view_taxicheck",
]
_LICENSING_WRITE = [
    "licensing.import_licences",
    "licensing.act_on_licence",
    "licensing.add_taxicheck",
    # The DBS and training register of council staff and councillors.
    "licensing.view_staffmember",
]
# Screenings, safety plans, missing-episode reviews and panel cases
# (safeguarding/): the practitioner's and the administrator's alone.
_SAFEGUARDING = [
    "safeguarding.view_screening",
    "safeguarding.add_screening",
    "safeguarding.view_safetyplan",
    "safeguarding.add_safetyplan",
    "safeguarding.view_safetyplanalert",
    "safeguarding.change_safetyplanalert",
    "safeguarding.view_maspreview",
    "safeguarding.add_maspreview",
    "safeguarding.add_returninterview",
    "safeguarding.view_panelcase",
    "safeguarding.add_panelcase",
    "safeguarding.add_casereview",
    "safeguarding.add_caseaction",
    "safeguarding.change_caseaction",
    "safeguarding.view_safeguarding_aggregates",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ANALYST: [
        *_READ_GEO,
        *_RECORDS_READ,
        "intelligence.add_intelligencerecord",
        "intelligence.add_intelligencelocationlink",
        "intelligence.view_handling_c",
        "intelligence.export_records",
        # Management of Police Information reviews: retain or dispose.
        "intelligence.review_retention",
        # Triage: grade, link and merge what was submitted.
        "intelligence.grade_record",
        _SUBMIT,
        *_DISRUPTION_READ,
        "locations.run_analysis",
        *_PEOPLE_READ,
        *_PEOPLE_WRITE,
        "people.view_young_person",
        *_LICENSING_READ,
        # Safeguarding as counts only: the reports, small counts suppressed.
        "safeguarding.view_safeguarding_aggregates",
    ],
    TASKING_OFFICER: [
        *_READ_GEO,
        *_RECORDS_READ,
        "intelligence.add_intelligencerecord",
        "intelligence.add_intelligencelocationlink",
        "intelligence.view_handling_c",
        _SUBMIT,
        # What the tasking officer finds in the records register goes into
        # the meeting's papers (issue 14): exported, with its own reason.
        "intelligence.export_records",
        *_DISRUPTION_READ,
        "disruption.add_taskingmeeting",
        "disruption.change_taskingmeeting",
        "disruption.add_tasking",
        "disruption.change_tasking",
        # Not people.view_young_person: a tasking officer sees only that a
        # young person at risk is linked, never who.
        *_PEOPLE_READ,
        _LICENCE_SUMMARY,
        # A safety plan's police contact: its alerts and trigger places,
        # never the child's profile.
        "safeguarding.view_safetyplanalert",
        "safeguarding.change_safetyplanalert",
    ],
    LICENSING_OFFICER: [
        *_READ_GEO,
        "locations.add_location",
        "locations.change_location",
        "locations.add_concernflag",
        "disruption.add_disruptionaction",
        "disruption.view_disruptionaction",
        # Licensing officers read only their own agency's actions; the
        # need-to-know scope applies that on top of this permission.
        "disruption.view_own_agency_only",
        _SUBMIT,
        *_LICENSING_READ,
        *_LICENSING_WRITE,
    ],
    COMMUNITY_SAFETY_OFFICER: [
        *_READ_GEO,
        _SUBMIT,
        "disruption.add_disruptionaction",
        *_DISRUPTION_READ,
    ],
    # Administrators are also given every model permission by roles_sync().
    ADMINISTRATOR: [],
    # No read permission of any kind: they submit, and see their own
    # submissions and their status.
    PARTNER: [_SUBMIT],
    SAFEGUARDING_PRACTITIONER: [
        *_READ_GEO,
        _SUBMIT,
        "disruption.add_disruptionaction",
        *_DISRUPTION_READ,
        # Finding and screening a young person, and the perpetrator forum's
        # persons of interest: who, young people included. Their links show
        # only where the records they rest on may be seen (people.selectors).
        *_PEOPLE_READ,
        "people.view_young_person",
        *_SAFEGUARDING,
    ],
}


# --- Reading the map -----------------------------------------------------------
#
# Every role but Partner reads the map: places, density and the API behind
# them. A partner's permissions hold no read of any kind, so this one check
# is what closes the map, its pages and the whole read API to them.
MAP_READ_PERMISSION = "locations.view_location"


def can_read_map(user) -> bool:
    return user.is_authenticated and user.has_perm(MAP_READ_PERMISSION)


def can_submit(user) -> bool:
    """Submits intelligence for grading (intelligence.grading.submit_can)."""
    return user.is_authenticated and user.has_perm(_SUBMIT)


class MapReader(TokenScopePermission):
    """DRF's default permission: signed in, and a role that reads the map
    (and, with a token, within the token's scope)."""

    message = "Your role submits intelligence and does not read the map."

    def role_allows(self, request, view) -> bool:
        return can_read_map(request.user)


# Hot spots list counts behind intelligence, so they need record access or
# the analysis permission (DESIGN.md: analysts and tasking officers;
# licensing and community safety see density maps only).
def can_see_hotspots(user) -> bool:
    return user.is_authenticated and (
        user.has_perm("intelligence.view_record_content")
        or user.has_perm("locations.run_analysis")
    )


def hotspot_access_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_see_hotspots(request.user):
            raise PermissionDenied("Hot spots need intelligence access.")
        return view(request, *args, **kwargs)

    return wrapped
