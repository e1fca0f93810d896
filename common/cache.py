"""A response cache shared by every worker and app server.

Django's cache framework with the backend from CACHE_URL (by default the
database cache table, so several gunicorn workers and several machines share
it; never a per-process memory cache, which one worker would fill and the
others miss).

`cache_for_scope` decorates the inner function of a DRF view (below
@api_view and @permission_classes, so authentication and permissions have
run): the key is the view's name, what the user's role may see (`scope`), a
data version (`version`, e.g. the newest record id, so new data shows at
once) and the query string; the value is the rendered JSON body.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

DEFAULT_TIMEOUT_S = 300


def cache_key(*, prefix: str, scope: str, version: str, query: list) -> str:
    """A short, stable key; the query's order of parameters does not matter.
    Today's date is part of it, since periods default to 'the last N days'."""
    raw = repr((sorted(query), timezone.localdate().isoformat(), version))
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"intel_map:{prefix}:{scope}:{digest}"


def cache_for_scope(
    *,
    prefix: str,
    scope: Callable[[object], str],
    when: Callable[[object], bool] = lambda request: True,
    version: Callable[[], str] = lambda: "",
    timeout: int = DEFAULT_TIMEOUT_S,
):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET" or not when(request):
                return view(request, *args, **kwargs)
            key = cache_key(
                prefix=prefix,
                scope=scope(request),
                version=version(),
                query=list(request.GET.lists()),
            )
            hit = cache.get(key)
            if hit is not None:
                response = HttpResponse(hit, content_type="application/json")
                response["X-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                if isinstance(response, Response) and not getattr(
                    response, "accepted_renderer", None
                ):
                    # The inner function's Response, before @api_view has
                    # negotiated a renderer: the cache keeps JSON.
                    response.accepted_renderer = JSONRenderer()
                    response.accepted_media_type = "application/json"
                    response.renderer_context = {}
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()
                cache.set(key, response.content, timeout)
                response["X-Cache"] = "miss"
            return response

        return wrapped

    return decorator
