"""Four-week averaging periods: from July 1 of each academic year, or a program's blocks.

ACGME averages the 80-hour cap, the day off in seven and in-house call every third night
over four weeks (CPR VI.F.1, VI.F.2.c, VI.F.7; training-rules.md section 2 and
``work_hours.averaging_mode: per_block`` in section 9: fixed 28-day windows aligned to the
rotation blocks, not a rolling average).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

PERIOD_DAYS = 28
ACADEMIC_YEAR_START_MONTH = 7  # July 1 (training-rules.md section 9, program.academic_year)


@dataclass(frozen=True, slots=True)
class Period:
    """Calendar days ``start`` .. ``end - 1`` (``end`` is exclusive)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class PeriodCalendar:
    """Consecutive averaging periods: period *i* runs from ``starts[i]`` to the next start,
    the last one to ``end`` (exclusive). Days outside the calendar are not averaged."""

    starts: tuple[date, ...]
    end: date

    def __post_init__(self) -> None:
        if not self.starts:
            raise ValueError("a period calendar needs at least one period")
        bounds = (*self.starts, self.end)
        for earlier, later in pairwise(bounds):
            if later <= earlier:
                raise ValueError(f"period starts must increase: {later} is not after {earlier}")

    @property
    def periods(self) -> tuple[Period, ...]:
        bounds = (*self.starts, self.end)
        return tuple(Period(a, b) for a, b in pairwise(bounds))

    def period_of(self, day: date) -> Period | None:
        """The period holding ``day``, or None when the day is outside the calendar."""
        for period in self.periods:
            if period.start <= day < period.end:
                return period
        return None


def academic_year_periods(year: int) -> list[date]:
    """Start dates of the 4-week periods of the academic year that begins July 1 ``year``.

    Rule: fixed 28-day averaging blocks from July 1 (training-rules.md section 9). A year has
    365 or 366 days = 13 x 28 + 1 or 2, so the last period absorbs the 1-2 leftover days and
    runs to June 30 (29 or 30 days) instead of leaving a 1-day period whose "average" would
    be meaningless.
    """
    first = date(year, ACADEMIC_YEAR_START_MONTH, 1)
    next_year = date(year + 1, ACADEMIC_YEAR_START_MONTH, 1)
    starts = [first]
    while starts[-1] + timedelta(days=2 * PERIOD_DAYS) <= next_year:
        starts.append(starts[-1] + timedelta(days=PERIOD_DAYS))
    return starts


def academic_year_of(day: date) -> int:
    """The calendar year in which the academic year holding ``day`` began (July 1)."""
    return day.year if day.month >= ACADEMIC_YEAR_START_MONTH else day.year - 1


def academic_calendar(first_day: date, last_day: date) -> PeriodCalendar:
    """Periods from July 1 covering every academic year from ``first_day`` to ``last_day``.

    Rule: 4-week periods start on July 1 of the academic year (issue 5;
    training-rules.md section 9).
    """
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    first_year = academic_year_of(first_day)
    last_year = academic_year_of(last_day)
    starts: list[date] = []
    for year in range(first_year, last_year + 1):
        starts.extend(academic_year_periods(year))
    return PeriodCalendar(tuple(starts), date(last_year + 1, ACADEMIC_YEAR_START_MONTH, 1))


def block_calendar(starts: Sequence[date], last_period_days: int = PERIOD_DAYS) -> PeriodCalendar:
    """A program's own block calendar: each period runs to the next start date.

    Rule: issue 5 lets a program replace the July 1 periods by its block calendar (ACGME
    averages over the rotation block, training-rules.md section 2 computation notes). A list
    of start dates says nothing about where the last block ends, so it is taken to last
    ``last_period_days`` (four weeks by default).
    """
    ordered = sorted(set(starts))
    if not ordered:
        raise ValueError("a block calendar needs at least one start date")
    if last_period_days < 1:
        raise ValueError("last_period_days must be positive")
    return PeriodCalendar(tuple(ordered), ordered[-1] + timedelta(days=last_period_days))


def year_start_of(day: date, month: int = ACADEMIC_YEAR_START_MONTH, day_of_month: int = 1) -> date:
    """First day of the academic year holding ``day`` when years start on
    ``month``/``day_of_month`` (a program's own calendar; July 1 by default)."""
    start = date(day.year, month, day_of_month)
    return start if day >= start else date(day.year - 1, month, day_of_month)


def program_calendar(
    first_day: date,
    last_day: date,
    *,
    month: int = ACADEMIC_YEAR_START_MONTH,
    day_of_month: int = 1,
    anchor: date | None = None,
) -> PeriodCalendar:
    """Periods covering every academic year from ``first_day`` to ``last_day`` for a
    program's own calendar (issue 5: "unless the program sets its own block calendar").

    Years start on ``month``/``day_of_month``. Without ``anchor`` the 4-week periods start
    on the year start (as :func:`academic_calendar`; the last period absorbs the leftover
    days). With ``anchor``, periods start on every day 28k days from the anchor (k any
    integer) inside the year; the days before the first such start, and after the last
    whole period, join the neighbouring period when they are fewer than 7, and otherwise
    form a short period of their own (averaged over its own days).
    """
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    year = year_start_of(first_day, month, day_of_month)
    end_year = year_start_of(last_day, month, day_of_month)
    starts: list[date] = []
    while year <= end_year:
        following = date(year.year + 1, month, day_of_month)
        starts.extend(_year_starts(year, following, anchor))
        year = following
    return PeriodCalendar(tuple(starts), year)


def _year_starts(year: date, following: date, anchor: date | None) -> list[date]:
    if anchor is None:
        starts = [year]
        while starts[-1] + timedelta(days=2 * PERIOD_DAYS) <= following:
            starts.append(starts[-1] + timedelta(days=PERIOD_DAYS))
        return starts
    offset = (anchor - year).days % PERIOD_DAYS
    starts = [year]
    candidate = year + timedelta(days=offset)
    if offset < 7:  # the year start is a period start, or its stub (< 7 days) joins it
        candidate += timedelta(days=PERIOD_DAYS)
    while candidate < following:
        starts.append(candidate)
        candidate += timedelta(days=PERIOD_DAYS)
    if len(starts) > 1 and (following - starts[-1]).days < 7:
        starts.pop()  # a tail of under a week joins the period before it
    return starts
