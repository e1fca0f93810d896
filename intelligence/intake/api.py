"""POST /api/v1/intelligence/: systems that submit records (a police or
council system) send the form's fields as JSON. The body is validated by
SubmissionForm, exactly as the page is; a refusal is a 400 naming each
field. An Idempotency-Key header makes a retry safe: the same key and body
get the first answer again, never a second record."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.tokens import SUBMIT, TokenScopePermission
from intelligence.grading import submit_can
from intelligence.models import IndicatorTag, LocationMethod, SourceType

from .forms import PREMISES_HOW, SUBMIT_KINDS, SubmissionForm
from .services import IdempotencyConflict, submission_create, submission_create_once

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255


class Submitter(TokenScopePermission):
    message = "Your role does not submit intelligence."

    def role_allows(self, request, view) -> bool:
        return submit_can(user=request.user)


class _PremisesSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="A premises id from the register.")
    how = serializers.ChoiceField(choices=PREMISES_HOW, default="venue")


class SubmissionRequestSerializer(serializers.Serializer):
    """The body, for the schema; SubmissionForm validates it."""

    kind = serializers.ChoiceField(choices=SUBMIT_KINDS, required=False)
    account = serializers.CharField(
        max_length=5000, help_text="What was seen or heard. Never a child's name."
    )
    occurred_from = serializers.DateTimeField()
    occurred_to = serializers.DateTimeField(required=False)
    location_method = serializers.ChoiceField(choices=LocationMethod.choices)
    lon = serializers.FloatField(required=False)
    lat = serializers.FloatField(required=False)
    postcode = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    pin_confirmed = serializers.BooleanField(
        required=False, help_text="Required with location_method 'postcode'."
    )
    premises = _PremisesSerializer(many=True, required=False)
    source_type = serializers.ChoiceField(choices=SourceType.choices)
    submitter_is_source = serializers.BooleanField()
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=IndicatorTag.choices), required=False
    )
    vehicle_marks = serializers.ListField(
        child=serializers.CharField(max_length=16), required=False
    )
    people_text = serializers.CharField(required=False, max_length=3000)


class SubmissionResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="The submitter's page for it.")


def _plain(data) -> dict:
    if hasattr(data, "lists"):
        return {k: v if len(v) > 1 else v[0] for k, v in data.lists()}
    return data


def _errors(form: SubmissionForm) -> dict:
    return {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in msgs]
        for field, msgs in form.errors.items()
    }


def _answer(request, body: dict):
    form = SubmissionForm(body, user=request.user)
    if not form.is_valid():
        return status.HTTP_400_BAD_REQUEST, _errors(form), None
    record = submission_create(user=request.user, data=form.cleaned_data)
    return (
        status.HTTP_201_CREATED,
        {
            "id": record.pk,
            "reference": record.reference,
            "status": record.status,
            "submitted_at": record.submitted_at.isoformat(),
            "url": reverse("intelligence:submission", args=[record.pk]),
        },
        record,
    )


class SubmissionCreateMixin:
    """`create` for the intelligence viewset: its POST."""

    # The one route a submit-only API token may use (accounts/tokens.py).
    token_scopes = {"create": frozenset({SUBMIT})}

    @extend_schema(
        request=SubmissionRequestSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique string per submission (a UUID): a "
                "retried POST with the same key and body is answered as the "
                "first was and makes no second record; the same key with a "
                "different body is refused (422).",
            )
        ],
        responses={
            201: SubmissionResponseSerializer,
            400: OpenApiResponse(description="{field: [messages]}"),
            422: OpenApiResponse(description="Idempotency-Key reused"),
        },
    )
    def create(self, request, *args, **kwargs):
        body = _plain(request.data)
        if not isinstance(body, dict):
            raise ValidationError(
                {"non_field_errors": ["Send the submission as a JSON object."]}
            )
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key:
            code, response, _ = _answer(request, body)
            return Response(response, status=code)
        if len(key) > IDEMPOTENCY_KEY_MAX:
            raise ValidationError(
                {
                    IDEMPOTENCY_HEADER: [
                        f"At most {IDEMPOTENCY_KEY_MAX} characters: a UUID will do."
                    ]
                }
            )
        try:
            kept = submission_create_once(
                user=request.user,
                key=key,
                body=body,
                answer=lambda: _answer(request, body),
            )
        except IdempotencyConflict as exc:
            return Response(
                {IDEMPOTENCY_HEADER: [str(exc)]},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        headers = {"Idempotent-Replayed": "true"} if kept.replayed else {}
        return Response(kept.body, status=kept.status_code, headers=headers)
