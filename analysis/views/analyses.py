"""Near repeat, when, period change and repeat locations: the pages.

Every role that reads the map may run them on its need-to-know scope
(analysis.presenters); a partner may not. Each run weighs intelligence, so
it is a consultation: it needs the session's reason and is logged with it
(section 62, DPA 2018) and with how many records it weighed.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import MAP_READ_PERMISSION, can_see_hotspots
from audit.consults import consults
from audit.justification import justification_required, session_justification
from audit.models import AccessAction
from common.db.router import standby_reads

from ..analyst_forms import (
    AnalysisRun,
    ChangeForm,
    KnoxForm,
    RepeatForm,
    SelectionForm,
    WhenForm,
    analysis_run_log,
)
from ..changemap import change_map_png
from ..presenters import change_present, knox_present, repeat_present, when_present
from ..selectors.analyses import AnalysisRefused


def every_role(user) -> bool:
    """Every role these pages admit is asked for the session's reason: even
    counts are a consultation of intelligence."""
    return True


def _analysis_view(view):
    """Signed in, a role that reads the map, and a reason for the session."""
    return standby_reads(
        permission_required(MAP_READ_PERMISSION, raise_exception=True)(
            justification_required(every_role)(
                consults(view.__name__, action=AccessAction.SEARCHED)(view)
            )
        )
    )


def _run(request: HttpRequest, form) -> AnalysisRun | None:
    """The form's analysis, logged; None (errors on the form) if it is
    invalid or the selection is too large."""
    if not form.is_valid():
        return None
    try:
        run = form.run()
    except AnalysisRefused as exc:
        form.add_error(None, str(exc))
        return None
    analysis_run_log(
        request=request, run=run, justification=session_justification(request)
    )
    return run


def _page(request, template: str, form, present=None) -> HttpResponse:
    run = _run(request, form)
    if run is None:
        context, status = {}, 400
    else:
        context = {"selection": run.selection, **present(run)}
        status = 200
    context.update(
        {
            "form": form,
            "query": request.GET.urlencode(),
            # A selection can become a problem profile (not period change's).
            "save_problem": isinstance(form, SelectionForm)
            and can_see_hotspots(request.user),
        }
    )
    return render(request, template, context, status=status)


@_analysis_view
def near_repeat(request: HttpRequest) -> HttpResponse:
    template = "analysis/near_repeat.html"
    if not request.GET.get("run"):
        # The test takes seconds: it runs when asked, not on opening the page.
        form = KnoxForm(initial=request.GET.dict(), user=request.user)
        return render(request, template, {"form": form})
    return _page(
        request,
        template,
        KnoxForm(request.GET, user=request.user),
        lambda run: {
            "settings": run.result.settings,
            "knox": knox_present(result=run.result, user=request.user),
        },
    )


@_analysis_view
def when(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "analysis/when.html",
        WhenForm(request.GET, user=request.user),
        lambda run: {"when": when_present(grid=run.result, user=request.user)},
    )


def _change_present(form, user):
    return lambda run: {
        "change": change_present(rows=run.result, periods=form.periods(), user=user)
    }


@_analysis_view
def period_change(request: HttpRequest) -> HttpResponse:
    form = ChangeForm(request.GET, user=request.user)
    return _page(
        request,
        "analysis/period_change.html",
        form,
        _change_present(form, request.user),
    )


@_analysis_view
def period_change_map(request: HttpRequest) -> HttpResponse:
    form = ChangeForm(request.GET, user=request.user)
    run = _run(request, form)
    if run is None:
        return HttpResponse(
            form.errors.as_text(), status=400, content_type="text/plain"
        )
    change = _change_present(form, request.user)(run)["change"]
    png = change_map_png(change=change, area_type=form.chosen_area_type())
    return HttpResponse(png, content_type="image/png")


@_analysis_view
def repeat_locations(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "analysis/repeat.html",
        RepeatForm(request.GET, user=request.user),
        lambda run: {"repeat": repeat_present(result=run.result, user=request.user)},
    )
