"""Rating scales of evaluation items (painfellow.core.assessment)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painfellow.core.assessment import NOT_OBSERVED, SCALES, format_rating, parse_rating


def test_likert_takes_whole_points_from_one_to_five() -> None:
    assert [parse_rating("likert_5", str(n)) for n in range(1, 6)] == [2, 4, 6, 8, 10]
    assert parse_rating("likert_5", " 3.0 ") == 6
    for bad in ("0", "6", "3.5", "-1", "three", "1e1", "nan"):
        with pytest.raises(ValueError, match=r"must be a whole number from 1 to 5"):
            parse_rating("likert_5", bad)


def test_milestones_take_half_levels_from_one_to_five() -> None:
    assert parse_rating("milestone", "1") == 2
    assert parse_rating("milestone", "3.5") == 7
    assert parse_rating("milestone", "5") == 10
    for bad in ("0.5", "5.5", "2.25", "3.4", ""):
        with pytest.raises(ValueError):
            parse_rating("milestone", bad)
    assert SCALES["milestone"].label(7) == "Between levels 3 and 4"
    assert SCALES["milestone"].label(8) == "Level 4"


def test_not_observed_carries_no_rating_on_any_scale() -> None:
    for key in SCALES:
        assert parse_rating(key, NOT_OBSERVED) is None
    assert format_rating(None) == "not observed"


def test_unknown_scale_and_empty_answer_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="not a rating scale"):
        parse_rating("stars", "3")
    with pytest.raises(ValueError, match="choose a rating"):
        parse_rating("likert_5", "  ")


@given(st.sampled_from(sorted(SCALES)), st.integers(min_value=0, max_value=12))
def test_every_choice_reads_back_as_itself(scale: str, half_points: int) -> None:
    """What a page offers (format_rating of each choice) parses back to the same value, and
    nothing outside the choices is accepted."""
    text = format_rating(half_points)
    if SCALES[scale].allows(half_points):
        assert parse_rating(scale, text) == half_points
    else:
        with pytest.raises(ValueError):
            parse_rating(scale, text)
