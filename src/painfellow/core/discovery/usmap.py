"""A map of the United States drawn locally: Albers equal-area projection and SVG paths.

Pure: the caller loads the bundled state shapes (a TopoJSON topology) and passes them in.

Projection — Albers equal-area conic on a unit sphere (Snyder, *Map Projections: A Working
Manual*, USGS Professional Paper 1395, 1987, pp. 98–103, equations 14-1 to 14-4)::

    n  = (sin φ1 + sin φ2) / 2          C = cos² φ1 + 2 n sin φ1
    ρ  = √(C − 2 n sin φ) / n           ρ0 = √(C − 2 n sin φ0) / n
    θ  = n (λ − λ0)                     x = ρ sin θ,   y = ρ0 − ρ cos θ

The lower 48 states (and DC) use the parameters of ESRI:102003 "USA Contiguous Albers Equal
Area Conic" (standard parallels 29.5° N and 45.5° N, origin 37.5° N 96° W). Alaska, Hawaii
and Puerto Rico are drawn as insets below the lower 48, each with its own Albers parameters
(Alaska and Hawaii those of ESRI:102006 and ESRI:102007) and its own scale; Alaska is shown
at 35 % of the lower 48's scale so that it fits, which the map's caption says. Other
territories are left out. A point is placed in the region of its program's state, so a
program in Alaska lands on the Alaska inset.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LonLat = tuple[float, float]
Ring = list[LonLat]

# SVG user units of the whole map (the lower 48 and the insets)
VIEW_WIDTH = 960
VIEW_HEIGHT = 610


@dataclass(frozen=True)
class Albers:
    """Albers equal-area conic on a unit sphere; angles in degrees."""

    lon0: float
    lat0: float
    parallel1: float
    parallel2: float

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """(x, y) on the unit sphere, y north-up (Snyder eqs. 14-1 to 14-4)."""
        sin1 = math.sin(math.radians(self.parallel1))
        n = (sin1 + math.sin(math.radians(self.parallel2))) / 2
        c = math.cos(math.radians(self.parallel1)) ** 2 + 2 * n * sin1
        rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
        rho0 = math.sqrt(c - 2 * n * math.sin(math.radians(self.lat0))) / n
        # measured the short way round: the Aleutians cross the 180th meridian
        theta = n * math.radians((lon - self.lon0 + 180.0) % 360.0 - 180.0)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)


@dataclass(frozen=True)
class Region:
    """One drawn area: a projection, then ``svg = (tx + scale·x, ty − scale·y)``."""

    name: str
    projection: Albers
    scale: float
    tx: float
    ty: float

    def to_svg(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.projection.project(lon, lat)
        return self.tx + self.scale * x, self.ty - self.scale * y


LOWER_48_SCALE = 1150.0
LOWER_48 = Region("lower 48", Albers(-96.0, 37.5, 29.5, 45.5), LOWER_48_SCALE, 480.0, 290.0)
ALASKA = Region(
    "Alaska (35 % scale)", Albers(-154.0, 50.0, 55.0, 65.0), 0.35 * LOWER_48_SCALE, 146.0, 590.0
)
HAWAII = Region("Hawaii", Albers(-157.0, 3.0, 8.0, 18.0), LOWER_48_SCALE, 320.0, 876.0)
PUERTO_RICO = Region("Puerto Rico", Albers(-66.5, 18.0, 17.5, 18.5), LOWER_48_SCALE, 850.0, 580.0)
REGIONS = (LOWER_48, ALASKA, HAWAII, PUERTO_RICO)

# state postal code -> the region it is drawn in; states not listed are in the lower 48
STATE_REGION: Mapping[str, Region] = {"AK": ALASKA, "HI": HAWAII, "PR": PUERTO_RICO}
# Census FIPS code of a state or territory -> postal code, for the shapes that are drawn
FIPS_STATES: Mapping[str, str] = {
    "01": "AL", "02": "AK", "04": "AZ", "05": "AR", "06": "CA", "08": "CO", "09": "CT",
    "10": "DE", "11": "DC", "12": "FL", "13": "GA", "15": "HI", "16": "ID", "17": "IL",
    "18": "IN", "19": "IA", "20": "KS", "21": "KY", "22": "LA", "23": "ME", "24": "MD",
    "25": "MA", "26": "MI", "27": "MN", "28": "MS", "29": "MO", "30": "MT", "31": "NE",
    "32": "NV", "33": "NH", "34": "NJ", "35": "NM", "36": "NY", "37": "NC", "38": "ND",
    "39": "OH", "40": "OK", "41": "OR", "42": "PA", "44": "RI", "45": "SC", "46": "SD",
    "47": "TN", "48": "TX", "49": "UT", "50": "VT", "51": "VA", "53": "WA", "54": "WV",
    "55": "WI", "56": "WY", "72": "PR",
}  # fmt: skip


def region_of(state: str) -> Region | None:
    """The region a state is drawn in; None for a code that is not a drawn state."""
    if state in STATE_REGION:
        return STATE_REGION[state]
    return LOWER_48 if state in FIPS_STATES.values() else None


def place_on_map(state: str, lon: float, lat: float) -> tuple[float, float] | None:
    """SVG coordinates of a point in ``state`` (by that state's region), or None off the map."""
    region = region_of(state)
    if region is None:
        return None
    x, y = region.to_svg(lon, lat)
    if not (0 <= x <= VIEW_WIDTH and 0 <= y <= VIEW_HEIGHT):
        return None  # coordinates far from their state: better no marker than a wrong one
    return round(x, 1), round(y, 1)


def simplify(points: Sequence[LonLat], tolerance: float) -> list[LonLat]:
    """Douglas–Peucker: drop points closer than ``tolerance`` to the line kept around them.

    The first and last points always stay, so arcs simplified one by one still meet.
    """
    if tolerance <= 0 or len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        farthest, distance = -1, tolerance
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                d = abs(dy * (px - ax) - dx * (py - ay)) / length
            else:
                d = math.hypot(px - ax, py - ay)
            if d > distance:
                farthest, distance = i, d
        if farthest >= 0:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def decode_topology(
    topology: Mapping[str, Any], object_name: str, tolerance: float = 0.0
) -> dict[str, list[Ring]]:
    """The rings (lon/lat) of each geometry of a quantised TopoJSON object, by geometry id.

    TopoJSON (https://github.com/topojson/topojson-specification): arcs are delta-encoded
    integer positions, decoded with the topology's transform; an arc index ``~i`` (``-i-1``)
    means arc ``i`` reversed; consecutive arcs of a ring share their joining point. Arcs are
    simplified (:func:`simplify`, ``tolerance`` in degrees) before rings are assembled, so
    neighbouring states keep one shared border.
    """
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs: list[list[LonLat]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(simplify(points, tolerance))

    def ring(indexes: Sequence[int]) -> Ring:
        out: Ring = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)
        return out

    shapes: dict[str, list[Ring]] = {}
    for geometry in topology["objects"][object_name]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes[str(geometry["id"])] = [ring(r) for polygon in polygons for r in polygon]
    return shapes


def svg_path(rings: Iterable[Ring], region: Region) -> str:
    """SVG path data of rings in a region, to 0.1 unit; points that round together merge."""
    parts = []
    for lonlat in rings:
        points: list[tuple[int, int]] = []
        for lon, lat in lonlat:
            x, y = region.to_svg(lon, lat)
            point = (round(x * 10), round(y * 10))
            if not points or point != points[-1]:
                points.append(point)
        if len(points) < 3:
            continue  # an island smaller than the drawing's precision
        (x0, y0), rest = points[0], points[1:]
        steps = [f"M{x0 / 10:g} {y0 / 10:g}l"]
        previous = points[0]
        for x, y in rest:
            steps.append(f"{(x - previous[0]) / 10:g} {(y - previous[1]) / 10:g}")
            previous = (x, y)
        parts.append(" ".join(steps) + "z")
    return "".join(parts)


def states_path(topology: Mapping[str, Any], tolerance: float = 0.03) -> str:
    """One SVG path of every drawn state's outline, each in its region (lower 48 or inset).

    The default tolerance, 0.03° (about 3 km), is about half an SVG unit on the lower 48.
    """
    shapes = decode_topology(topology, "states", tolerance)
    paths = []
    for fips, rings in sorted(shapes.items()):
        state = FIPS_STATES.get(fips)
        region = region_of(state) if state else None
        if region is not None:
            paths.append(svg_path(rings, region))
    return "".join(paths)
