"""Shifts from rotation hours, program calendars with custom period starts, and the
rolling 28-day warning (pure core)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from painfellow.core.duty_hours import (
    WARN_AVERAGE_HOURS,
    RotationSpan,
    Shift,
    ShiftKind,
    ShiftTemplate,
    academic_calendar,
    planned_shifts,
    program_calendar,
    rolling_average,
    year_start_of,
)

WEEKDAYS = frozenset({1, 2, 3, 4, 5})


def test_weekday_template_gives_one_shift_per_weekday_inside_the_block() -> None:
    clinic = ShiftTemplate(time(7), time(17), WEEKDAYS, ShiftKind.IN_HOUSE)
    # the block ends on Wednesday 2026-11-18: Thursday and Friday are not offered
    spans = [RotationSpan(date(2026, 11, 5), date(2026, 11, 18), "Clinic", clinic)]
    shifts = planned_shifts(spans, date(2026, 11, 16), date(2026, 11, 22))
    assert [(s.start, s.end) for s in shifts] == [
        (datetime(2026, 11, 16, 7), datetime(2026, 11, 16, 17)),
        (datetime(2026, 11, 17, 7), datetime(2026, 11, 17, 17)),
        (datetime(2026, 11, 18, 7), datetime(2026, 11, 18, 17)),
    ]
    assert {s.kind for s in shifts} == {ShiftKind.IN_HOUSE} and shifts[0].rotation == "Clinic"


def test_end_at_or_before_start_ends_the_next_day_and_spans_join() -> None:
    call = ShiftTemplate(time(7), time(7), frozenset({6}), ShiftKind.IN_HOUSE_CALL)
    night = ShiftTemplate(time(19), time(7), frozenset({1}), ShiftKind.IN_HOUSE)
    spans = [
        RotationSpan(date(2026, 11, 16), date(2026, 11, 21), "Acute", call),
        RotationSpan(date(2026, 11, 22), date(2026, 12, 5), "Nights", night),
        RotationSpan(date(2026, 12, 6), date(2026, 12, 19), "Research", None),
    ]
    shifts = planned_shifts(spans, date(2026, 11, 16), date(2026, 12, 31))
    assert [(s.start, s.end, s.rotation) for s in shifts] == [
        (datetime(2026, 11, 21, 7), datetime(2026, 11, 22, 7), "Acute"),
        (datetime(2026, 11, 23, 19), datetime(2026, 11, 24, 7), "Nights"),
        (datetime(2026, 11, 30, 19), datetime(2026, 12, 1, 7), "Nights"),
    ]


def test_template_needs_iso_weekdays() -> None:
    with pytest.raises(ValueError, match="weekdays"):
        ShiftTemplate(time(7), time(17), frozenset({0}), ShiftKind.IN_HOUSE)
    with pytest.raises(ValueError, match="weekdays"):
        ShiftTemplate(time(7), time(17), frozenset(), ShiftKind.IN_HOUSE)


def test_default_program_calendar_is_the_july_calendar() -> None:
    first, last = date(2025, 8, 3), date(2027, 2, 1)
    assert program_calendar(first, last) == academic_calendar(first, last)


def test_custom_year_start_without_anchor() -> None:
    calendar = program_calendar(date(2026, 11, 21), date(2026, 11, 21), month=9, day_of_month=15)
    assert calendar.starts[0] == date(2026, 9, 15)
    assert calendar.end == date(2027, 9, 15)
    assert calendar.period_of(date(2026, 11, 21)).start == date(2026, 11, 10)  # type: ignore[union-attr]
    # 365 days = 13 x 28 + 1: the last period absorbs the leftover day
    assert calendar.periods[-1].days == 29


def test_anchor_of_a_week_or_more_leaves_a_short_first_period() -> None:
    calendar = program_calendar(
        date(2026, 11, 21), date(2026, 11, 21), month=9, day_of_month=1, anchor=date(2026, 9, 10)
    )
    assert calendar.starts[:3] == (date(2026, 9, 1), date(2026, 9, 10), date(2026, 10, 8))
    assert calendar.period_of(date(2026, 11, 21)).start == date(2026, 11, 5)  # type: ignore[union-attr]
    # an anchor in another year gives the same periods (every 28 days both ways)
    shifted = program_calendar(
        date(2026, 11, 21), date(2026, 11, 21), month=9, day_of_month=1,
        anchor=date(2026, 9, 10) + timedelta(days=28 * 40),
    )  # fmt: skip
    assert shifted == calendar


def test_anchor_under_a_week_after_the_year_start_joins_the_stub() -> None:
    calendar = program_calendar(
        date(2026, 7, 1), date(2026, 7, 1), anchor=date(2026, 7, 7)
    )  # 6-day stub: joined to the first anchored period
    assert calendar.starts[:2] == (date(2026, 7, 1), date(2026, 8, 4))
    assert calendar.periods[0].days == 34
    # the tail: under a week before the next July 1 joins the period before it
    assert all(p.days >= 7 for p in calendar.periods)
    assert calendar.end == date(2027, 7, 1)


def test_year_start_of() -> None:
    assert year_start_of(date(2026, 8, 31), 9, 1) == date(2025, 9, 1)
    assert year_start_of(date(2026, 9, 1), 9, 1) == date(2026, 9, 1)
    assert year_start_of(date(2026, 6, 30)) == date(2025, 7, 1)


NOW = datetime(2026, 11, 21, 10, 0)


def _daily(hours: list[float], kind: ShiftKind = ShiftKind.IN_HOUSE) -> list[Shift]:
    """One shift a day, ending before NOW, all inside the 28-day window."""
    first = NOW - timedelta(days=27)
    return [
        Shift("f", first + timedelta(days=i), first + timedelta(days=i, hours=h), kind)
        for i, h in enumerate(hours)
    ]


@pytest.mark.parametrize(
    ("hours", "level"),
    [
        ([12.0] * 24 + [12.0 - 1 / 60], "ok"),  # 299 h 59 min: 74.996 h/week
        ([12.0] * 25, "approaching"),  # 300 h: 75.0 h/week, the warning threshold
        ([12.0] * 26 + [8.0], "approaching"),  # 320 h: exactly 80 h/week is not over
        ([12.0] * 26 + [8.0 + 1 / 60], "over"),  # 320 h 1 min
    ],
)
def test_rolling_average_just_under_and_over_the_thresholds(hours: list[float], level: str) -> None:
    result = rolling_average(_daily(hours), "f", NOW)
    assert result.level == level
    assert result.warns == (level != "ok")
    assert WARN_AVERAGE_HOURS == 75.0


def test_rolling_average_counts_only_the_window_and_no_leave() -> None:
    inside = _daily([10.0])
    edge = NOW - timedelta(days=28)
    straddling = [
        Shift("f", edge - timedelta(hours=4), edge + timedelta(hours=6), ShiftKind.IN_HOUSE)
    ]
    ongoing = [Shift("f", NOW - timedelta(hours=2), NOW + timedelta(hours=8), ShiftKind.IN_HOUSE)]
    leave = [Shift("f", NOW - timedelta(days=10), NOW - timedelta(days=9), ShiftKind.LEAVE)]
    other = [Shift("g", NOW - timedelta(days=3), NOW - timedelta(days=2), ShiftKind.IN_HOUSE)]
    result = rolling_average(inside + straddling + ongoing + leave + other, "f", NOW)
    assert result.hours == pytest.approx(10 + 6 + 2)
    assert result.average == pytest.approx(18 / 4)
    assert "18.0 h worked in the 28 days" in result.detail
