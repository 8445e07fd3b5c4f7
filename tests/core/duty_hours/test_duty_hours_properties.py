"""Property tests: the array engine equals the plain reference on random small logs."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from dh_reference import reference_findings
from hypothesis import event, given, settings
from hypothesis import strategies as st

from painfellow.core.duty_hours import (
    DutyHourLimits,
    PeriodCalendar,
    Shift,
    ShiftKind,
    ShiftTable,
    academic_calendar,
    block_calendar,
    check_shifts,
)

ORIGIN = datetime(2024, 6, 24)  # a week before the academic year, so logs cross July 1
KINDS = [*ShiftKind, ShiftKind.IN_HOUSE_CALL, ShiftKind.IN_HOUSE_CALL]  # more call nights

# Gaps around every threshold: touching, around the 15-minute tolerance, around 8 h and
# 14 h, and long rests; durations around 24 h and 28 h as well as ordinary shifts.
GAP_MINUTES = st.one_of(
    st.sampled_from([0, 14, 15, 16, 479, 480, 839, 840, 1440, 2880]),
    st.integers(0, 3 * 1440),
)
DURATION_MINUTES = st.one_of(
    st.sampled_from([60, 600, 720, 1439, 1440, 1441, 1680, 1681, 7 * 1440]),
    st.integers(1, 30 * 60),
)


@st.composite
def fellow_logs(draw: st.DrawFn) -> list[Shift]:
    shifts: list[Shift] = []
    for fellow in draw(st.sampled_from([["A"], ["A", "B"], ["B", "A", "C"]])):
        moment = ORIGIN + timedelta(minutes=draw(st.integers(0, 3 * 1440)))
        for _ in range(draw(st.integers(0, 25))):
            moment += timedelta(minutes=draw(GAP_MINUTES))
            end = moment + timedelta(minutes=draw(DURATION_MINUTES))
            shifts.append(Shift(fellow, moment, end, draw(st.sampled_from(KINDS))))
            moment = end
    return shifts


@st.composite
def calendars(draw: st.DrawFn) -> PeriodCalendar:
    if draw(st.booleans()):
        return academic_calendar(date(2024, 7, 1), date(2024, 7, 1))
    first = ORIGIN.date() + timedelta(days=draw(st.integers(0, 10)))
    lengths = draw(st.lists(st.integers(3, 30), min_size=1, max_size=5))
    starts = [first]
    for length in lengths[:-1]:
        starts.append(starts[-1] + timedelta(days=length))
    return block_calendar(starts, last_period_days=lengths[-1])


@st.composite
def limit_sets(draw: st.DrawFn) -> DutyHourLimits:
    return DutyHourLimits(
        continuity_tolerance_minutes=draw(st.sampled_from([0, 15])),
        exclude_leave_from_average=draw(st.booleans()),
        weekly_average_max_hours=draw(st.sampled_from([40.0, 80.0])),
    )


def rows(shifts: list[Shift], calendar: PeriodCalendar, limits: DutyHourLimits) -> list[object]:
    return [
        (f.fellow_id, f.rule.value, f.start, f.end, round(f.excess, 6))
        for f in check_shifts(shifts, calendar, limits)
    ]


@settings(max_examples=300, deadline=None)
@given(fellow_logs(), calendars(), limit_sets())
def test_array_engine_equals_reference(
    shifts: list[Shift], calendar: PeriodCalendar, limits: DutyHourLimits
) -> None:
    expected = reference_findings(shifts, calendar, limits)
    for rule in sorted({r[1] for r in expected}):
        event(rule)
    assert rows(shifts, calendar, limits) == expected


@settings(max_examples=100, deadline=None)
@given(fellow_logs(), calendars(), st.randoms(use_true_random=False))
def test_input_order_and_other_fellows_do_not_change_a_fellows_findings(
    shifts: list[Shift], calendar: PeriodCalendar, rnd: random.Random
) -> None:
    limits = DutyHourLimits()
    together = rows(shifts, calendar, limits)
    shuffled = list(shifts)
    rnd.shuffle(shuffled)
    assert rows(shuffled, calendar, limits) == together
    for fellow in {s.fellow_id for s in shifts}:
        alone = rows([s for s in shifts if s.fellow_id == fellow], calendar, limits)
        assert alone == [r for r in together if r[0] == fellow]  # type: ignore[index]


@settings(max_examples=100, deadline=None)
@given(fellow_logs())
def test_shift_table_round_trips_shifts(shifts: list[Shift]) -> None:
    table = ShiftTable.from_shifts(shifts)
    key = lambda s: (s.fellow_id, s.start)  # noqa: E731
    assert sorted(table.to_shifts(), key=key) == sorted(shifts, key=key)
    order = list(zip(table.fellow.tolist(), table.start.tolist(), strict=True))
    assert order == sorted(order)
