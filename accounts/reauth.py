"""Re-authentication before an export or a bulk download.

An export (a register's CSV or GeoJSON, the records API's CSV, What is
here? as CSV, a report's CSV, the briefing pack, the access log's CSV) goes
ahead only if the session gave its password or its second factor within
REAUTH_MINUTES; signing in counts. Otherwise a page asks for it again
(/accounts/confirm/) and then returns to the export, whose every parameter
is in its URL, so nothing is lost. The API answers 403 with
`"reauthenticate": <url>` instead, and an API token never exports: it was
issued, possibly weeks ago, by a session that cannot be asked again.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from rest_framework.exceptions import APIException, PermissionDenied

REAUTH_AT = "intel_map_reauth_at"


def reauth_mark(*, session, now: float | None = None) -> None:
    """The session has just given its password or second factor."""
    session[REAUTH_AT] = time.time() if now is None else now


def reauth_fresh(*, session) -> bool:
    given = session.get(REAUTH_AT)
    if given is None:
        return False
    return time.time() - given < settings.REAUTH_TIMEOUT.total_seconds()


def reauth_url(*, next_url: str) -> str:
    return f"{reverse('reauth')}?{urlencode({'next': next_url})}"


def export_reauth_redirect(request: HttpRequest) -> HttpResponseRedirect | None:
    """For a page's export: None if it may go ahead, else the redirect to the
    confirmation page, which comes back to this very URL."""
    if reauth_fresh(session=request.session):
        return None
    return HttpResponseRedirect(reauth_url(next_url=request.get_full_path()))


class ReauthRequired(APIException):
    status_code = 403
    default_code = "reauthentication_required"

    def __init__(self, *, url: str, asks: str):
        minutes = int(settings.REAUTH_TIMEOUT.total_seconds() // 60)
        super().__init__(
            {
                "detail": "An export needs your password or authenticator code "
                f"given in the last {minutes} minutes: confirm it is you, "
                "then ask again.",
                "reauthenticate": url,
                # What the confirmation asks for: "code" or "password".
                "asks": asks,
            }
        )


def api_export_reauth(request) -> None:
    """For an API export (a DRF request): raise unless it may go ahead."""
    from .tokens import request_token

    if request_token(request=request) is not None:
        raise PermissionDenied(
            "Exports are made from a signed-in session, not with an API token."
        )
    if not reauth_fresh(session=request.session):
        from .services import otp_device_confirmed

        referer = request.headers.get("Referer", "")
        raise ReauthRequired(
            url=reauth_url(next_url=_same_site(request, referer)),
            asks="code" if otp_device_confirmed(user=request.user) else "password",
        )


def _same_site(request, url: str) -> str:
    """The page the API call came from (this site's only), as a path."""
    from urllib.parse import urlsplit

    from django.utils.http import url_has_allowed_host_and_scheme

    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.LOGIN_REDIRECT_URL
