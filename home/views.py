from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import home_panels


def home_page(request: HttpRequest) -> HttpResponse:
    """Where every role lands: what needs them today."""
    return render(request, "home/home.html", {"p": home_panels(user=request.user)})
