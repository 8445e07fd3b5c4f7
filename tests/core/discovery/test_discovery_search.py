"""Discovery core: distances, each filter, the score formula and its explanation, tie order."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painfellow.core.discovery import (
    EARTH_RADIUS_KM,
    KM_PER_MILE,
    Place,
    ProgramRow,
    Query,
    Weights,
    build_index,
    haversine_km,
    rank,
    search,
)

CHICAGO = Place(41.88, -87.63)  # the bundled cities' coordinates
DETROIT = (42.33, -83.05)
NEW_YORK = (40.71, -74.01)
LOS_ANGELES = (34.05, -118.24)


def row(pid: int, name: str = "", **kw: Any) -> ProgramRow:
    values: dict[str, Any] = {
        "id": pid,
        "name": name or f"Program {pid:03d}",
        "state": "MI",
        "latitude": 42.28,
        "longitude": -83.74,
        "positions": 3,
        "length_months": 12,
        "tracks": (),
        "specialties": ("anesthesiology",),
        "features": (),
    }
    values.update(kw)
    return ProgramRow(**values)


def ids(index_rows: list[ProgramRow], query: Query) -> list[int]:
    return [r.program_id for r in search(build_index(index_rows), query)]


def test_haversine_exact_cases() -> None:
    assert haversine_km(10, 20, 10, 20) == 0
    assert haversine_km(0, 0, 0, 90) == pytest.approx(math.pi * EARTH_RADIUS_KM / 2, rel=1e-12)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM, rel=1e-12)
    assert haversine_km(90, 0, 0, 45) == pytest.approx(math.pi * EARTH_RADIUS_KM / 2, rel=1e-12)
    assert haversine_km(0, 179.5, 0, -179.5) == pytest.approx(math.radians(1) * EARTH_RADIUS_KM)


def test_haversine_known_city_pairs_in_km_and_miles() -> None:
    # published great-circle distances: New York-Los Angeles ~3,936 km (2,445 mi),
    # Chicago-Detroit ~383 km (238 mi)
    ny_la = haversine_km(*NEW_YORK, *LOS_ANGELES)
    assert ny_la == pytest.approx(3936, rel=0.005)
    assert ny_la / KM_PER_MILE == pytest.approx(2445, rel=0.005)
    chi_det = haversine_km(CHICAGO.latitude, CHICAGO.longitude, *DETROIT)
    assert chi_det == pytest.approx(383, rel=0.01)
    assert chi_det / KM_PER_MILE == pytest.approx(238, rel=0.01)


def test_radius_filter_honours_the_unit() -> None:
    rows = [
        row(1, latitude=DETROIT[0], longitude=DETROIT[1]),
        row(2, latitude=NEW_YORK[0], longitude=NEW_YORK[1]),
    ]
    # Detroit is ~382 km = ~237 mi from Chicago
    assert ids(rows, Query(place=CHICAGO, radius=240, unit="mi")) == [1]
    assert ids(rows, Query(place=CHICAGO, radius=240, unit="km")) == []
    assert ids(rows, Query(place=CHICAGO, radius=390, unit="km")) == [1]
    assert sorted(ids(rows, Query(place=CHICAGO, radius=2000, unit="km"))) == [1, 2]


def test_radius_includes_a_program_exactly_on_it() -> None:
    d = haversine_km(CHICAGO.latitude, CHICAGO.longitude, *DETROIT)
    rows = [row(1, latitude=DETROIT[0], longitude=DETROIT[1])]
    assert ids(rows, Query(place=CHICAGO, radius=d, unit="km")) == [1]
    assert ids(rows, Query(place=CHICAGO, radius=d / KM_PER_MILE, unit="mi")) == [1]
    assert ids(rows, Query(place=CHICAGO, radius=d * 0.999, unit="km")) == []


def test_result_distance_is_in_the_query_unit() -> None:
    rows = [row(1, latitude=DETROIT[0], longitude=DETROIT[1])]
    km = search(build_index(rows), Query(place=CHICAGO, unit="km"))[0].distance
    mi = search(build_index(rows), Query(place=CHICAGO, unit="mi"))[0].distance
    assert km == pytest.approx(mi * KM_PER_MILE, abs=0.2) and km == pytest.approx(383, rel=0.01)
    assert search(build_index(rows), Query())[0].distance is None


@given(st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180))
def test_vectorised_distance_agrees_with_the_scalar_formula(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    result = search(
        build_index([row(1, latitude=lat2, longitude=lon2)]),
        Query(place=Place(lat1, lon1), unit="km"),
    )[0]
    assert result.distance == pytest.approx(
        round(haversine_km(lat1, lon1, lat2, lon2), 1), abs=0.051
    )


def test_state_length_and_positions_filters() -> None:
    rows = [
        row(1, state="IL", length_months=12, positions=2),
        row(2, state="MI", length_months=24, positions=5),
        row(3, state="NY", length_months=12, positions=6),
    ]
    assert sorted(ids(rows, Query(states=frozenset({"IL", "NY"})))) == [1, 3]
    assert ids(rows, Query(states=frozenset({"TX"}))) == []
    assert ids(rows, Query(length_months=24)) == [2]
    assert sorted(ids(rows, Query(min_positions=5))) == [2, 3]
    assert ids(rows, Query(min_positions=5, length_months=12)) == [3]


def test_track_filters() -> None:
    rows = [row(1, tracks=("Research",)), row(2, tracks=("Interventional", "Cancer pain")), row(3)]
    assert sorted(ids(rows, Query(has_track=True))) == [1, 2]
    assert ids(rows, Query(track="  cancer PAIN ")) == [2]
    assert ids(rows, Query(track="Pediatrics")) == []


def test_specialty_filter() -> None:
    rows = [
        row(1, specialties=("anesthesiology", "neurology")),
        row(2, specialties=("psychiatry",)),
    ]
    assert ids(rows, Query(specialty="neurology")) == [1]
    assert ids(rows, Query(specialty="radiology")) == []


def test_feature_filter_needs_every_feature() -> None:
    rows = [
        row(1, features=("neuromodulation", "cancer_pain")),
        row(2, features=("neuromodulation",)),
        row(3, features=("cancer_pain", "neuromodulation", "va_rotation")),
    ]
    assert sorted(ids(rows, Query(features=frozenset({"neuromodulation"})))) == [1, 2, 3]
    both = frozenset({"neuromodulation", "cancer_pain"})
    assert sorted(ids(rows, Query(features=both))) == [1, 3]
    assert ids(rows, Query(features=frozenset({"pediatric_pain"}))) == []


def test_score_is_weighted_points_over_total_weight_and_is_explained() -> None:
    program = row(
        1,
        latitude=DETROIT[0],
        longitude=DETROIT[1],
        positions=4,
        features=("neuromodulation", "ultrasound_guided", "protected_research_time", "cancer_pain"),
    )
    weights = Weights(location=4, procedures=5, research=2, size=1, wanted=3)
    query = Query(
        place=CHICAGO,
        radius=1000,
        unit="km",
        weights=weights,
        wanted=frozenset({"cancer_pain", "va_rotation"}),
    )
    [result] = search(build_index([program]), query)
    d = haversine_km(CHICAGO.latitude, CHICAGO.longitude, *DETROIT)
    expected = {
        "location": 1 - d / 1000,
        "procedures": 2 / 5,
        "research": 1.0,
        "size": 4 / 8,
        "wanted": 1 / 2,
    }
    parts = {c.key: c for c in result.components}
    assert set(parts) == set(expected)
    for key, value in expected.items():
        assert parts[key].value == pytest.approx(value, abs=1e-4)
        assert parts[key].weight == getattr(weights, key)
        assert parts[key].points == pytest.approx(getattr(weights, key) * value, abs=0.01)
    total = sum(getattr(weights, k) * v for k, v in expected.items())
    assert result.score == pytest.approx(round(100 * total / 15, 2))
    assert parts["procedures"].detail == "2 of 5 procedure features"
    assert parts["wanted"].detail == "1 of 2 wanted features"
    assert parts["location"].detail.startswith(f"{d:,.1f} km from the place")


def test_location_and_wanted_are_scored_only_when_asked() -> None:
    [result] = search(build_index([row(1)]), Query())
    assert [c.key for c in result.components] == ["procedures", "research", "size"]


def test_location_full_marks_fade_to_none_at_the_reach() -> None:
    far = row(1, latitude=LOS_ANGELES[0], longitude=LOS_ANGELES[1])
    near = row(2, latitude=CHICAGO.latitude, longitude=CHICAGO.longitude)
    only_location = Weights(location=10, procedures=0, research=0, size=0, wanted=0)
    found = search(build_index([far, near]), Query(place=CHICAGO, weights=only_location))
    assert [(r.program_id, r.score) for r in found] == [(2, 100.0), (1, 0.0)]


def test_equal_scores_are_ordered_by_name_then_id() -> None:
    rows = [row(4, "beta"), row(2, "Alpha"), row(3, "alpha"), row(1, "Gamma")]
    assert ids(rows, Query()) == [2, 3, 4, 1]
    rows.append(row(5, "Zeta", features=("protected_research_time",)))
    assert ids(rows, Query()) == [5, 2, 3, 4, 1]


def test_all_weights_zero_scores_zero_in_name_order() -> None:
    zero = Weights(location=0, procedures=0, research=0, size=0, wanted=0)
    found = search(build_index([row(1, "B", positions=8), row(2, "A")]), Query(weights=zero))
    assert [(r.program_id, r.score) for r in found] == [(2, 0.0), (1, 0.0)]


def test_invalid_queries_are_refused() -> None:
    with pytest.raises(ValueError, match="needs a place"):
        Query(radius=10)
    with pytest.raises(ValueError, match="weight size"):
        Weights(size=11)
    with pytest.raises(ValueError):
        Place(91, 0)


def test_ranking_total_counts_every_match_beyond_the_limit() -> None:
    index = build_index([row(i) for i in range(1, 31)])
    assert rank(index, Query()).total == 30
    assert len(search(index, Query(), limit=10)) == 10


def test_empty_index_answers_nothing() -> None:
    assert search(build_index([]), Query(place=CHICAGO, radius=5)) == []


def test_rank_without_filters_scores_every_program_and_uses_the_radius_as_reach() -> None:
    rows = [
        row(1, latitude=DETROIT[0], longitude=DETROIT[1], state="MI"),
        row(2, latitude=NEW_YORK[0], longitude=NEW_YORK[1], state="NY"),
    ]
    index = build_index(rows)
    query = Query(place=CHICAGO, radius=500, unit="km", states=frozenset({"MI"}))
    assert rank(index, query).total == 1  # the state filter and the radius drop New York
    everyone = rank(index, query, apply_filters=False)
    assert sorted(index.ids[everyone.rows].tolist()) == [1, 2]
    location = dict(
        zip(index.ids[everyone.rows].tolist(), everyone.values["location"].tolist(), strict=True)
    )
    detroit_km = haversine_km(CHICAGO.latitude, CHICAGO.longitude, *DETROIT)
    assert location[1] == pytest.approx(1 - detroit_km / 500)  # the radius is the reach
    assert location[2] == 0  # New York, ~1,150 km away: beyond the reach, no marks
