"""4-week periods from July 1, and program block calendars."""

from __future__ import annotations

from datetime import date

import pytest

from painfellow.core.duty_hours import (
    PeriodCalendar,
    academic_calendar,
    academic_year_periods,
    block_calendar,
)


def test_academic_year_has_13_four_week_periods_from_july_1() -> None:
    starts = academic_year_periods(2024)
    assert len(starts) == 13
    assert starts[0] == date(2024, 7, 1) and starts[1] == date(2024, 7, 29)
    periods = academic_calendar(date(2024, 7, 1), date(2025, 6, 30)).periods
    assert [p.days for p in periods[:-1]] == [28] * 12
    assert periods[-1].end == date(2025, 7, 1) and periods[-1].days == 29  # 365 days


def test_leap_year_last_period_absorbs_two_days() -> None:
    periods = academic_calendar(date(2027, 7, 1), date(2027, 7, 1)).periods
    assert periods[-1].days == 30  # July 2027 - June 2028 includes Feb 29


def test_calendar_covers_every_academic_year_in_range() -> None:
    calendar = academic_calendar(date(2024, 6, 30), date(2024, 7, 1))
    assert calendar.starts[0] == date(2023, 7, 1)
    assert calendar.end == date(2025, 7, 1)
    assert date(2024, 7, 1) in calendar.starts


def test_block_calendar_runs_each_block_to_the_next_start() -> None:
    calendar = block_calendar([date(2024, 8, 1), date(2024, 7, 3)], last_period_days=10)
    assert [(p.start, p.end) for p in calendar.periods] == [
        (date(2024, 7, 3), date(2024, 8, 1)),
        (date(2024, 8, 1), date(2024, 8, 11)),
    ]
    assert calendar.period_of(date(2024, 8, 10)) == calendar.periods[1]
    assert calendar.period_of(date(2024, 8, 11)) is None


def test_calendars_reject_non_increasing_bounds() -> None:
    with pytest.raises(ValueError, match="must increase"):
        PeriodCalendar((date(2024, 7, 1), date(2024, 7, 1)), date(2024, 8, 1))
    with pytest.raises(ValueError):
        block_calendar([])
