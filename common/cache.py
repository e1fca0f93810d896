"""A response cache shared by every worker and app server.

Django's cache framework with the backend from CACHE_URL (by default the
database cache table, so several gunicorn workers and several machines share
it; never a per-process memory cache, which one worker would fill and the
others miss).

`cache_for_scope` decorates the inner function of a DRF view (below
@api_view and @permission_classes, so authentication and permissions have
run): the key is the view's name, what the user's role may see (`scope`), a
data version (`version`, bumped by every write, so new data shows at
once) and the query string; the value is the rendered JSON body, with what
`keep(request)` returns for it (the consultation the access log needs),
given back to `replay(request, kept)` on every hit.

`revalidated` gives a view's answers an ETag built from the same parts
(scope, data version, query, today's date): a client asking again with
`If-None-Match` gets 304 Not Modified without the view running, its
consultation logged again from what the shared cache kept with the tag.
Answers are `Cache-Control: private, no-cache` (a browser may keep them and
must ask again; a shared proxy never keeps them) and vary by the user's
credentials, since the tag depends on what their role may see.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.response import Response

from .renderers import JSONRenderer

DEFAULT_TIMEOUT_S = 300
# How long a tag's consultation is kept for revalidation: a tag is only
# ever valid for one data version and one day, so this only bounds memory.
ETAG_TIMEOUT_S = 86_400


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
    keep: Callable[[object], object] = lambda request: None,
    replay: Callable[[object, object], None] = lambda request, kept: None,
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
            if isinstance(hit, dict):
                replay(request, hit["kept"])
                response = HttpResponse(hit["body"], content_type="application/json")
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
                cache.set(
                    key, {"body": response.content, "kept": keep(request)}, timeout
                )
                response["X-Cache"] = "miss"
            return response

        return wrapped

    return decorator


def etag_for(*, prefix: str, scope: str, version: str, query: list) -> str:
    """A strong ETag: the answer is the same bytes for the same view, role
    scope, data version, query and day."""
    key = cache_key(prefix=prefix, scope=scope, version=version, query=query)
    # The key names the view and the scope in clear: the tag hashes it whole.
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _revalidatable(response, etag: str) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Cookie", "Authorization"))


def revalidated(
    *,
    prefix: str,
    scope: Callable[[object], str],
    version: Callable[[], str],
    keep: Callable[[object], object] = lambda request: None,
    replay: Callable[[object, object], None] = lambda request, kept: None,
    timeout: int = ETAG_TIMEOUT_S,
):
    """Decorates the inner function of a DRF view (as cache_for_scope does):
    ETags on its 200 answers and 304 for a matching If-None-Match."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "GET":
                return view(request, *args, **kwargs)
            etag = etag_for(
                prefix=prefix,
                scope=scope(request),
                version=version(),
                query=list(request.GET.lists()),
            )
            key = f"intel_map:etag:{prefix}:{etag}"
            asked = parse_etags(request.headers.get("If-None-Match", ""))
            if etag in asked:
                kept = cache.get(key)
                if isinstance(kept, dict):
                    replay(request, kept["kept"])
                    response = HttpResponseNotModified()
                    _revalidatable(response, etag)
                    return response
            response = view(request, *args, **kwargs)
            if response.status_code == 200:
                cache.set(key, {"kept": keep(request)}, timeout)
                _revalidatable(response, etag)
            return response

        return wrapped

    return decorator
