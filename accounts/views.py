"""Signing in: the password form, the second factor and the lock-out page."""

import io
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp.qr import write_qrcode_image

from .forms import OTPTokenForm, ReauthPasswordForm
from .lockout import lockout_ends
from .middleware import ENDED_REASON, otp_exempt
from .reauth import reauth_mark
from .services import (
    otp_device_confirm,
    otp_device_confirmed,
    otp_device_pending,
    otp_verify,
    otp_wait_seconds,
)


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60)


def _ended_message(reason: str | None) -> str:
    if reason == "idle":
        return (
            f"You were signed out after {_minutes(settings.SESSION_IDLE_TIMEOUT)} "
            "minutes without activity. Sign in again to carry on."
        )
    if reason == "absolute":
        hours = _minutes(settings.SESSION_ABSOLUTE_TIMEOUT) // 60
        return f"You were signed out {hours} hours after signing in. Sign in again."
    return ""


class SignInView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ended_message"] = _ended_message(
            self.request.session.pop(ENDED_REASON, None)
        )
        return context


sign_in = otp_exempt(SignInView.as_view())
sign_out = otp_exempt(auth_views.LogoutView.as_view())


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: the sign-in page again,
    saying what happened and when to try again, with 429 Too Many Requests.
    It reads the same whether or not the username belongs to an account."""
    ends = lockout_ends(request=request, credentials=credentials)
    minutes = _minutes(settings.AXES_COOLOFF_TIME)
    when = (
        f"after {timezone.localtime(ends):%H:%M} ({timezone.localtime(ends):%Z})"
        if ends
        else f"in {minutes} minutes"
    )
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": request.POST.get("next", ""),
            "locked_out_message": (
                "Too many failed sign-ins with this username: signing in with "
                f"it is paused for {minutes} minutes after the last failed "
                f"attempt. Try again {when}, or ask an administrator to "
                "unlock it."
            ),
        },
        status=429,
    )


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return settings.LOGIN_REDIRECT_URL


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _second_factor_done(request: HttpRequest, device) -> HttpResponse:
    django_otp.login(request, device)
    # A new session key once fully signed in (session fixation).
    request.session.cycle_key()
    reauth_mark(session=request.session)
    return redirect(_next_url(request))


@otp_exempt
@never_cache
@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    device = otp_device_confirmed(user=request.user)
    if device is None:
        return _to("otp-setup", request)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = otp_verify(user=request.user, token=form.cleaned_data["token"])
        if verified is not None:
            return _second_factor_done(request, verified)
        device.refresh_from_db()
        wait = otp_wait_seconds(device=device)
        form.add_error(
            "token",
            "That code is not right or has expired."
            + (f" Wait {wait} seconds before trying another." if wait else ""),
        )
    return render(
        request,
        "accounts/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@otp_exempt
@never_cache
@login_required
def otp_setup_view(request: HttpRequest) -> HttpResponse:
    if otp_device_confirmed(user=request.user) is not None:
        # Already enrolled: a new phone is set up by an administrator.
        return _to("otp-verify", request)
    device = otp_device_pending(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = otp_device_confirm(
            user=request.user, token=form.cleaned_data["token"]
        )
        if confirmed is not None:
            return _second_factor_done(request, confirmed)
        device.refresh_from_db()
        wait = otp_wait_seconds(device=device)
        form.add_error(
            "token",
            "That code does not match: check the app shows Intel Map "
            "and the phone's clock is right."
            + (f" Wait {wait} seconds before trying another." if wait else ""),
        )
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "secret": secret,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
        status=400 if form.errors else 200,
    )


@otp_exempt
@never_cache
@login_required
@require_GET
def otp_qr_view(request: HttpRequest) -> HttpResponse:
    """The pending authenticator's secret as a QR code (SVG)."""
    if otp_device_confirmed(user=request.user) is not None:
        return HttpResponse(status=404)
    out = io.BytesIO()
    write_qrcode_image(otp_device_pending(user=request.user).config_url, out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@never_cache
def reauth_view(request: HttpRequest) -> HttpResponse:
    """Confirm it is you before an export: the authenticator's code if the
    user has one, else the password; then back to the export asked for.
    Wrong passwords count towards the sign-in lock-out like any other."""
    user = request.user
    device = otp_device_confirmed(user=user)
    form = (OTPTokenForm if device else ReauthPasswordForm)(
        request.POST if request.method == "POST" else None
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST" and form.is_valid():
        if device:
            ok = otp_verify(user=user, token=form.cleaned_data["token"]) is not None
        else:
            ok = (
                authenticate(
                    request,
                    username=user.get_username(),
                    password=form.cleaned_data["password"],
                )
                == user
            )
        if ok:
            reauth_mark(session=request.session)
            if wants_json:
                return JsonResponse({"confirmed": True})
            return redirect(_next_url(request))
        form.add_error(
            "token" if device else "password",
            "That code is not right or has expired."
            if device
            else "That is not your password.",
        )
    status = 400 if form.errors else 200
    if wants_json:
        return JsonResponse(
            {"detail": " ".join(m for ms in form.errors.values() for m in ms)},
            status=status,
        )
    return render(
        request,
        "accounts/reauth.html",
        {
            "form": form,
            "uses_code": device is not None,
            "next": _next_url(request),
            "minutes": _minutes(settings.REAUTH_TIMEOUT),
        },
        status=status,
    )
