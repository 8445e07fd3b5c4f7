"""Filtering programs and ranking them by a fit score the applicant weights (issue 4).

Filters — a program is a match when every filter the query sets holds:

* ``states``: its state is one of them;
* ``place`` + ``radius``: its great-circle distance from the place is at most the radius, in
  kilometres or statute miles (``unit``). Distance is the haversine formula on a sphere of
  the mean Earth radius, 6,371.0088 km (IUGG); a mile is 1.609344 km;
* ``length_months``: its length equals it; ``min_positions``: it has at least that many
  positions a year;
* ``has_track``: it lists at least one track; ``track``: it lists a track of that name
  (case and surrounding spaces ignored);
* ``specialty``: it accepts applicants of that prior specialty;
* ``features``: it has every one of them.

Fit score — every scored component *k* has a value ``v_k`` between 0 and 1 and the
applicant's weight ``w_k`` between 0 and 10:

* ``location`` (only when a place is given): ``1 - min(d, R) / R``, where ``d`` is the
  distance from the place and ``R`` the radius, or 1,500 km when no radius is set: full marks
  at the place, none at ``R`` or beyond;
* ``procedures``: the share of the five procedure features (high procedure volume,
  neuromodulation, ultrasound-guided, fluoroscopy-guided, regional anesthesia) it has;
* ``research``: 1 with protected research time, else 0;
* ``size``: ``min(positions, 8) / 8`` — full marks at eight positions a year;
* ``wanted`` (only when the applicant marks features as wanted): the share of those it has.

``points_k = w_k * v_k`` and ``score = 100 * sum(points_k) / sum(w_k)`` over the scored
components (0 when every weight is 0), rounded to two decimals. Results come by score,
highest first; equal scores by name (case-insensitive), then by id, so the order is
deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344
UNRANGED_DISTANCE_KM = 1500.0
SIZE_FULL_MARKS = 8
PROCEDURE_FEATURES: tuple[str, ...] = (
    "high_procedure_volume",
    "neuromodulation",
    "ultrasound_guided",
    "fluoroscopy_guided",
    "regional_anesthesia",
)
RESEARCH_FEATURE = "protected_research_time"
MAX_WEIGHT = 10.0
_RADIUS_SLACK = 1e-9  # a program exactly on the radius is inside despite float rounding

Unit = Literal["km", "mi"]
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BitArray = NDArray[np.uint64]
BoolArray = NDArray[np.bool_]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class ProgramRow:
    """What discovery needs of one program; ``name`` is what ties are ordered by."""

    id: int
    name: str
    state: str
    latitude: float
    longitude: float
    positions: int
    length_months: int
    tracks: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise ValueError("latitude must be within ±90 and longitude within ±180 degrees")


@dataclass(frozen=True)
class Weights:
    """How much each component counts, each from 0 to 10."""

    location: float = 5.0
    procedures: float = 5.0
    research: float = 3.0
    size: float = 2.0
    wanted: float = 5.0

    def __post_init__(self) -> None:
        for name in ("location", "procedures", "research", "size", "wanted"):
            value = getattr(self, name)
            if not 0 <= value <= MAX_WEIGHT:
                raise ValueError(f"weight {name} must be between 0 and {MAX_WEIGHT:g}")


@dataclass(frozen=True)
class Query:
    states: frozenset[str] = frozenset()
    place: Place | None = None
    radius: float | None = None
    unit: Unit = "km"
    length_months: int | None = None
    min_positions: int | None = None
    has_track: bool = False
    track: str | None = None
    specialty: str | None = None
    features: frozenset[str] = frozenset()
    wanted: frozenset[str] = frozenset()
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        if self.radius is not None and self.place is None:
            raise ValueError("a radius needs a place to measure from")
        if self.radius is not None and self.radius < 0:
            raise ValueError("the radius must not be negative")


@dataclass(frozen=True)
class Component:
    """One part of a score: ``points = weight * value``."""

    key: str
    weight: float
    value: float
    points: float
    detail: str


@dataclass(frozen=True)
class Result:
    program_id: int
    name: str
    score: float
    distance: float | None  # in the query's unit, when a place was given
    unit: Unit
    components: tuple[Component, ...]


@dataclass(frozen=True, eq=False)
class ProgramIndex:
    """Column arrays over programs, built once by :func:`build_index`."""

    rows: tuple[ProgramRow, ...]
    ids: IntArray
    name_rank: IntArray  # position of each row in (casefolded name, id) order
    state_code: IntArray
    state_codes: Mapping[str, int]
    lat: FloatArray  # radians
    lon: FloatArray  # radians
    cos_lat: FloatArray
    positions: IntArray
    length_months: IntArray
    feature_mask: BitArray
    feature_bits: Mapping[str, int]
    specialty_mask: BitArray
    specialty_bits: Mapping[str, int]
    track_count: IntArray
    track_rows: Mapping[str, BoolArray]

    def __len__(self) -> int:
        return len(self.rows)


def _track_key(name: str) -> str:
    return name.strip().casefold()


def _bits(values: Iterable[Iterable[str]], what: str) -> dict[str, int]:
    names = sorted({v for group in values for v in group})
    if len(names) > 64:
        raise ValueError(f"at most 64 distinct {what} fit a bitmask; got {len(names)}")
    return {name: 1 << i for i, name in enumerate(names)}


def _masks(groups: Iterable[Iterable[str]], bits: Mapping[str, int]) -> BitArray:
    return np.fromiter((sum(bits[v] for v in set(group)) for group in groups), dtype=np.uint64)


def build_index(rows: Iterable[ProgramRow]) -> ProgramIndex:
    """Column arrays and feature/specialty bitmasks for :func:`search` (O(n log n))."""
    rows = tuple(rows)
    n = len(rows)
    ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=n)
    order = sorted(range(n), key=lambda i: (rows[i].name.casefold(), rows[i].id))
    name_rank = np.empty(n, dtype=np.int64)
    name_rank[order] = np.arange(n, dtype=np.int64)
    state_codes = {s: i for i, s in enumerate(sorted({r.state for r in rows}))}
    lat = np.radians(np.fromiter((r.latitude for r in rows), dtype=np.float64, count=n))
    lon = np.radians(np.fromiter((r.longitude for r in rows), dtype=np.float64, count=n))
    feature_bits = _bits((r.features for r in rows), "features")
    specialty_bits = _bits((r.specialties for r in rows), "specialties")
    track_lists: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        for key in {_track_key(t) for t in r.tracks}:
            track_lists.setdefault(key, []).append(i)
    track_rows: dict[str, BoolArray] = {}
    for key, members in track_lists.items():
        present = np.zeros(n, dtype=np.bool_)
        present[members] = True
        track_rows[key] = present
    return ProgramIndex(
        rows=rows,
        ids=ids,
        name_rank=name_rank,
        state_code=np.fromiter((state_codes[r.state] for r in rows), dtype=np.int64, count=n),
        state_codes=state_codes,
        lat=lat,
        lon=lon,
        cos_lat=np.cos(lat),
        positions=np.fromiter((r.positions for r in rows), dtype=np.int64, count=n),
        length_months=np.fromiter((r.length_months for r in rows), dtype=np.int64, count=n),
        feature_mask=_masks((r.features for r in rows), feature_bits),
        feature_bits=feature_bits,
        specialty_mask=_masks((r.specialties for r in rows), specialty_bits),
        specialty_bits=specialty_bits,
        track_count=np.fromiter((len(r.tracks) for r in rows), dtype=np.int64, count=n),
        track_rows=track_rows,
    )


def _distance_km(index: ProgramIndex, place: Place, rows: IntArray) -> FloatArray:
    p = math.radians(place.latitude)
    lat, lon = index.lat[rows], index.lon[rows]
    a = (
        np.sin((lat - p) / 2) ** 2
        + math.cos(p) * index.cos_lat[rows] * np.sin((lon - math.radians(place.longitude)) / 2) ** 2
    )
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return distance


def _count_bits(masks: BitArray, names: Iterable[str], bits: Mapping[str, int]) -> FloatArray:
    count = np.zeros(len(masks), dtype=np.float64)
    for name in names:
        bit = bits.get(name)
        if bit is not None:
            count += (masks & np.uint64(bit)) != 0
    return count


@dataclass(frozen=True, eq=False)
class Ranking:
    """Matching rows in ranked order, with each row's score and component values."""

    rows: IntArray
    scores: FloatArray
    distance_km: FloatArray | None
    values: Mapping[str, FloatArray]  # scored component -> value per ranked row
    weights: Mapping[str, float]  # scored component -> weight

    @property
    def total(self) -> int:
        return len(self.rows)


def _filter(index: ProgramIndex, query: Query) -> IntArray:
    n = len(index)
    mask = np.ones(n, dtype=np.bool_)
    if query.states:
        codes = [index.state_codes[s] for s in query.states if s in index.state_codes]
        mask &= np.isin(index.state_code, np.asarray(codes, dtype=np.int64))
    if query.length_months is not None:
        mask &= index.length_months == query.length_months
    if query.min_positions is not None:
        mask &= index.positions >= query.min_positions
    if query.has_track:
        mask &= index.track_count > 0
    if query.track is not None:
        present = index.track_rows.get(_track_key(query.track))
        mask &= present if present is not None else False
    if query.specialty is not None:
        bit = index.specialty_bits.get(query.specialty)
        mask &= (index.specialty_mask & np.uint64(bit or 0)) != 0
    if query.features:
        if all(f in index.feature_bits for f in query.features):
            need = np.uint64(sum(index.feature_bits[f] for f in query.features))
            mask &= (index.feature_mask & need) == need
        else:  # nobody has a feature no program lists
            mask[:] = False
    return np.flatnonzero(mask).astype(np.int64)


def rank(index: ProgramIndex, query: Query, *, apply_filters: bool = True) -> Ranking:
    """Apply the filters and score every match (vectorised; see the module docstring).

    With ``apply_filters=False`` every program of the index is scored and ranked, the radius
    only setting where the location value reaches zero: how programs the applicant picked
    (favourites, a comparison) score under their weights, whatever the search filters.
    """
    rows = _filter(index, query) if apply_filters else np.arange(len(index), dtype=np.int64)
    distance_km = None
    if query.place is not None:
        distance_km = _distance_km(index, query.place, rows)
        if query.radius is not None and apply_filters:
            scale = KM_PER_MILE if query.unit == "mi" else 1.0
            inside = distance_km / scale <= query.radius + _RADIUS_SLACK
            rows, distance_km = rows[inside], distance_km[inside]
    w = query.weights
    features = index.feature_mask[rows]
    values: dict[str, FloatArray] = {}
    weights: dict[str, float] = {}
    if distance_km is not None:
        reach = _reach_km(query)
        values["location"] = 1.0 - np.minimum(distance_km, reach) / reach
        weights["location"] = w.location
    values["procedures"] = _count_bits(features, PROCEDURE_FEATURES, index.feature_bits) / len(
        PROCEDURE_FEATURES
    )
    weights["procedures"] = w.procedures
    values["research"] = _count_bits(features, (RESEARCH_FEATURE,), index.feature_bits)
    weights["research"] = w.research
    values["size"] = np.minimum(index.positions[rows], SIZE_FULL_MARKS) / SIZE_FULL_MARKS
    weights["size"] = w.size
    if query.wanted:
        wanted = _count_bits(features, query.wanted, index.feature_bits)
        values["wanted"] = wanted / len(query.wanted)
        weights["wanted"] = w.wanted
    total_weight = sum(weights.values())
    points = np.zeros(len(rows), dtype=np.float64)
    for key, value in values.items():
        points += weights[key] * value
    scores = np.round(100 * points / total_weight, 2) if total_weight else points
    order = np.lexsort((index.name_rank[rows], -scores))
    return Ranking(
        rows=rows[order],
        scores=scores[order],
        distance_km=None if distance_km is None else distance_km[order],
        values={k: v[order] for k, v in values.items()},
        weights=weights,
    )


def _reach_km(query: Query) -> float:
    if query.radius:
        return query.radius * (KM_PER_MILE if query.unit == "mi" else 1.0)
    return UNRANGED_DISTANCE_KM


def _detail(key: str, value: float, row: ProgramRow, query: Query, distance: float) -> str:
    if key == "location":
        reach = _reach_km(query) / (KM_PER_MILE if query.unit == "mi" else 1.0)
        return (
            f"{distance:,.1f} {query.unit} from the place; "
            f"full marks at 0, none from {reach:,.0f} {query.unit}"
        )
    if key == "procedures":
        have = [f for f in PROCEDURE_FEATURES if f in row.features]
        return f"{len(have)} of {len(PROCEDURE_FEATURES)} procedure features"
    if key == "research":
        return "protected research time" if value else "no protected research time"
    if key == "size":
        return f"{row.positions} positions a year; full marks at {SIZE_FULL_MARKS}"
    have = [f for f in sorted(query.wanted) if f in row.features]
    return f"{len(have)} of {len(query.wanted)} wanted features"


def results(
    index: ProgramIndex, ranking: Ranking, query: Query, offset: int = 0, limit: int | None = None
) -> list[Result]:
    """The ranked matches from ``offset`` (``limit`` of them), each with its score explained."""
    stop = ranking.total if limit is None else min(ranking.total, offset + limit)
    scale = KM_PER_MILE if query.unit == "mi" else 1.0
    out = []
    for k in range(offset, stop):
        row = index.rows[int(ranking.rows[k])]
        distance = None if ranking.distance_km is None else float(ranking.distance_km[k]) / scale
        components = []
        for key, values in ranking.values.items():
            value = float(values[k])
            weight = ranking.weights[key]
            components.append(
                Component(
                    key=key,
                    weight=weight,
                    value=round(value, 4),
                    points=round(weight * value, 2),
                    detail=_detail(key, value, row, query, distance or 0.0),
                )
            )
        out.append(
            Result(
                program_id=row.id,
                name=row.name,
                score=float(ranking.scores[k]),
                distance=None if distance is None else round(distance, 1),
                unit=query.unit,
                components=tuple(components),
            )
        )
    return out


def search(index: ProgramIndex, query: Query, limit: int | None = None) -> list[Result]:
    """Every program matching ``query`` (or the first ``limit``), best fit first."""
    return results(index, rank(index, query), query, limit=limit)
