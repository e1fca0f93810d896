"""Nothing is public: every URL the project serves needs a signed-in user."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# The two sign-in pages are the only ones open to a signed-out visitor.
# The load balancer's health check answers without signing in, and says
# nothing but whether the database answers.
PUBLIC = {"/accounts/login/", "/admin/login/", "/healthz"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    route = re.sub(r"<(?:int:)?[^>]*(?:pk|id)[^>]*>", "1", route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", route)
    route = re.sub(r"\([^)]*\)\??", "", route)
    return "/" + route.replace("//", "/")


def all_routes():
    return sorted({_concrete(r) for r in _walk(get_resolver().url_patterns)})


@pytest.mark.parametrize("url", [u for u in all_routes() if u not in PUBLIC])
def test_anonymous_request_is_refused(client, url):
    response = client.get(url)
    if response.status_code in (301, 302):
        assert "login" in response["Location"], (
            f"{url} redirected to {response['Location']}"
        )
    else:
        assert response.status_code in (401, 403, 404), (
            f"{url} answered {response.status_code}"
        )
        if response.status_code == 404:
            assert (
                b"Intel Map" not in response.content or b"Sign in" in response.content
            )


def test_the_route_list_is_not_empty():
    routes = all_routes()
    assert "/" in routes and "/api/v1/schema/" in routes
