"""The locally drawn map of programs: bundled state outlines plus one marker per program.

The outline path is built once per process from ``data/us-states-10m.json`` (see the README
there for its source and licence); markers are placed with
:func:`painfellow.core.discovery.usmap.place_on_map`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from painfellow.core.discovery.usmap import VIEW_HEIGHT, VIEW_WIDTH, place_on_map, states_path
from painfellow.programs.models import Program

STATES_FILE = Path(__file__).parent / "data" / "us-states-10m.json"


@cache
def states_outline() -> str:
    """SVG path data of every state's outline (read and projected once per process)."""
    return states_path(json.loads(STATES_FILE.read_text(encoding="utf-8")))


@cache
def states_svg() -> str:
    """A standalone SVG document of the outlines, referenced by every map with ``<use>``.

    Served once and cached by the browser instead of repeating ~55 kB in every result page.
    Presentation attributes, not the page's CSS: styles do not reach into ``<use>`` copies.
    """
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {VIEW_WIDTH} {VIEW_HEIGHT}">'
        f'<path id="states" d="{states_outline()}" fill="#e9edf1" stroke="#6b7783" '
        'stroke-width="0.6" stroke-linejoin="round"/></svg>'
    )


@dataclass(frozen=True)
class Marker:
    program_id: int
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class ProgramMap:
    markers: list[Marker]
    off_map: list[Program]  # programs whose coordinates fall outside the drawn areas
    width: int = VIEW_WIDTH
    height: int = VIEW_HEIGHT


def program_map(programs: Iterable[Program]) -> ProgramMap:
    """The map of these programs, each marker named by the program and its city."""
    markers, off_map = [], []
    for program in programs:
        point = place_on_map(program.state, program.longitude, program.latitude)
        if point is None:
            off_map.append(program)
            continue
        label = f"{program.display_name}, {program.city}, {program.state}"
        markers.append(Marker(program.id, point[0], point[1], label))
    return ProgramMap(markers=markers, off_map=off_map)
