"""The reason a user gives for consulting intelligence.

Pages and API calls that show records need a reason for the working session:
given once on the justification page (kept in the session until sign-out or
for JUSTIFICATION_MAX_AGE, a long shift), or by an API client in the
X-Justification header of each request. An export needs its own reason every
time: a `justification` field of the export's form or query, or the header.
"""

from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as DRFValidationError

SESSION_KEY = "access_justification"
HEADER = "X-Justification"
FIELD = "justification"
JUSTIFICATION_MIN_CHARS = 5
JUSTIFICATION_MAX_CHARS = 500
JUSTIFICATION_MAX_AGE = timedelta(hours=12)
# What an API view asks for, read by the schema (common.schema): the
# session's reason or the header; or a reason given with the export itself.
SESSION_OR_HEADER = "session"
PER_EXPORT = "export"


def justification_clean(*, text: str | None, field: str = FIELD) -> str:
    """The reason as it will be logged, or a ValidationError naming the field."""
    if text is not None and not isinstance(text, str):
        raise ValidationError({field: "Give the reason as text."})
    text = " ".join((text or "").split())
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValidationError({field: "The reason holds control characters."})
    if not text:
        raise ValidationError({field: "Say why you need to see this intelligence."})
    if len(text) < JUSTIFICATION_MIN_CHARS:
        raise ValidationError(
            {field: f"Give a reason of at least {JUSTIFICATION_MIN_CHARS} characters."}
        )
    if len(text) > JUSTIFICATION_MAX_CHARS:
        raise ValidationError(
            {field: f"Keep the reason under {JUSTIFICATION_MAX_CHARS} characters."}
        )
    return text


def session_justification_set(*, request: HttpRequest, text: str) -> str:
    return session_justification_store(session=request.session, text=text)


def session_justification_store(*, session, text: str) -> str:
    """Keep a reason in a session (a request's, or one a script signs in)."""
    text = justification_clean(text=text)
    session[SESSION_KEY] = {"text": text, "at": timezone.now().isoformat()}
    return text


def session_justification(request: HttpRequest) -> str | None:
    """The reason given for this working session, if still current."""
    session = getattr(request, "session", None)
    stored = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(stored, dict):
        return None
    given_at = parse_datetime(stored.get("at") or "")
    if given_at is None or timezone.now() - given_at > JUSTIFICATION_MAX_AGE:
        return None
    return stored.get("text") or None


def _header(request: HttpRequest) -> str | None:
    return request.headers.get(HEADER) or None


def request_justification(request: HttpRequest) -> str | None:
    """For consultation: the header if given, else the session's reason."""
    if header := _header(request):
        return justification_clean(text=header, field=HEADER)
    return session_justification(request)


def export_justification(request: HttpRequest, data=None) -> str | None:
    """For an export: the reason given with this very request (form field,
    query parameter or header), never the session's."""
    values = [request.GET.get(FIELD)]
    if data is not None and hasattr(data, "get"):
        values.insert(0, data.get(FIELD))
    elif request.method == "POST":
        values.insert(0, request.POST.get(FIELD))
    for value in values:
        if value not in (None, ""):
            return justification_clean(text=value)
    if header := _header(request):
        return justification_clean(text=header, field=HEADER)
    return None


def justify_url(*, next_url: str) -> str:
    return f"{reverse('audit:justify')}?{urlencode({'next': next_url})}"


def justification_required(applies):
    """For HTML views that show record content: without a reason for this
    session, send the user to give one and bring them back. `applies(user)`
    says whether this user would be shown records at all."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if applies(request.user) and session_justification(request) is None:
                return redirect(justify_url(next_url=request.get_full_path()))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


class JustificationRequired(APIException):
    """428 Precondition Required: the request lists records, and no reason
    was given (header, or the session's)."""

    status_code = 428
    default_code = "justification_required"

    def __init__(self, *, export: bool = False):
        if export:
            detail = (
                "An export needs its own justification: send it as the "
                f"'{FIELD}' field or parameter, or in the {HEADER} header."
            )
        else:
            detail = (
                f"Say why you are consulting intelligence: send the {HEADER} "
                "header, or give a reason for this session at "
                f"{reverse('audit:justify')}."
            )
        super().__init__({"detail": detail, "missing": FIELD if export else HEADER})


def api_justification(request, *, export: bool = False) -> str:
    """The reason for an API request (a DRF Request), or JustificationRequired
    (428); a malformed reason is a 400 naming the field."""
    try:
        if export:
            text = export_justification(request, data=request.data)
        else:
            text = request_justification(request)
    except ValidationError as exc:
        raise DRFValidationError(exc.message_dict) from None
    if not text:
        raise JustificationRequired(export=export)
    return text
