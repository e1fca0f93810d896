"""The heat map behind the shared cache for whole-city views.

Whole-city zooms (12 and out) are what every tasking meeting opens first and
the same for everyone with the same role scope, so they come from the cache
shared by all workers (common.cache); closer zooms are computed, as each
viewport differs. Every change shows at once, a disposal included: the key
holds the data version (intelligence.data_version), which every committed
write to records, their links or locations moves on.

Each answer, from the cache or not, is a consultation: the access log gets
the map's parameters, data version and the number of records it weighed,
kept with the cached body (audit.consults).
"""

from audit.consults import consultations_reported, consulted_again
from common.cache import cache_for_scope, revalidated
from common.placement import placement_sees_exact
from intelligence.data_version import data_version_read

# Zoom 12 on a laptop screen shows a whole city and its edges.
WHOLE_CITY_MAX_ZOOM = 12


def visibility_class(request) -> str:
    """What decides an aggregate's content for a user, in a cache key or an
    ETag: record content access (else small cells and counts are
    suppressed), handling-code C clearance, and clearance for restricted
    locations' exact positions (else records there are binned on the 500 m
    grid, and such places are left out of hot spots)."""
    user = request.user
    return "c{:d}h{:d}x{:d}".format(
        user.has_perm("intelligence.view_record_content"),
        user.has_perm("intelligence.view_handling_c"),
        placement_sees_exact(user=user),
    )


def heatmap_data_version() -> str:
    return str(data_version_read())


def whole_city_view(request) -> bool:
    try:
        return int(request.GET.get("zoom", "")) <= WHOLE_CITY_MAX_ZOOM
    except ValueError:
        return False


# Decorates the heat map's own view (maps.api.heatmap), below @api_view and
# @permission_classes: a hit is answered after authentication and
# permissions, and bad parameters still get the view's 400. Under
# @consults: a miss keeps the consultation the view reported, a hit reports
# it again for this request.
heatmap_cache = cache_for_scope(
    prefix="heatmap",
    scope=visibility_class,
    when=whole_city_view,
    version=heatmap_data_version,
    keep=consultations_reported,
    replay=consulted_again,
)


def aggregate_revalidated(prefix: str):
    """ETags and 304s for an aggregate's answers (heat map, area counts, hot
    spots): the tag holds the data version and the role's visibility class,
    and a 304 logs the consultation its tag was given for again. Under
    @consults, below authentication and permissions."""
    return revalidated(
        prefix=prefix,
        scope=visibility_class,
        version=heatmap_data_version,
        keep=consultations_reported,
        replay=consulted_again,
    )
