"""The demo city's shape, in British National Grid metres (EPSG:27700).

Centred on Coventry's coordinates: a ring road round the centre, radial main
roads, a railway station south of the centre, and wards made from a seeded
Voronoi partition of an irregular city boundary. Everything is built in metres
and handed to PostGIS with its SRID, which transforms it on insert.
"""

import math
import random
from dataclasses import dataclass

from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.ops import unary_union, voronoi_diagram

# Coventry city centre (Broadgate), EPSG:27700.
CENTRE = (433_400.0, 279_100.0)
STATION = (433_300.0, 278_300.0)
RING_ROAD_RADIUS = 750.0


@dataclass
class CityShape:
    boundary: Polygon
    wards: list[Polygon]
    roads: list[LineString]
    centre: Point
    station: Point


def _boundary(rng: random.Random) -> Polygon:
    cx, cy = CENTRE
    pts = []
    for i in range(36):
        a = 2 * math.pi * i / 36
        r = 6_000 * (1 + 0.12 * math.sin(3 * a + 0.7) + rng.uniform(-0.05, 0.05))
        pts.append((cx + 1.1 * r * math.cos(a), cy + 0.95 * r * math.sin(a)))
    return Polygon(pts).buffer(0)


def _ward_seeds(
    rng: random.Random, boundary: Polygon, n: int
) -> list[tuple[float, float]]:
    """Seeds spread out (rejection sampling with a minimum spacing); smaller
    wards in the dense centre, as real ward populations make them."""
    cx, cy = CENTRE
    seeds = [(cx + 300, cy + 200)]
    minx, miny, maxx, maxy = boundary.bounds
    tries = 0
    while len(seeds) < n and tries < 20_000:
        tries += 1
        p = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if not boundary.contains(Point(p)):
            continue
        d_centre = math.dist(p, CENTRE)
        spacing = 1_300 if d_centre < 2_500 else 2_100
        if all(math.dist(p, s) > spacing for s in seeds):
            seeds.append(p)
    return seeds


def _roads(rng: random.Random, boundary: Polygon) -> list[LineString]:
    cx, cy = CENTRE
    roads = []
    ring = Point(CENTRE).buffer(RING_ROAD_RADIUS, quad_segs=16).exterior
    roads.append(LineString(ring.coords))
    for i in range(7):
        a = 2 * math.pi * i / 7 + rng.uniform(-0.2, 0.2)
        bend = rng.uniform(-0.25, 0.25)
        pts = []
        for k in range(0, 9):
            r = RING_ROAD_RADIUS + k * 700
            aa = a + bend * k / 8
            pts.append((cx + r * math.cos(aa), cy + r * math.sin(aa)))
        roads.append(LineString(pts).intersection(boundary))
    return roads


def city_shape(rng: random.Random, ward_count: int = 18) -> CityShape:
    boundary = _boundary(rng)
    seeds = _ward_seeds(rng, boundary, ward_count)
    cells = voronoi_diagram(MultiPoint(seeds), envelope=boundary.buffer(2_000))
    wards = []
    for seed in seeds:
        cell = next(c for c in cells.geoms if c.contains(Point(seed)))
        wards.append(cell.intersection(boundary))
    return CityShape(
        boundary=boundary,
        wards=wards,
        roads=_roads(rng, boundary),
        centre=Point(CENTRE),
        station=Point(STATION),
    )


def npa_groups(shape: CityShape) -> list[Polygon]:
    """Three neighbourhood policing areas: the centre, and north and south."""
    cx, cy = CENTRE
    central, north, south = [], [], []
    for ward in shape.wards:
        c = ward.centroid
        if math.dist((c.x, c.y), CENTRE) < 2_000:
            central.append(ward)
        elif c.y >= cy:
            north.append(ward)
        else:
            south.append(ward)
    return [unary_union(g) for g in (central, north, south)]


def near(rng: random.Random, x: float, y: float, sigma: float) -> tuple[float, float]:
    return rng.gauss(x, sigma), rng.gauss(y, sigma)


def point_on_roads(
    rng: random.Random,
    shape: CityShape,
    max_r: float | None = None,
    offset: float = 40.0,
) -> tuple[float, float]:
    """A point beside a main road (within `offset` m), optionally within max_r
    of the centre."""
    for _ in range(200):
        road = rng.choice(shape.roads[1:] if rng.random() < 0.8 else shape.roads[:1])
        if road.is_empty:
            continue
        p = road.interpolate(rng.uniform(0, road.length))
        x, y = near(rng, p.x, p.y, offset)
        if max_r is None or math.dist((x, y), CENTRE) <= max_r:
            if shape.boundary.contains(Point(x, y)):
                return x, y
    return near(rng, *CENTRE, 300)


def point_in_city(
    rng: random.Random, shape: CityShape, centre_bias: float = 0.0
) -> tuple[float, float]:
    """A point in the city; centre_bias 0..1 pulls points towards the centre."""
    minx, miny, maxx, maxy = shape.boundary.bounds
    while True:
        if rng.random() < centre_bias:
            x, y = near(rng, *CENTRE, 900)
        else:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shape.boundary.contains(Point(x, y)):
            return x, y


def footprint(x: float, y: float, w: float, h: float, angle: float) -> Polygon:
    box = Polygon(
        [
            (x - w / 2, y - h / 2),
            (x + w / 2, y - h / 2),
            (x + w / 2, y + h / 2),
            (x - w / 2, y + h / 2),
        ]
    )
    return affinity.rotate(box, angle, origin=(x, y))
