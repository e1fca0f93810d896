"""Session limits and the second factor, enforced on every request."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

SIGNED_IN_AT = "intel_map_signed_in_at"
LAST_SEEN = "intel_map_last_seen"
ENDED_REASON = "intel_map_session_ended"
# Activity is written to the session at most this often: a map view makes a
# dozen API calls, and each would otherwise write the session row.
ACTIVITY_RESOLUTION_S = 60


def session_mark_signed_in(*, session, now: float | None = None) -> None:
    now = time.time() if now is None else now
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Signs the user out after SESSION_IDLE_TIMEOUT without a request, and
    SESSION_ABSOLUTE_TIMEOUT after signing in whatever they do. The reason is
    kept in the new, anonymous session for the sign-in page to show."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.get(SESSION_KEY) is not None:
            now = time.time()
            signed_in = session.get(SIGNED_IN_AT)
            if signed_in is None:
                session_mark_signed_in(session=session, now=now)
                signed_in = now
            last_seen = session.get(LAST_SEEN, signed_in)
            reason = None
            if now - signed_in >= settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds():
                reason = "absolute"
            elif now - last_seen >= settings.SESSION_IDLE_TIMEOUT.total_seconds():
                reason = "idle"
            if reason:
                logout(request)
                request.session[ENDED_REASON] = reason
            elif now - last_seen >= ACTIVITY_RESOLUTION_S:
                session[LAST_SEEN] = now
        return self.get_response(request)


def otp_exempt(view):
    """Marks a view a half-signed-in user (password given, code not yet) may
    open: the second-factor pages themselves and signing out."""
    view.otp_exempt = True
    return view


class OTPRequiredMiddleware:
    """With OTP_REQUIRED, a user signed in with a password alone reaches only
    the second-factor pages: other pages send them there, the API refuses.
    API token clients are not affected: a token is issued only to a session
    that has passed the second factor (accounts/tokens.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED or getattr(view_func, "otp_exempt", False):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": "Finish signing in: enter the code from your "
                    "authenticator app at " + reverse("otp-verify") + "."
                },
                status=403,
            )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('otp-verify')}?{query}")
