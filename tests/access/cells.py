"""The matrix's cells: route x role x method x object, each with what it must
answer, and how one is requested."""

from dataclasses import dataclass, replace

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from locations.models import Location

from .bodies import BODIES, JSON
from .matrix import (
    ADMIN_NAMESPACE,
    MISSING,
    OBJECTS,
    ROLES,
    ROWS_BY_ROUTE,
    Row,
    admin_expected,
)
from .routes import Route, route_list

METHODS = ("get", "post")
MISSING_PK = 999_999_999
MISSING_SLUG = "no-such-report"
SLUG_FAMILIES = {"report", "chart"}


@dataclass(frozen=True)
class Cell:
    route: Route
    row: Row | None  # None: an admin route, declared by rule (admin_expected)
    role: str
    method: str
    variant: str
    expected: frozenset[str]

    def __str__(self) -> str:
        suffix = ".json" if self.route.format_suffix else ""
        parts = [f"{self.route.key}{suffix}", self.method.upper(), self.role]
        return "|".join(parts + ([self.variant] if self.variant else []))

    @property
    def family(self) -> str:
        return self.row.objects if self.row else ""

    def object_id(self, world) -> int | str | None:
        if not self.family:
            return None
        if self.variant == MISSING:
            return MISSING_SLUG if self.family in SLUG_FAMILIES else MISSING_PK
        return world.pk(self.family, self.variant)

    def url(self, world) -> str:
        if self.row is None:
            return self.route.url(_admin_kwargs(self.route, world))
        oid = self.object_id(world)
        kwargs = {"format": "json"}
        if oid is not None:
            kwargs["slug" if self.family in SLUG_FAMILIES else "pk"] = oid
        url = self.route.url(kwargs)
        query = self.row.query.format(pk=oid, location=world.pk("location", "ordinary"))
        return f"{url}?{query}" if query else url

    def request(self, client: Client, world, **extra) -> HttpResponse:
        url = self.url(world)
        if self.method == "get":
            return client.get(url, **extra)
        body = self.row.body if self.row else ""
        if not body:
            return client.post(url, {}, **extra)
        data = BODIES[body](world, self.object_id(world))
        if body in JSON:
            return client.post(url, data, content_type="application/json", **extra)
        return client.post(url, data, **extra)

    def missing_twin(self) -> "Cell":
        return replace(self, variant=MISSING)


def _admin_kwargs(route: Route, world) -> dict:
    """Real objects for an admin route's parameters: the first row of the
    model the route is for."""
    model = next(
        (
            m
            for m in admin.site._registry
            if route.key.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")
            or route.pattern.startswith(
                f"admin/{m._meta.app_label}/{m._meta.model_name}/"
            )
        ),
        None,
    )
    obj = model._default_manager.order_by("pk").first() if model else None
    hotel = world.pk("location", "ordinary")
    return {
        "object_id": obj.pk if obj else hotel,
        "pk": obj.pk if obj else hotel,
        "id": get_user_model().objects.get(username="mx-admin").pk,
        "content_type_id": ContentType.objects.get_for_model(Location).pk,
        "app_label": model._meta.app_label if model else "locations",
        "url": "no-such-page/",
    }


def outcome(response: HttpResponse) -> str:
    if response.status_code in (301, 302, 303):
        where = response["Location"]
        if where.startswith(reverse("admin:login")):
            return "admin-login"
        if where.startswith(reverse("login")):
            return "login"
        return "302"
    return str(response.status_code)


def is_admin_route(route: Route) -> bool:
    return route.key.startswith(f"{ADMIN_NAMESPACE}:") or route.pattern.startswith(
        f"{ADMIN_NAMESPACE}/"
    )


def cell_list() -> list[Cell]:
    cells = []
    for route in route_list():
        if is_admin_route(route):
            for role in ROLES:
                for method in METHODS:
                    if role == "admin" and method == "post":
                        continue  # the admin's own forms: see admin_expected
                    expected = frozenset(admin_expected(route.key, role, method))
                    cells.append(Cell(route, None, role, method, "", expected))
            continue
        row = ROWS_BY_ROUTE.get(route.key)
        if row is None:
            continue  # test_route_coverage names it
        variants = [*OBJECTS[row.objects], MISSING] if row.objects else [""]
        # A format-suffix twin is the same view: its reads are enough.
        for method in ("get",) if route.format_suffix else METHODS:
            for variant in variants:
                for role, expected in zip(
                    ROLES, row.outcomes(method, variant), strict=True
                ):
                    cells.append(
                        Cell(route, row, role, method, variant, frozenset([expected]))
                    )
    return cells


def matrix_size(cells: list[Cell]) -> str:
    """The matrix in figures: routes, roles, methods, objects and cells."""
    routes = {(c.route.key, c.route.format_suffix) for c in cells}
    admin_routes = {c.route.key for c in cells if c.row is None}
    twins = {c.route.key for c in cells if c.route.format_suffix}
    rows = len(routes) - len(admin_routes) - len(twins)
    objects = sum(len(v) for v in OBJECTS.values())
    return (
        f"{len(routes)} routes ({rows} rows, {len(twins)} .json twins, "
        f"{len(admin_routes)} admin routes by rule) x {len(ROLES)} roles x "
        f"{len(METHODS)} methods, object routes on {objects} objects in "
        f"{len(OBJECTS)} families and a missing id = {len(cells)} cells"
    )
