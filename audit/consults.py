"""Declaring, on a view, what it consults: the access log is written for it.

Section 62 of the Data Protection Act 2018: every consultation of
intelligence is logged with who, when (UTC), which records and why. A view
that reads intelligence says so where it is defined:

    @consults("Record page", action=AccessAction.OPENED, denied_ids="pk")
    def record_page(request, pk):
        ...
        consulted(request, record_ids=[record.pk])

The decorator (`consults`) states what is consulted and how the reason is
found; the view reports which records it showed (`consulted`) or that it
refused (`consult_denied`), and the decorator writes the log row once the
view has answered: one INSERT per report, whatever the number of records. An
exception the declaration names (`denied_on`, Http404 by default) is logged
as a refused attempt with the id the URL asked for (`denied_ids`).

DRF viewsets declare per action with `ConsultsMixin.consults`; function API
views put `@consults` under `@api_view`. tests/access/test_consultation_walk.py
walks the URL map and fails for any route that reads intelligence and
declares nothing (`consultation_declared`).
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from .justification import request_justification, session_justification
from .models import AccessAction
from .web import access_log_request, record_id_asked

# How the reason logged with a consultation is found, when the view does not
# pass the one it already checked.
SESSION = "session"  # the working session's reason (HTML pages)
REQUEST = "request"  # the X-Justification header, else the session's
# Density, counts and scores carry no record content, so no reason is asked
# for them; the one given (header or session) is logged when there is one.
AGGREGATE_REASON_NOT_ASKED = (
    "Not asked: density, counts or scores only, no record content shown"
)
# A page listing only references from the user's own work queues (records
# due for their review, submissions awaiting their grading).
WORKLIST_REASON_NOT_ASKED = (
    "Not asked: references in the user's own work queues, no record content shown"
)
ATTRIBUTE = "access_consultation"


@dataclass(frozen=True)
class Consults:
    """What a view (or one viewset action) consults."""

    what: str
    action: str = AccessAction.LISTED
    # SESSION, REQUEST, or a fixed text (a submitter reading their own words).
    reason: str = SESSION
    # An aggregate (heat map, counts, scores): logged with the reason if one
    # was given, else AGGREGATE_REASON_NOT_ASKED; never asks for one.
    aggregate: bool = False
    # Like an aggregate, with this text when no reason was given.
    unasked: str = ""
    # Exceptions from the view that are refused attempts, logged as denied
    # with the record id named by the URL keyword `denied_ids`.
    denied_on: tuple[type[BaseException], ...] = (Http404,)
    denied_ids: str = ""


@dataclass
class _Report:
    action: str
    what: str
    record_ids: list[int]
    count: int | None
    justification: str
    params: dict | None = None
    # Called with the log entry once written, in the same transaction: what
    # a consultation showed beside records (people.web: subjects, vehicles).
    then: Callable | None = None


@dataclass
class Consultation:
    """One request's consultation: the declaration and what the view said."""

    declared: Consults
    reports: list[_Report] = field(default_factory=list)
    written: list[_Report] = field(default_factory=list)

    def reason(self, request) -> str:
        mode = self.declared.reason
        unasked = self.declared.unasked or (
            AGGREGATE_REASON_NOT_ASKED if self.declared.aggregate else ""
        )
        if unasked:
            try:
                given = request_justification(request)
            except ValidationError:
                given = None
            return given or unasked
        if mode == SESSION:
            return session_justification(request) or ""
        if mode == REQUEST:
            return request_justification(request) or ""
        return mode


def _consultation(request) -> Consultation:
    found = getattr(request, ATTRIBUTE, None)
    if found is None:
        raise RuntimeError(
            "consulted() is for views declared with @consults (audit.consults)."
        )
    return found


def consulted(
    request,
    *,
    record_ids: Iterable[int] = (),
    count: int | None = None,
    what: str | None = None,
    action: str | None = None,
    justification: str | None = None,
    params: dict | None = None,
    then: Callable | None = None,
) -> None:
    """The view showed (or weighed) these records: log them once it answers.

    `count` is how many records were consulted when not every id is given
    (by default the number of ids); `what` and `action` override the
    declaration's for this answer (an export of N rows); `justification`
    is the reason the view already checked; `params` are the query's
    parameters, as the view applied them; `then` is called with the entry
    once it is written."""
    consultation = _consultation(request)
    declared = consultation.declared
    consultation.reports.append(
        _Report(
            action=action or declared.action,
            what=what or declared.what,
            record_ids=list(record_ids),
            count=count,
            justification=(
                justification
                if justification is not None
                else consultation.reason(request)
            ),
            params=params,
            then=then,
        )
    )


def consult_denied(
    request, *, what: str | None = None, record_ids: Iterable[int] = ()
) -> None:
    """A request for records the user may not see: logged as denied, with the
    ids asked for, once the view answers (or raises)."""
    _denied(_consultation(request), what=what, record_ids=record_ids)


def _denied(consultation: Consultation, *, what: str | None, record_ids) -> None:
    consultation.reports.append(
        _Report(
            action=AccessAction.DENIED,
            what=what or consultation.declared.what,
            record_ids=list(record_ids),
            count=0,
            justification="",
        )
    )


def _write(request, consultation: Consultation) -> None:
    for report in consultation.reports:
        # One INSERT is atomic by itself: a transaction (BEGIN, COMMIT) is
        # opened only when more is written with the entry (`then`).
        with transaction.atomic() if report.then is not None else nullcontext():
            entry = access_log_request(
                request=request,
                action=report.action,
                what=report.what,
                record_ids=report.record_ids,
                count=report.count,
                justification=report.justification,
                params=report.params,
            )
            if report.then is not None:
                report.then(entry)
    consultation.written.extend(consultation.reports)
    consultation.reports.clear()


def _denied_report(consultation: Consultation, kwargs: dict) -> None:
    """Denied, with the record id the URL named (`denied_ids`)."""
    key = consultation.declared.denied_ids
    _denied(
        consultation,
        what=None,
        record_ids=record_id_asked(kwargs.get(key)) if key else [],
    )


def _on_exception(consultation: Consultation, exc: BaseException, kwargs) -> None:
    """A declared refusal is logged as denied (with the id asked for, unless
    the view reported its own); any other failure logs only the refusals the
    view reported before it (nothing it was about to show)."""
    declared = consultation.declared
    refused = isinstance(exc, declared.denied_on) or _is_drf_not_found(exc, declared)
    if refused:
        if not any(r.action == AccessAction.DENIED for r in consultation.reports):
            _denied_report(consultation, kwargs)
    else:
        consultation.reports[:] = [
            r for r in consultation.reports if r.action == AccessAction.DENIED
        ]


def _run(request, declared: Consults, call: Callable, kwargs: dict):
    consultation = Consultation(declared=declared)
    setattr(request, ATTRIBUTE, consultation)
    # A DRF Request wraps the HttpRequest: both carry it, so either may report.
    inner = getattr(request, "_request", None)
    if inner is not None:
        setattr(inner, ATTRIBUTE, consultation)
    try:
        response = call()
    except BaseException as exc:
        _on_exception(consultation, exc, kwargs)
        _write(request, consultation)
        raise
    _write(request, consultation)
    return response


def consults(
    what: str,
    *,
    action: str = AccessAction.LISTED,
    reason: str = SESSION,
    aggregate: bool = False,
    unasked: str = "",
    denied_on: tuple[type[BaseException], ...] = (Http404,),
    denied_ids: str = "",
):
    """Decorator: the view consults intelligence (see the module's docstring).

    For a function API view it goes under @api_view, so the request it sees
    has been authenticated."""
    declared = Consults(
        what=what,
        action=action,
        reason=reason,
        aggregate=aggregate,
        unasked=unasked,
        denied_on=denied_on,
        denied_ids=denied_ids,
    )

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _run(
                request, declared, lambda: view(request, *args, **kwargs), kwargs
            )

        setattr(wrapped, ATTRIBUTE, declared)
        return wrapped

    return decorate


class ConsultsMixin:
    """For DRF viewsets: `consults` maps each action that reads intelligence
    to its declaration; actions not named consult nothing (a submission)."""

    consults: dict[str, Consults] = {}

    def dispatch(self, request, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        action = (
            self.action_map.get(request.method.lower()) if self.action_map else None
        )
        declared = self.consults.get(action)
        if declared is None:
            return super().dispatch(request, *args, **kwargs)
        consultation = Consultation(declared=declared)
        setattr(request, ATTRIBUTE, consultation)
        self._consultation = consultation
        return super().dispatch(request, *args, **kwargs)

    def handle_exception(self, exc):
        consultation = getattr(self, "_consultation", None)
        if consultation is not None:
            _on_exception(consultation, exc, self.kwargs)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        consultation = getattr(self, "_consultation", None)
        if consultation is not None:
            _write(request, consultation)
        return super().finalize_response(request, response, *args, **kwargs)


def _is_drf_not_found(exc, declared: Consults) -> bool:
    from rest_framework.exceptions import NotFound

    return Http404 in declared.denied_on and isinstance(exc, NotFound)


def consultations_reported(request) -> list[dict]:
    """What the view reported for this request so far (a cached answer
    keeps it, to log it again for each request it answers)."""
    http = getattr(request, "_request", request)
    consultation = getattr(request, ATTRIBUTE, None) or getattr(http, ATTRIBUTE, None)
    if consultation is None:
        return []
    return [
        {
            "action": r.action,
            "what": r.what,
            "record_ids": r.record_ids,
            "count": r.count,
            "params": r.params,
        }
        for r in (*consultation.written, *consultation.reports)
        if r.action != AccessAction.DENIED
    ]


def consulted_again(request, reports: list[dict]) -> None:
    """Log, for this request and with its own reason, what a cached answer
    consulted when it was made."""
    for report in reports:
        consulted(request, **report)


def consultation_declared(callback) -> list[Consults]:
    """What a URL's view declares it consults (empty: nothing), looking
    through decorators, DRF's function views and viewsets' actions."""
    found: list[Consults] = []
    seen = set()
    todo = [callback]
    while todo:
        fn = todo.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        declared = getattr(fn, ATTRIBUTE, None)
        if isinstance(declared, Consults):
            found.append(declared)
        todo.append(getattr(fn, "__wrapped__", None))
        # DRF's @api_view keeps the function in its handler's closure.
        for cell in getattr(fn, "__closure__", None) or ():
            try:
                inner = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if callable(inner) and not isinstance(inner, type):
                todo.append(inner)
        cls = getattr(fn, "cls", None) or getattr(fn, "view_class", None)
        if cls is not None:
            actions = getattr(fn, "actions", None) or {}
            table = getattr(cls, "consults", None)
            if isinstance(table, dict):
                found.extend(table[a] for a in actions.values() if a in table)
            for method in ("get", "post", *actions.values()):
                todo.append(getattr(cls, method, None))
    return found


__all__ = [
    "AGGREGATE_REASON_NOT_ASKED",
    "WORKLIST_REASON_NOT_ASKED",
    "REQUEST",
    "SESSION",
    "Consults",
    "ConsultsMixin",
    "consult_denied",
    "consultation_declared",
    "consulted",
    "consulted_again",
    "consultations_reported",
    "consults",
]
