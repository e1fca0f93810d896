"""Every route the URL conf serves, walked from the root resolver."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern


@dataclass(frozen=True)
class Route:
    # The URL name with its namespace ("analysis:meeting"), or the pattern
    # when the route has no name ("api/v1/heatmap/").
    key: str
    pattern: str
    name: str | None
    params: tuple[str, ...]
    # A DRF format-suffix twin of a route (".json"): run as its base row.
    format_suffix: bool

    def url(self, kwargs: dict) -> str:
        """The route's address with the given parameters."""
        if self.name:
            return reverse(self.name, kwargs={p: kwargs[p] for p in self.params})
        return _concrete(self.pattern, kwargs)


def _params(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def _walk(patterns, prefix: str, namespace: str | None, params: list[str]):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(
                p.url_patterns, prefix + str(p.pattern), ns, params + _params(p.pattern)
            )
        elif isinstance(p, URLPattern):
            all_params = tuple(params + _params(p.pattern))
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            pattern = prefix + str(p.pattern)
            yield Route(
                key=name or pattern,
                pattern=pattern,
                name=name,
                params=all_params,
                format_suffix="format" in all_params,
            )


def route_list() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", None, []))


def _concrete(pattern: str, kwargs: dict) -> str:
    """An address an unnamed pattern takes: its parameters filled in, and a
    catch-all (".*") made a path no other route takes."""

    def fill(match: re.Match) -> str:
        return str(kwargs.get(match.group(1), "1"))

    url = pattern.replace("^.*/$", "no-such-address/")
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", fill, url)
    url = re.sub(r"<(?:\w+:)?(\w+)>", fill, url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url
