"""Near repeat, when, period change and repeat locations over the API (GET).

The same forms as the pages parse the query (a bad parameter is a 400 naming
it) and run the analysis; the same presenters apply the need-to-know scope.
Each call weighs intelligence: it needs a reason (the X-Justification header
or the session's; 428 without) and is logged with it.
"""

from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import MapReader
from audit.consults import consults
from audit.justification import SESSION_OR_HEADER, api_justification
from audit.models import AccessAction

from .analyst_forms import (
    ChangeForm,
    KnoxForm,
    RepeatForm,
    WhenForm,
    analysis_run_log,
)
from .api import form_parameters
from .presenters import (
    change_present,
    knox_present,
    repeat_present,
    selection_dict,
    when_present,
)
from .selectors.analyses import AnalysisRefused


class _AnalysisAPI(APIView):
    permission_classes = [MapReader]
    justification = SESSION_OR_HEADER
    form_class = None

    def present(self, run, form) -> dict:
        raise NotImplementedError

    def get(self, request):
        reason = api_justification(request)
        form = self.form_class(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        try:
            run = form.run()
        except AnalysisRefused as exc:
            raise ValidationError({"selection": [str(exc)]}) from None
        analysis_run_log(request=request, run=run, justification=reason)
        body = self.present(run, form)
        if run.selection is not None:
            body = {"selection": selection_dict(run.selection), **body}
        return Response(body)


def _schema(form_class):
    # `run` is the page's own switch; the API always runs.
    params = [p for p in form_parameters(form_class) if p.name != "run"]
    return extend_schema(parameters=params, responses={200: dict})


class NearRepeatAPI(_AnalysisAPI):
    """The Knox test: observed and expected pairs, Knox ratio and Monte Carlo
    p-value for each space band x time band."""

    form_class = KnoxForm

    def present(self, run, form) -> dict:
        return knox_present(result=run.result, user=self.request.user)

    @_schema(KnoxForm)
    @method_decorator(consults("Near repeat", action=AccessAction.SEARCHED))
    def get(self, request):
        return super().get(request)


class WhenAPI(_AnalysisAPI):
    """Time of day by day of week (local time, Monday first), windows spread
    aoristically."""

    form_class = WhenForm

    def present(self, run, form) -> dict:
        return when_present(grid=run.result, user=self.request.user)

    @_schema(WhenForm)
    @method_decorator(consults("When", action=AccessAction.SEARCHED))
    def get(self, request):
        return super().get(request)


class PeriodChangeAPI(_AnalysisAPI):
    """Each area of a type: this period, the last and a year ago, with the
    changes and their significance."""

    form_class = ChangeForm

    def present(self, run, form) -> dict:
        return {
            "area_type": form.chosen_area_type(),
            **change_present(
                rows=run.result, periods=form.periods(), user=self.request.user
            ),
        }

    @_schema(ChangeForm)
    @method_decorator(consults("Period change", action=AccessAction.SEARCHED))
    def get(self, request):
        return super().get(request)


class RepeatLocationsAPI(_AnalysisAPI):
    """Concentration of records on premises: top 10 % and 20 % shares, the
    Lorenz curve, and the premises list for roles cleared for records."""

    form_class = RepeatForm

    def present(self, run, form) -> dict:
        body = repeat_present(result=run.result, user=self.request.user)
        body.pop("lorenz_svg")
        return body

    @_schema(RepeatForm)
    @method_decorator(consults("Repeat locations", action=AccessAction.SEARCHED))
    def get(self, request):
        return super().get(request)
