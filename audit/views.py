from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import JustificationForm
from .justification import session_justification, session_justification_set


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def justify(request: HttpRequest) -> HttpResponse:
    """Ask once per working session why the user is consulting intelligence."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    current = session_justification(request)
    if request.method == "POST":
        form = JustificationForm(request.POST)
        if form.is_valid():
            session_justification_set(
                request=request, text=form.cleaned_data["justification"]
            )
            return redirect(next_url)
    else:
        form = JustificationForm(
            initial={"next": next_url, "justification": current or ""}
        )
    return render(
        request,
        "audit/justify.html",
        {"form": form, "current": current, "next": next_url},
        status=400 if form.errors else 200,
    )
