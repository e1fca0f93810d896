"""The heat map behind the shared cache for whole-city views.

Whole-city zooms (12 and out) are what every tasking meeting opens first and
the same for everyone with the same role scope, so they come from the cache
shared by all workers (common.cache); closer zooms are computed, as each
viewport differs. New records show at once (the key holds the newest record
id), and so does a submission once graded (and the latest grading time);
other edits to existing records show within the cache timeout.
"""

from common.cache import cache_for_scope
from common.db.router import read_connection
from common.placement import placement_sees_exact

# Zoom 12 on a laptop screen shows a whole city and its edges.
WHOLE_CITY_MAX_ZOOM = 12


def heatmap_cache_key_scope(request) -> str:
    """The part of a heat map's cache key that depends on the user: what
    decides a heat map's content for a user: record content access
    (else small cells are suppressed), handling-code C clearance, and
    clearance for restricted locations' exact positions (else records there
    are binned on the 500 m grid)."""
    user = request.user
    return "c{:d}h{:d}x{:d}".format(
        user.has_perm("intelligence.view_record_content"),
        user.has_perm("intelligence.view_handling_c"),
        placement_sees_exact(user=user),
    )


def newest_record_id() -> str:
    with read_connection().cursor() as cur:
        # Both read from an index's end (intel_graded_at_idx).
        cur.execute(
            "SELECT max(id), max(graded_at) FROM intelligence_intelligencerecord"
        )
        newest, graded = cur.fetchone()
        return f"{newest}-{graded.timestamp() if graded else 0}"


def whole_city_view(request) -> bool:
    try:
        return int(request.GET.get("zoom", "")) <= WHOLE_CITY_MAX_ZOOM
    except ValueError:
        return False


# Decorates the heat map's own view (maps.api.heatmap), below @api_view and
# @permission_classes: a hit is answered after authentication and
# permissions, and bad parameters still get the view's 400.
heatmap_cache = cache_for_scope(
    prefix="heatmap",
    scope=heatmap_cache_key_scope,
    when=whole_city_view,
    version=newest_record_id,
)
