"""Notifications pages: the list, marking read, and the email choices. Every
signed-in role has notifications; each sees only their own."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .forms import PreferencesForm
from .selectors import notification_email_kinds, notification_list
from .services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_set,
)


def _back(request: HttpRequest, default: str = "notifications:list"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def notification_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_list(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's notification answers as a missing one does.
    get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(user=request.user, pk=pk)
    return _back(request)


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    n = notification_mark_all_read(user=request.user)
    messages.success(request, f"{n} notification{'s' if n != 1 else ''} marked read.")
    return _back(request)


def notification_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notification_preferences_set(
                user=request.user, email_kinds=form.cleaned_data["email_kinds"]
            )
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:preferences")
        status = 400
    else:
        form = PreferencesForm(
            initial={"email_kinds": sorted(notification_email_kinds(user=request.user))}
        )
        status = 200
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "email": request.user.email},
        status=status,
    )
