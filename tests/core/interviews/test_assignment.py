from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from painfellow.core.interviews.assignment import Seat, assign, random_order


@st.composite
def problems(draw: st.DrawFn) -> tuple[str, dict[int, list[int]], list[Seat]]:
    days = draw(st.integers(min_value=1, max_value=5))
    seats = [
        Seat(slot_id=100 * day + n, day_id=day, order=n, free=draw(st.integers(0, 3)))
        for day in range(1, days + 1)
        for n in range(draw(st.integers(1, 3)))
    ]
    applicants = draw(st.lists(st.integers(1, 500), max_size=25, unique=True))
    rankings = {
        a: draw(st.lists(st.integers(1, days), min_size=1, max_size=days, unique=True))
        for a in applicants
    }
    return draw(st.text(min_size=1, max_size=12)), rankings, seats


@settings(max_examples=200, deadline=None)
@given(problems())
def test_never_over_capacity_and_everyone_seated_when_capacity_allows(
    problem: tuple[str, dict[int, list[int]], list[Seat]],
) -> None:
    seed, rankings, seats = problem
    result = assign(seed, rankings, seats)
    used = Counter(p.slot_id for p in result.placements)
    assert all(used[s.slot_id] <= s.free for s in seats)
    placed = [p.applicant_id for p in result.placements]
    assert len(placed) == len(set(placed))
    assert set(placed) | set(result.unplaced) == set(rankings)
    total = sum(s.free for s in seats)
    if total >= len(rankings):
        assert result.unplaced == ()
    else:
        assert len(placed) == total
    for p in result.placements:  # a day off the list only once every ranked day was full
        if p.rank is None:
            assert all(
                used[s.slot_id] == s.free for s in seats if s.day_id in rankings[p.applicant_id]
            )
        else:
            assert rankings[p.applicant_id][p.rank - 1] == p.day_id


@settings(max_examples=100, deadline=None)
@given(problems())
def test_deterministic_for_a_seed(problem: tuple[str, dict[int, list[int]], list[Seat]]) -> None:
    seed, rankings, seats = problem
    assert assign(seed, rankings, seats) == assign(seed, dict(reversed(rankings.items())), seats)


def test_earlier_in_the_published_order_gets_the_contested_day() -> None:
    seats = [Seat(1, day_id=1, order=0, free=1), Seat(2, day_id=2, order=0, free=1)]
    rankings = {7: [1, 2], 8: [1, 2]}
    first, second = random_order("seed-42", [7, 8])
    result = assign("seed-42", rankings, seats)
    by_applicant = {p.applicant_id: (p.day_id, p.rank) for p in result.placements}
    assert by_applicant == {first: (1, 1), second: (2, 2)}
    assert result.order == (first, second)
    assert random_order("another seed", range(1, 40)) != random_order("seed-42", range(1, 40))


def _most_seated_on_ranked_days(rankings: dict[int, list[int]], seats: list[Seat]) -> int:
    """An independent oracle: Kuhn's maximum matching of applicants to single seats."""
    seat_days = [s.day_id for s in seats for _ in range(s.free)]
    holder: dict[int, int] = {}

    def place(applicant: int, seen: set[int]) -> bool:
        for index, day in enumerate(seat_days):
            if day in rankings[applicant] and index not in seen:
                seen.add(index)
                if index not in holder or place(holder[index], seen):
                    holder[index] = applicant
                    return True
        return False

    return sum(place(a, set()) for a in rankings)


@settings(max_examples=200, deadline=None)
@given(problems())
def test_seats_as_many_as_possible_on_days_they_ranked(
    problem: tuple[str, dict[int, list[int]], list[Seat]],
) -> None:
    seed, rankings, seats = problem
    result = assign(seed, rankings, seats)
    on_list = [p for p in result.placements if p.rank is not None]
    assert len(on_list) == _most_seated_on_ranked_days(rankings, seats)
    position = {a: n for n, a in enumerate(result.order)}
    for a in on_list:  # an earlier applicant could not have had a day a later one holds ...
        for b in on_list:
            assert a.rank is not None
            better = rankings[a.applicant_id][: a.rank - 1]
            if position[a.applicant_id] < position[b.applicant_id] and b.day_id in better:
                # ... by swapping, unless the later one did not rank the earlier one's day
                assert a.day_id not in rankings[b.applicant_id]


def test_an_applicant_who_can_attend_one_day_is_not_pushed_off_it() -> None:
    """Placing each applicant greedily in order would give the first one day 1 and leave the
    second, who can attend only day 1, on a day off their list."""
    seats = [Seat(1, day_id=1, order=0, free=1), Seat(2, day_id=2, order=0, free=1)]
    first, second = random_order("seed-42", [7, 8])
    result = assign("seed-42", {first: [1, 2], second: [1]}, seats)
    by_applicant = {p.applicant_id: (p.day_id, p.rank) for p in result.placements}
    assert by_applicant == {first: (2, 2), second: (1, 1)}
    assert result.unplaced == ()


def test_when_seats_run_short_the_earlier_applicant_is_seated() -> None:
    seats = [Seat(1, day_id=1, order=0, free=1)]
    first, second = random_order("seed-7", [3, 4])
    result = assign("seed-7", {first: [1], second: [1]}, seats)
    assert [(p.applicant_id, p.rank) for p in result.placements] == [(first, 1)]
    assert result.unplaced == (second,)
