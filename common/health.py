"""`/healthz`, for load balancers and monitoring: is this app server able to
serve, and how far behind is its standby?

200 when the primary answers and accepts writes; 503 (with Retry-After)
when it does not, so HAProxy stops sending users to an app server that
cannot serve them. The standby is reported (reachable, lag against the
bound, whether reads use it) but does not fail the check: without it, reads
go to the primary. Open without signing in, as a balancer asks it; it says
nothing about the product's data.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.db.standby import standby_status
from common.db.unavailable import RETRY_AFTER_S, connections_close_failed


def _primary() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery()")
            (in_recovery,) = cur.fetchone()
    except DatabaseError as exc:
        connections_close_failed()
        return {"ok": False, "error": str(exc).strip().splitlines()[0][:200]}
    if in_recovery:
        # A node demoted under an open connection: reconnect to the new one.
        connections[DEFAULT_DB_ALIAS].close()
        return {"ok": False, "error": "the primary's connection is now a standby"}
    return {"ok": True}


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    primary = _primary()
    body = {
        "status": "ok" if primary["ok"] else "unavailable",
        "primary": primary,
        "standby": standby_status(fresh=True).as_dict(),
    }
    response = JsonResponse(body, status=200 if primary["ok"] else 503)
    if not primary["ok"]:
        response["Retry-After"] = str(RETRY_AFTER_S)
    return response
