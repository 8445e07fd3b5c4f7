"""The locally drawn US map: Albers projection against published values, insets, paths."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from painfellow.core.discovery.usmap import (
    ALASKA,
    FIPS_STATES,
    HAWAII,
    LOWER_48,
    VIEW_HEIGHT,
    VIEW_WIDTH,
    Albers,
    decode_topology,
    place_on_map,
    region_of,
    simplify,
    states_path,
    svg_path,
)

STATES_FILE = (
    Path(__file__).parents[3] / "src" / "painfellow" / "discovery" / "data" / "us-states-10m.json"
)


def test_albers_matches_snyders_worked_example() -> None:
    # Snyder (1987), Map Projections: A Working Manual, p. 292, spherical example:
    # φ1 = 29.5°, φ2 = 45.5°, φ0 = 23°, λ0 = -96°, R = 1; (35° N, 75° W) -> x = 0.2952720,
    # y = 0.2416774
    x, y = Albers(-96.0, 23.0, 29.5, 45.5).project(-75.0, 35.0)
    assert x == pytest.approx(0.2952720, abs=5e-7)
    assert y == pytest.approx(0.2416774, abs=5e-7)


def test_albers_origin_is_zero_and_north_is_up() -> None:
    projection = LOWER_48.projection
    assert projection.project(-96.0, 37.5) == pytest.approx((0.0, 0.0), abs=1e-12)
    assert projection.project(-96.0, 45.0)[1] > 0 > projection.project(-96.0, 30.0)[1]
    assert projection.project(-80.0, 37.5)[0] > 0 > projection.project(-110.0, 37.5)[0]


def test_albers_is_equal_area() -> None:
    # a 0.01° cell's projected area over its area on the unit sphere is the same everywhere
    projection = LOWER_48.projection

    def ratio(lon: float, lat: float) -> float:
        d = 0.01
        x0, y0 = projection.project(lon, lat)
        x1, y1 = projection.project(lon + d, lat)
        x2, y2 = projection.project(lon, lat + d)
        projected = abs((x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0))
        spherical = math.radians(d) * math.radians(d) * math.cos(math.radians(lat))
        return projected / spherical

    ratios = [ratio(lon, lat) for lon in (-123, -96, -70) for lat in (26, 37, 48)]
    assert max(ratios) == pytest.approx(min(ratios), rel=1e-3)


def test_the_aleutians_wrap_across_the_180th_meridian() -> None:
    east, west = ALASKA.projection.project(179.0, 52.0), ALASKA.projection.project(-179.0, 52.0)
    assert east[0] < west[0] < 0  # 179° E lies just west of 179° W, not on the far side


@pytest.mark.parametrize(
    ("state", "lon", "lat", "box"),
    [
        ("WA", -122.33, 47.61, (60, 160, 0, 90)),  # Seattle: top left
        ("FL", -80.19, 25.76, (720, 800, 460, 540)),  # Miami: bottom right
        ("ME", -70.25, 43.66, (800, 900, 80, 160)),  # Portland, Maine: top right
        ("IL", -87.63, 41.88, (560, 640, 150, 240)),  # Chicago
        ("AK", -149.9, 61.22, (100, 200, 460, 560)),  # Anchorage: the Alaska inset
        ("HI", -157.86, 21.31, (260, 360, 480, 560)),  # Honolulu: the Hawaii inset
        ("PR", -66.11, 18.47, (820, 880, 560, 590)),  # San Juan: the Puerto Rico inset
    ],
)
def test_cities_land_where_a_map_of_the_us_has_them(
    state: str, lon: float, lat: float, box: tuple[int, int, int, int]
) -> None:
    point = place_on_map(state, lon, lat)
    assert point is not None
    x, y = point
    assert box[0] <= x <= box[1] and box[2] <= y <= box[3], point


def test_points_off_the_map_and_unknown_states_are_not_placed() -> None:
    assert place_on_map("MI", 151.2, -33.9) is None  # Sydney's coordinates on a Michigan row
    assert place_on_map("ZZ", -96.0, 37.5) is None
    assert region_of("GU") is None and region_of("DC") is LOWER_48 and region_of("HI") is HAWAII


def test_simplify_keeps_ends_and_drops_near_collinear_points() -> None:
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 1.0), (4.0, 0.0)]
    assert simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (3.0, 1.0), (4.0, 0.0)]
    assert simplify(line, 0) == line
    assert simplify(line, 10) == [(0.0, 0.0), (4.0, 0.0)]


def test_decode_topology_follows_the_topojson_spec() -> None:
    # two squares sharing the arc x=1: arc 0 is the shared edge, arcs 1 and 2 the outer parts
    topology = {
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "arcs": [
            [[1, 0], [0, 1]],  # (1,0) -> (1,1), delta-encoded
            [[1, 1], [-1, 0], [0, -1], [1, 0]],  # (1,1) -> (0,1) -> (0,0) -> (1,0)
            [[1, 0], [1, 0], [0, 1], [-1, 0]],  # (1,0) -> (2,0) -> (2,1) -> (1,1)
        ],
        "objects": {
            "shapes": {
                "geometries": [
                    {"type": "Polygon", "id": "A", "arcs": [[0, 1]]},
                    {"type": "MultiPolygon", "id": "B", "arcs": [[[2, ~0]]]},
                ]
            }
        },
    }
    shapes = decode_topology(topology, "shapes")
    assert shapes["A"] == [[(11, 20), (11, 21), (10, 21), (10, 20), (11, 20)]]
    assert shapes["B"] == [[(11, 20), (12, 20), (12, 21), (11, 21), (11, 20)]]


def test_svg_path_is_relative_and_merges_points_closer_than_its_precision() -> None:
    ring = [(-96.0, 37.5), (-96.0, 37.5000001), (-95.0, 37.5), (-95.0, 38.5), (-96.0, 37.5)]
    path = svg_path([ring], LOWER_48)
    assert re.fullmatch(r"M480 290l[-\d. ]+z", path), path
    assert len(path.split("l")[1].split()) == 6  # three steps: the repeated point merged
    assert svg_path([[(-96.0, 37.5), (-96.0, 37.50001)]], LOWER_48) == ""  # too small to draw


def test_bundled_states_draw_inside_the_view_and_are_small() -> None:
    assert STATES_FILE.stat().st_size < 200_000
    topology = json.loads(STATES_FILE.read_text(encoding="utf-8"))
    drawn = {g["id"] for g in topology["objects"]["states"]["geometries"]} & set(FIPS_STATES)
    assert len(drawn) == 52  # 50 states, DC and Puerto Rico
    path = states_path(topology)
    assert path.count("M") > 52 and len(path) < 80_000
    starts = [tuple(map(float, m.split())) for m in re.findall(r"M([-\d.]+ [-\d.]+)", path)]
    assert all(0 <= x <= VIEW_WIDTH and 0 <= y <= VIEW_HEIGHT for x, y in starts)
