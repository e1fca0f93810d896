"""The owner's API tokens page: issue, list, revoke (accounts/tokens.py)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .selectors import api_token_list
from .services import (
    TokenRefused,
    api_token_issue,
    api_token_revoke,
    api_token_scopes_for,
    otp_device_confirmed,
)


def _page(request, *, form, issued=None, status=200) -> HttpResponse:
    user = request.user
    second_factor = reverse(
        "otp-verify" if otp_device_confirmed(user=user) else "otp-setup"
    )
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": api_token_list(user=user),
            "issued": issued,
            "verified": user.is_verified(),
            "second_factor_url": f"{second_factor}?"
            + urlencode({"next": reverse("api-tokens")}),
            "days": settings.API_TOKEN_DAYS,
        },
        status=status,
    )


@never_cache
def api_tokens(request: HttpRequest) -> HttpResponse:
    scopes = api_token_scopes_for(user=request.user)
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None, scopes=scopes
    )
    if request.method != "POST":
        return _page(request, form=form)
    if form.is_valid():
        try:
            token, secret = api_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                second_factor_passed=request.user.is_verified(),
            )
        except TokenRefused as exc:
            form.add_error(None, str(exc))
        else:
            # Shown this once: only its digest is kept.
            return _page(
                request,
                form=ApiTokenForm(scopes=scopes),
                issued={"token": token, "secret": secret},
            )
    return _page(request, form=form, status=400)


@require_POST
def api_token_revoke_view(request: HttpRequest) -> HttpResponse:
    digest = request.POST.get("token", "")
    if digest and api_token_revoke(user=request.user, digest=digest):
        messages.success(request, "The token is revoked: it no longer works.")
    else:
        messages.error(request, "No such token of yours: nothing was revoked.")
    return redirect("api-tokens")
