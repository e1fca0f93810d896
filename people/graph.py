"""The link graph: expansion by hops from a centre, and shortest paths.

Both walk the graph level by level in PostgreSQL: each level is one indexed
query for the visible links touching the frontier (people.Link's a_node /
b_node keys) and one for the records' location links, with need-to-know
applied in the same query (people.selectors.link_scope), so nothing the
viewer may not see is ever a step, let alone a node. Paths search from both
ends at once (meeting in the middle), so a 4-hop question reads two 2-hop
neighbourhoods rather than one 4-hop one. scripts/bench/people.py times it
beside the raw SQL of the same walk and against a recursive CTE.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import CharField, Exists, Max, Min, OuterRef, Q, Value
from django.db.models.functions import Concat, TruncDate
from django.urls import reverse
from django.utils import timezone

from common.params import period_bounds
from intelligence.grading import grade_at_least, link_confidence
from intelligence.models import IntelligenceRecord
from locations.models import Location

from .models import LinkRecord, LinkType, Subject, Vehicle
from .nodes import Node, node_from_key
from .selectors import (
    link_scope,
    location_links_visible,
    record_scope,
    subject_scope,
    vehicle_scope,
    young_person_link_count,
)

# A chart holds at most this many nodes (more is not readable); beyond it
# the answer says `truncated` and the viewer expands node by node.
MAX_NODES = 300
# Links one level reads, newest first: a premises with thousands of records
# is expanded to its most recent ones rather than all.
MAX_LEVEL_ROWS = 2_000
MAX_PATHS = 5


@dataclass(frozen=True)
class GraphFilter:
    since: date | None = None
    until: date | None = None
    min_grade: str | None = None
    link_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edge:
    id: str
    a: int
    b: int
    type: str
    # The records it rests on, their grades ("3x5x2:2B") and dates.
    records: list[int] = field(default_factory=list, compare=False)
    grades: list[str] = field(default_factory=list, compare=False)
    first: date | None = None
    last: date | None = None


@dataclass
class Graph:
    centre: Node
    hops: dict[int, int] = field(default_factory=dict)
    edges: dict[str, Edge] = field(default_factory=dict)
    truncated: bool = False


def _record_filter(flt: GraphFilter, prefix: str) -> Q:
    q = Q()
    if flt.since or flt.until:
        start, end = period_bounds(
            since=flt.since or date(1900, 1, 1), until=flt.until or date(9999, 12, 30)
        )
        q &= Q(
            **{f"{prefix}occurred_from__gte": start, f"{prefix}occurred_from__lt": end}
        )
    if flt.min_grade:
        grade = grade_at_least(source="3", assessment=flt.min_grade)
        q &= _prefixed(grade, prefix)
    return q


def _prefixed(q: Q, prefix: str) -> Q:
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:
            out.children.append((f"{prefix}{child[0]}", child[1]))
    return out


def _grade(scheme: str, source: str, assessment: str) -> str:
    return f"{scheme}:{source}{assessment}"


def edges_touching(
    *, user: AbstractBaseUser, keys: list[int], flt: GraphFilter
) -> list[Edge]:
    """Every visible edge with an end among `keys`, filtered, with the
    records it rests on and their grades and dates (one query for people's
    links, one for records' links to premises)."""
    if not keys:
        return []
    edges = []
    types = set(flt.link_types)
    links = link_scope(user=user).filter(Q(a_node__any=keys) | Q(b_node__any=keys))
    if types:
        links = links.filter(link_type__in=types)
    rec_q = _record_filter(flt, "record__")
    if rec_q:
        links = links.filter(
            Exists(LinkRecord.objects.filter(rec_q, link=OuterRef("pk")))
        )
    rows = (
        links.order_by("-id")
        .values_list("id", "a_node", "b_node", "link_type")
        .annotate(
            rec_ids=ArrayAgg("citations__record_id", order_by="citations__record_id"),
            grades=ArrayAgg(
                Concat(
                    "citations__record__grading_scheme",
                    Value(":"),
                    "citations__record__source_evaluation",
                    "citations__record__intelligence_assessment",
                    output_field=CharField(),
                )
            ),
            first=Min(TruncDate("citations__record__occurred_from")),
            last=Max(TruncDate("citations__record__occurred_from")),
        )[:MAX_LEVEL_ROWS]
    )
    for pk, a, b, kind, rec_ids, grades, first, last in rows:
        edges.append(Edge(f"link:{pk}", a, b, kind, rec_ids, grades, first, last))
    if types and LinkType.MENTIONS not in types:
        return edges
    nodes = [node_from_key(k) for k in keys]
    record_ids = [n.id for n in nodes if n.type == "record"]
    location_ids = [n.id for n in nodes if n.type == "location"]
    if not record_ids and not location_ids:
        return edges
    ill = location_links_visible(user=user).filter(
        Q(record__id__any=record_ids) | Q(location__id__any=location_ids)
    )
    if rec_q:
        ill = ill.filter(rec_q)
    seen = set()
    for pk, record_id, location_id, scheme, source, assessment, when in ill.order_by(
        "-record_id", "id"
    ).values_list(
        "id",
        "record_id",
        "location_id",
        "record__grading_scheme",
        "record__source_evaluation",
        "record__intelligence_assessment",
        "record__occurred_from",
    )[:MAX_LEVEL_ROWS]:
        # A record linked to a place twice (venue and pick-up) is one edge.
        if (record_id, location_id) in seen:
            continue
        seen.add((record_id, location_id))
        edges.append(
            Edge(
                f"mention:{pk}",
                Node("record", record_id).key,
                Node("location", location_id).key,
                LinkType.MENTIONS,
                [record_id],
                [_grade(scheme, source, assessment)],
                # A date, as a link's first and last seen are (TruncDate).
                timezone.localdate(when),
                timezone.localdate(when),
            )
        )
    return edges


def node_visible(*, user: AbstractBaseUser, node: Node) -> bool:
    if node.type == "subject":
        return subject_scope(user=user).filter(pk=node.id).exists()
    if node.type == "vehicle":
        return vehicle_scope(user=user).filter(pk=node.id).exists()
    if node.type == "record":
        return record_scope(user=user).filter(pk=node.id).exists()
    return Location.objects.filter(pk=node.id).exists()


def graph_expand(
    *, user: AbstractBaseUser, centre: Node, hops: int, flt: GraphFilter
) -> Graph:
    graph = Graph(centre=centre, hops={centre.key: 0})
    frontier = [centre.key]
    for hop in range(1, hops + 1):
        following = []
        for edge in edges_touching(user=user, keys=frontier, flt=flt):
            new = [k for k in (edge.a, edge.b) if k not in graph.hops]
            if len(graph.hops) + len(new) > MAX_NODES:
                graph.truncated = True
                continue
            for k in new:
                graph.hops[k] = hop
                following.append(k)
            graph.edges[edge.id] = edge
        frontier = following
        if not frontier:
            break
    return graph


def path_find(
    *,
    user: AbstractBaseUser,
    source: Node,
    target: Node,
    max_hops: int,
    flt: GraphFilter,
) -> list[list[Edge]]:
    """Up to MAX_PATHS shortest paths of at most max_hops edges, each as
    its edges in order from source to target; [] when there is none."""
    if source == target:
        return []
    sides = {
        "s": {
            "dist": {source.key: 0},
            "parents": defaultdict(list),
            "front": [source.key],
        },
        "t": {
            "dist": {target.key: 0},
            "parents": defaultdict(list),
            "front": [target.key],
        },
    }
    depth = {"s": 0, "t": 0}
    meet: list[int] = []
    while depth["s"] + depth["t"] < max_hops:
        name = "s" if len(sides["s"]["front"]) <= len(sides["t"]["front"]) else "t"
        side = sides[name]
        if not side["front"]:
            return []
        d = depth[name] + 1
        front = set(side["front"])
        following = []
        for edge in edges_touching(user=user, keys=side["front"], flt=flt):
            for here, there in ((edge.a, edge.b), (edge.b, edge.a)):
                if here not in front:
                    continue
                known = side["dist"].get(there)
                if known is None:
                    side["dist"][there] = d
                    following.append(there)
                    known = d
                if known == d:
                    side["parents"][there].append((here, edge))
        side["front"], depth[name] = following, d
        both = set(sides["s"]["dist"]) & set(sides["t"]["dist"])
        if both:
            best = min(sides["s"]["dist"][k] + sides["t"]["dist"][k] for k in both)
            meet = sorted(
                k for k in both if sides["s"]["dist"][k] + sides["t"]["dist"][k] == best
            )
            break
    paths: list[list[Edge]] = []
    seen = set()
    for k in meet:
        for head in _walks(sides["s"]["parents"], k):
            for tail in _walks(sides["t"]["parents"], k):
                path = list(reversed(head)) + tail
                ids = tuple(e.id for e in path)
                if ids not in seen:
                    seen.add(ids)
                    paths.append(path)
                if len(paths) >= MAX_PATHS:
                    return paths
    return paths


def _walks(parents, key: int, limit: int = MAX_PATHS) -> list[list[Edge]]:
    """Edge lists from `key` back to its side's start, via BFS parents."""
    if not parents.get(key):
        return [[]]
    out = []
    for prev, edge in parents[key]:
        for rest in _walks(parents, prev, limit):
            out.append([edge, *rest])
            if len(out) >= limit:
                return out
    return out


def path_nodes(*, source: Node, path: list[Edge]) -> list[int]:
    keys = [source.key]
    for edge in path:
        keys.append(edge.b if edge.a == keys[-1] else edge.a)
    return keys


# --- Describing nodes and edges ------------------------------------------------


# Each entity's page, its id put in by string: reverse() once per type,
# not once per node.
_PAGES = {
    "location": "location-page",
    "subject": "people:subject",
    "vehicle": "people:vehicle",
    "record": "intelligence:record",
}
_PAGE_ID = 999_999_999


def _page_url(node_type: str) -> str:
    return reverse(_PAGES[node_type], args=[_PAGE_ID]).replace(str(_PAGE_ID), "{id}")


def nodes_describe(*, keys: list[int], hops: dict[int, int]) -> list[dict]:
    """Node objects of the contract, for keys already known to be visible."""
    by_type = defaultdict(list)
    for k in keys:
        n = node_from_key(k)
        by_type[n.type].append(n.id)
    rows = {
        "location": Location.objects.filter(pk__any=by_type["location"]).values_list(
            "pk", "name", "category"
        ),
        "subject": Subject.objects.filter(pk__any=by_type["subject"]).values_list(
            "pk", "reference", "kind"
        ),
        "vehicle": Vehicle.objects.filter(pk__any=by_type["vehicle"]).values_list(
            "pk", "registration", Value("vehicle")
        ),
        "record": IntelligenceRecord.objects.filter(
            pk__any=by_type["record"]
        ).values_list("pk", "reference", "kind"),
    }
    described = {}
    for node_type, found in rows.items():
        if not by_type[node_type]:
            continue
        url = _page_url(node_type)
        for pk, label, kind in found:
            described[Node(node_type, pk).key] = (
                label,
                kind,
                url.replace("{id}", str(pk)),
            )
    out = []
    for k in keys:
        if k not in described:
            continue
        label, kind, url = described[k]
        node = node_from_key(k)
        out.append(
            {
                "id": str(node),
                "type": node.type,
                "label": label,
                "kind": kind,
                "url": url,
                "hops": hops.get(k, 0),
            }
        )
    return out


def _grade_parts(grade: str) -> tuple[str, str, str]:
    scheme, _, letters = grade.partition(":")
    return scheme, letters[:1], letters[1:2]


def edges_describe(*, edges: list[Edge]) -> list[dict]:
    """Edge objects of the contract: the records each rests on, their dates
    and the confidence their grades give (intelligence.grading)."""
    return [
        {
            "id": e.id,
            "source": str(node_from_key(e.a)),
            "target": str(node_from_key(e.b)),
            "type": e.type,
            "confidence": link_confidence(grades=[_grade_parts(g) for g in e.grades]),
            "records": sorted(set(e.records)),
            "first_seen": e.first.isoformat() if e.first else None,
            "last_seen": e.last.isoformat() if e.last else None,
        }
        for e in edges
    ]


def graph_payload(*, user: AbstractBaseUser, graph: Graph) -> dict:
    keys = sorted(graph.hops, key=lambda k: (graph.hops[k], k))
    payload = {
        "centre": str(graph.centre),
        "nodes": nodes_describe(keys=keys, hops=graph.hops),
        "edges": edges_describe(edges=list(graph.edges.values())),
        "suppressed": {},
        "truncated": graph.truncated,
    }
    young = young_person_link_count(user=user, node_keys=keys)
    if young:
        payload["suppressed"]["young_person_links"] = young
    return payload


def payload_shown(payload: dict) -> tuple[list[int], list[int], list[int]]:
    """(record ids, subject ids, vehicle ids) a graph or path answer shows,
    for the access log."""
    records, subjects, vehicles = set(), set(), set()
    for node in payload.get("nodes", []):
        kind, _, ident = node["id"].partition(":")
        {"record": records, "subject": subjects, "vehicle": vehicles}.get(
            kind, set()
        ).add(int(ident))
    for edge in payload.get("edges", []):
        records.update(edge["records"])
    return sorted(records), sorted(subjects), sorted(vehicles)
