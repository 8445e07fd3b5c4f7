"""Warnings before a breach: where a fellow stands in the current 4-week period.

Pure: the caller passes the shifts logged so far and ``now``; only shift time before
``now`` counts as worked, except that logged leave anywhere in the period is taken as
planned (it shrinks the average's denominator, training-rules.md section 9
``exclude_from_denominator``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from painfellow.core.duty_hours.findings import Rule
from painfellow.core.duty_hours.periods import Period, PeriodCalendar
from painfellow.core.duty_hours.rules import DEFAULT_LIMITS, DutyHourLimits
from painfellow.core.duty_hours.shifts import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    Shift,
    ShiftKind,
    day_seconds,
    to_seconds,
)


@dataclass(frozen=True, slots=True)
class PreBreachAlert:
    """A limit the fellow is heading past. ``remaining`` is what is left before the
    breach, in ``unit`` (hours, days of work, call nights); negative when already past."""

    fellow_id: str
    rule: Rule
    topic: str  # "period_average" | "week" | "days_off" | "call_nights"
    remaining: float
    unit: str
    detail: str


@dataclass(frozen=True, slots=True)
class Outlook:
    """One fellow's standing in the period holding ``now``.

    ``hours_left`` is the budget: hours of work still possible this period before its
    average passes the weekly cap (cap x counted days / 7 - hours so far). ``counted_days``
    are the period's days minus leave days when leave is left out of the average.
    ``week_*`` is the current 7-day week of the period (weeks count from the period start).
    ``days_available`` are the days from today to the period end that can still be free.
    """

    fellow_id: str
    now: datetime
    period: Period
    hours_so_far: float
    counted_days: int
    average_so_far: float
    hours_left: float
    week_start: date
    week_hours: float
    days_off_so_far: int
    days_off_required: int
    days_available: int
    call_nights_so_far: int
    call_nights_max: int
    alerts: tuple[PreBreachAlert, ...]


def _overlap(start: int, end: int, lo: int, hi: int) -> int:
    return max(0, min(end, hi) - max(start, lo))


def _days(start: int, end: int) -> range:
    return range(start // SECONDS_PER_DAY, (end - 1) // SECONDS_PER_DAY + 1)


def _fellow_outlook(
    fellow_id: str,
    shifts: list[Shift],
    now: datetime,
    period: Period,
    limits: DutyHourLimits,
    warn_fraction: float,
) -> Outlook:
    now_s = to_seconds(now)
    p_lo, p_hi = day_seconds(period.start), day_seconds(period.end)
    day_lo, day_hi = p_lo // SECONDS_PER_DAY, p_hi // SECONDS_PER_DAY
    today = now_s // SECONDS_PER_DAY
    cap = limits.weekly_average_max_hours
    alerts: list[PreBreachAlert] = []

    work = [
        (to_seconds(s.start), min(to_seconds(s.end), now_s))
        for s in shifts
        if s.kind is not ShiftKind.LEAVE and to_seconds(s.start) < now_s
    ]
    leave = [(to_seconds(s.start), to_seconds(s.end)) for s in shifts if s.kind is ShiftKind.LEAVE]
    worked_days = {d for s, e in work for d in _days(s, e) if day_lo <= d < day_hi}
    leave_days = {d for s, e in leave for d in _days(s, e) if day_lo <= d < day_hi} - worked_days

    # WH1: the period average (CPR VI.F.1) and the budget left before it passes the cap.
    hours = sum(_overlap(s, e, p_lo, p_hi) for s, e in work) / SECONDS_PER_HOUR
    excluded = leave_days if limits.exclude_leave_from_average else set()
    counted = period.days - len(excluded)
    budget = cap * counted / 7
    hours_left = budget - hours
    # Counted days elapsed so far: the period's elapsed time less its past leave days.
    elapsed = (now_s - p_lo) / SECONDS_PER_DAY - sum(1 for d in excluded if d < today)
    if today in excluded:
        elapsed -= (now_s - today * SECONDS_PER_DAY) / SECONDS_PER_DAY
    average = hours * 7 / elapsed if elapsed > 0 else 0.0
    near = hours > 0 and hours >= warn_fraction * budget
    if hours_left < 0 or (elapsed >= 7 and average > cap) or near:
        state = "already past" if hours_left < 0 else f"{hours_left:.2f} h left"
        alerts.append(
            PreBreachAlert(
                fellow_id,
                Rule.WEEKLY_CAP,
                "period_average",
                hours_left,
                "hours",
                f"{hours:.2f} h worked in the period from {period.start} "
                f"({average:.2f} h/week so far); {state} before the {period.days}-day "
                f"average passes {cap:g} h/week",
            )
        )

    # WH1 early warning for the current week: a single week may pass 80 h, but it eats the
    # budget of the rest of the period.
    week_index = (now.date() - period.start).days // 7
    week_start = period.start + timedelta(days=7 * week_index)
    w_lo = day_seconds(week_start)
    w_hi = min(w_lo + 7 * SECONDS_PER_DAY, p_hi)
    week_hours = sum(_overlap(s, e, w_lo, w_hi) for s, e in work) / SECONDS_PER_HOUR
    if week_hours >= warn_fraction * cap:
        alerts.append(
            PreBreachAlert(
                fellow_id,
                Rule.WEEKLY_CAP,
                "week",
                cap - week_hours,
                "hours",
                f"{week_hours:.2f} h in the week from {week_start}; "
                f"{cap - week_hours:.2f} h left before this week passes {cap:g} h",
            )
        )

    # WH4: days off so far (past days without work) against what the period requires.
    required = period.days // limits.days_per_day_off
    off_so_far = sum(1 for d in range(day_lo, min(today, day_hi)) if d not in worked_days)
    available = max(0, day_hi - max(today, day_lo)) - (1 if today in worked_days else 0)
    needed = max(0, required - off_so_far)
    slack = available - needed
    if needed > 0 and slack <= 1:
        alerts.append(
            PreBreachAlert(
                fellow_id,
                Rule.DAY_OFF,
                "days_off",
                float(slack),
                "days",
                f"{off_so_far} of {required} days off taken; {needed} more needed in the "
                f"{available} days left that can still be free; "
                + (
                    "a breach is certain"
                    if slack < 0
                    else f"at most {slack} more day(s) with work this period"
                ),
            )
        )

    # WH13: in-house call nights so far (midnights on call before now).
    nights = {
        m // SECONDS_PER_DAY - 1
        for s in shifts
        if s.kind is ShiftKind.IN_HOUSE_CALL
        for m in range(
            -(-to_seconds(s.start) // SECONDS_PER_DAY) * SECONDS_PER_DAY,
            min(to_seconds(s.end), now_s + 1),
            SECONDS_PER_DAY,
        )
    }
    nights_in = sum(1 for d in nights if day_lo <= d < day_hi)
    max_nights = period.days // limits.call_every_nth_night
    if max_nights - nights_in <= 1:
        alerts.append(
            PreBreachAlert(
                fellow_id,
                Rule.CALL_FREQUENCY,
                "call_nights",
                float(max_nights - nights_in),
                "nights",
                f"{nights_in} of at most {max_nights} in-house call nights used in the "
                f"period from {period.start}; {max_nights - nights_in} left",
            )
        )

    return Outlook(
        fellow_id=fellow_id,
        now=now,
        period=period,
        hours_so_far=hours,
        counted_days=counted,
        average_so_far=average,
        hours_left=hours_left,
        week_start=week_start,
        week_hours=week_hours,
        days_off_so_far=off_so_far,
        days_off_required=required,
        days_available=available,
        call_nights_so_far=nights_in,
        call_nights_max=max_nights,
        alerts=tuple(alerts),
    )


def breach_outlook(
    shifts: Iterable[Shift],
    now: datetime,
    calendar: PeriodCalendar,
    limits: DutyHourLimits = DEFAULT_LIMITS,
    warn_fraction: float = 0.9,
) -> list[Outlook]:
    """Per fellow, the standing in the current period and alerts before a breach.

    Rules watched (ACGME CPR VI.F via training-rules.md section 2; issue 5 "warning before a
    breach"): WH1 - alert when the period's hours reach ``warn_fraction`` of the budget,
    when after a week of counted days the average so far is over the cap, or when the
    budget is gone; also when the current week reaches ``warn_fraction`` of the cap.
    WH4 - alert when at most one more day with work is possible before the period cannot
    reach its days off. WH13 - alert when at most one in-house call night is left.
    Returns one :class:`Outlook` per fellow (sorted by id); empty when ``now`` is outside
    the calendar.
    """
    period = calendar.period_of(now.date())
    if period is None:
        return []
    by_fellow: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_fellow[shift.fellow_id].append(shift)
    return [
        _fellow_outlook(fellow_id, by_fellow[fellow_id], now, period, limits, warn_fraction)
        for fellow_id in sorted(by_fellow)
    ]
