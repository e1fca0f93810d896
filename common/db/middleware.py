"""Read-your-writes across a primary and its standbys.

A request that changed something (a successful POST, PUT, PATCH or DELETE
by a signed-in user with a session) opens a sticky window in that session:
for REPLICA_STICKY_SECONDS its reads stay on the primary, so a user who has
just saved a record sees it on the map whichever standby would have served
them. The window is in the session, stored in the database, so it holds on
every app server. Views that only read (`@standby_reads`, such as an area
query sent as a POST) do not open one.
"""

from .router import session_mark_wrote
from .standby import replica_configured

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class PrimaryAfterWriteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in WRITE_METHODS
            and response.status_code < 400
            and not getattr(request, "standby_reads", False)
            and replica_configured()
            and request.user.is_authenticated
            and request.session.session_key is not None
        ):
            session_mark_wrote(request)
        return response
