"""Matching a new location to one already held: near by, with a similar name.

Two matchers give the same answer: one asks PostGIS (ST_DWithin on the indexed
point_bng column), the other loads the held points into an rtree index and checks
distances with shapely. scripts/bench_import.py times both; the faster one is
MATCHER below.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
import shapely
from django.db import connection
from rtree import index as rtree_index

# Words that say nothing about which business it is.
_NOISE = {
    "the", "ltd", "limited", "plc", "llp", "co", "company", "and", "t", "a", "of",
}  # fmt: skip
# A name made only of these says what kind of place it is, not which one.
_GENERIC = {
    "hotel", "pub", "bar", "inn", "takeaway", "cafe", "restaurant", "kebab",
    "pizza", "chip", "shop", "fish", "chips", "house", "guest", "club", "parking",
    "car", "park", "taxi", "rank", "bed", "breakfast", "lodge", "tavern",
}  # fmt: skip
_APOSTROPHE = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")

DEFAULT_DISTANCE_M = 50.0


def name_tokens(name: str) -> tuple[str, ...]:
    """'The Allesley Hotel Ltd' -> ('allesley', 'hotel')."""
    text = _APOSTROPHE.sub("", (name or "").lower()).replace("&", " and ")
    return tuple(t for t in _NON_WORD.split(text) if t and t not in _NOISE)


def names_similar(a: str, b: str) -> bool:
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    small, large = sorted((set(ta), set(tb)), key=len)
    if small <= large and len(small) * 2 >= len(large) and small - _GENERIC:
        return True
    return SequenceMatcher(None, " ".join(ta), " ".join(tb)).ratio() >= 0.85


# Kinds of place that may be one and the same premises under two registers.
_FAMILY = {"bnb": "hotel"}
# Open places and transport are never the premises next to them.
_PLACES_ONLY_THEMSELVES = {"car_park", "park", "taxi_rank", "transport_hub"}


def categories_compatible(a: str, b: str) -> bool:
    """A takeaway the FSA files as "other" is still the same premises; a car park
    named after the pub beside it is not the pub."""
    if _FAMILY.get(a, a) == _FAMILY.get(b, b):
        return True
    if a in _PLACES_ONLY_THEMSELVES or b in _PLACES_ONLY_THEMSELVES:
        return False
    return "other" in (a, b)


@dataclass(frozen=True)
class NewPlace:
    lon: float
    lat: float
    name: str
    category: str = "other"


def _projected(places: Sequence[NewPlace]) -> np.ndarray:
    """British National Grid (metres) of WGS84 points, transformed in one query."""
    if not places:
        return np.empty((0, 2))
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT ST_X(p), ST_Y(p) FROM (
                SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 27700) p,
                       n
                FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS u(lon, lat, n)
            ) q ORDER BY n
            """,
            [[p.lon for p in places], [p.lat for p in places]],
        )
        return np.array(cur.fetchall(), dtype=float)


def _pick(
    pairs: list[tuple[int, int, str, str, float]], places: Sequence[NewPlace]
) -> dict[int, int]:
    """From (new index, location id, name, category, distance) candidate pairs,
    the nearest similar location for each new place; a location is matched once."""
    pairs.sort(key=lambda p: (p[0], p[4]))
    taken: set[int] = set()
    found: dict[int, int] = {}
    for i, loc_id, name, category, _ in pairs:
        if i in found or loc_id in taken:
            continue
        place = places[i]
        if categories_compatible(place.category, category) and names_similar(
            place.name, name
        ):
            found[i] = loc_id
            taken.add(loc_id)
    return found


def held_nearby(
    *, bbox: tuple[float, float, float, float], exclude_source: str, distance_m: float
) -> bool:
    """Whether any location of another source lies within the new places' box
    (west, south, east, north in WGS84, grown by the match distance), so a first
    load into an empty city skips matching altogether."""
    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT EXISTS (
                SELECT 1 FROM locations_location WHERE source <> %s
                AND point_bng && ST_Expand(ST_Transform(ST_Segmentize(
                    ST_MakeEnvelope(%s, %s, %s, %s, 4326), 0.01), 27700), %s)
            )
            """,
            [exclude_source, *bbox, distance_m],
        )
        return cur.fetchone()[0]


def matches_postgis(
    *,
    places: Sequence[NewPlace],
    exclude_source: str,
    distance_m: float = DEFAULT_DISTANCE_M,
) -> dict[int, int]:
    """{index in places: location id} for places that match a held location."""
    if not places:
        return {}
    with connection.cursor() as cur:
        cur.execute(
            """
            WITH n AS (
                SELECT n - 1 AS i,
                       ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 27700) p
                FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS u(lon, lat, n)
            )
            SELECT n.i, l.id, l.name, l.category, ST_Distance(l.point_bng, n.p)
            FROM n JOIN locations_location l
              ON ST_DWithin(l.point_bng, n.p, %s) AND l.source <> %s
            """,
            [
                [p.lon for p in places],
                [p.lat for p in places],
                distance_m,
                exclude_source,
            ],
        )
        pairs = cur.fetchall()
    return _pick(pairs, places)


def matches_rtree(
    *,
    places: Sequence[NewPlace],
    exclude_source: str,
    distance_m: float = DEFAULT_DISTANCE_M,
) -> dict[int, int]:
    """The same answer as matches_postgis, from an in-memory rtree and shapely."""
    if not places:
        return {}
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, name, category, ST_X(point_bng), ST_Y(point_bng)"
            " FROM locations_location"
            " WHERE source <> %s AND point_bng IS NOT NULL",
            [exclude_source],
        )
        held = cur.fetchall()
    if not held:
        return {}
    ids, names, categories = zip(*((h[0], h[1], h[2]) for h in held), strict=False)
    held_xy = np.array([(h[3], h[4]) for h in held], dtype=float)
    tree = rtree_index.Index(
        ((k, (x, y, x, y), None) for k, (x, y) in enumerate(held_xy))
    )
    new_xy = _projected(places)
    new_points = shapely.points(new_xy)
    held_points = shapely.points(held_xy)
    pairs = []
    for i, (x, y) in enumerate(new_xy):
        near = list(
            tree.intersection(
                (x - distance_m, y - distance_m, x + distance_m, y + distance_m)
            )
        )
        if not near:
            continue
        dist = shapely.distance(new_points[i], held_points[near])
        for k, d in zip(near, dist, strict=False):
            if d <= distance_m:
                pairs.append((i, ids[k], names[k], categories[k], float(d)))
    return _pick(pairs, places)


# Measured by scripts/bench_import.py; see the README's import section.
MATCHER = matches_postgis
