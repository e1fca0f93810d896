"""Writing a request's access-log row: the request gives who, where from and
the route; the view's declaration (audit.consults) gives what, which records
and the reason."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .justification import FIELD, export_justification
from .models import AccessLogEntry
from .services import access_log_write


def access_log_request(
    *,
    request: HttpRequest,
    action: str,
    what: str,
    record_ids: Iterable[int] = (),
    count: int | None = None,
    justification: str = "",
    params: dict | None = None,
) -> AccessLogEntry:
    return access_log_write(
        user=request.user,
        action=action,
        what=what,
        route=request.get_full_path(),
        record_ids=record_ids,
        count=count,
        justification=justification,
        ip=request.META.get("REMOTE_ADDR"),
        params=params,
    )


def record_id_asked(value) -> list[int]:
    """The record id a refused request named, when it is one (a URL may hold
    anything; the log column holds bigints)."""
    text = str(value or "")
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**63:
        return [int(text)]
    return []


def export_justification_or_page(
    request: HttpRequest, *, what: str
) -> tuple[str, None] | tuple[None, HttpResponse]:
    """For an HTML export link: the reason given with it, or the page asking
    for one (428, or 400 when the reason given is not usable), which sends
    the same request again with the reason added."""
    error = None
    try:
        reason = export_justification(request)
    except ValidationError as exc:
        reason, error = None, " ".join(exc.messages)
    if reason:
        return reason, None
    hidden = [(k, v) for k, vs in request.GET.lists() if k != FIELD for v in vs]
    page = render(
        request,
        "audit/export_reason.html",
        {"what": what, "hidden": hidden, "error": error, "field": FIELD},
        status=400 if error else 428,
    )
    return None, page
