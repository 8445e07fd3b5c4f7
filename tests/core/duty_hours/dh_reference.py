"""A plain, slow, obviously-correct reference of the work-hour rules, for tests only.

It restates the definitions of ``painfellow.core.duty_hours.rules`` one shift, one day and
one minute-free loop at a time, with datetimes instead of arrays.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, datetime, timedelta

from painfellow.core.duty_hours import DutyHourLimits, PeriodCalendar, Shift, ShiftKind

IN_HOUSE = {ShiftKind.IN_HOUSE, ShiftKind.IN_HOUSE_CALL}

# (fellow_id, rule id, start, end, excess rounded to 6 places)
Row = tuple[str, str, datetime, datetime, float]


def _chains(shifts: list[Shift], tolerance: timedelta) -> list[list[Shift]]:
    chains: list[list[Shift]] = []
    for shift in sorted(shifts, key=lambda s: s.start):
        if chains and shift.start - chains[-1][-1].end <= tolerance:
            chains[-1].append(shift)
        else:
            chains.append([shift])
    return chains


def _covered_days(shift: Shift) -> set[date]:
    days = set()
    day = shift.start.date()
    while datetime.combine(day, datetime.min.time()) < shift.end:
        days.add(day)
        day += timedelta(days=1)
    return days


def _call_nights(shift: Shift) -> set[date]:
    nights = set()
    midnight = datetime.combine(shift.start.date(), datetime.min.time())
    if midnight < shift.start:
        midnight += timedelta(days=1)
    while midnight < shift.end:
        nights.add(midnight.date() - timedelta(days=1))
        midnight += timedelta(days=1)
    return nights


def reference_findings(
    shifts: list[Shift], calendar: PeriodCalendar, limits: DutyHourLimits
) -> list[Row]:
    hour = timedelta(hours=1)
    tol = timedelta(minutes=limits.continuity_tolerance_minutes)
    rows: list[Row] = []
    by_fellow: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        by_fellow[shift.fellow_id].append(shift)

    for fellow, own in by_fellow.items():
        work = [s for s in own if s.kind is not ShiftKind.LEAVE]
        chains = _chains(work, tol)
        for chain in chains:
            length = (chain[-1].end - chain[0].start) / hour
            if length > limits.continuous_max_hours:
                rule, limit = "WH6_transition_addon", limits.continuous_max_hours
            elif length > limits.continuous_warning_hours:
                rule, limit = "WH5_max_continuous_scheduled", limits.continuous_warning_hours
            else:
                continue
            rows.append((fellow, rule, chain[0].start, chain[-1].end, round(length - limit, 6)))
        for chain, after in itertools.pairwise(chains):
            length = (chain[-1].end - chain[0].start) / hour
            gap = (after[0].start - chain[-1].end) / hour
            if (
                length >= limits.long_stretch_hours
                and any(s.kind in IN_HOUSE for s in chain)
                and gap < limits.rest_after_long_stretch_hours
            ):
                rows.append(
                    (
                        fellow,
                        "WH3_post_24h_inhouse_call_rest",
                        chain[-1].end,
                        after[0].start,
                        round(limits.rest_after_long_stretch_hours - gap, 6),
                    )
                )
        scheduled = _chains([s for s in work if s.kind is not ShiftKind.HOME_CALL_WORKED], tol)
        for chain, after in itertools.pairwise(scheduled):
            gap = (after[0].start - chain[-1].end) / hour
            if gap < limits.rest_between_shifts_hours:
                rows.append(
                    (
                        fellow,
                        "WH2_rest_between_periods",
                        chain[-1].end,
                        after[0].start,
                        round(limits.rest_between_shifts_hours - gap, 6),
                    )
                )

        worked_days = set().union(*(_covered_days(s) for s in work)) if work else set()
        leave_days = set()
        for s in own:
            if s.kind is ShiftKind.LEAVE:
                leave_days |= _covered_days(s)
        leave_days -= worked_days
        nights = set()
        for s in own:
            if s.kind is ShiftKind.IN_HOUSE_CALL:
                nights |= _call_nights(s)
        for period in calendar.periods:
            lo = datetime.combine(period.start, datetime.min.time())
            hi = datetime.combine(period.end, datetime.min.time())
            days = [period.start + timedelta(days=i) for i in range(period.days)]
            hours = sum(max(timedelta(0), min(s.end, hi) - max(s.start, lo)) / hour for s in work)
            leave_in = sum(1 for d in days if d in leave_days)
            counted = period.days - leave_in if limits.exclude_leave_from_average else period.days
            if counted and hours * 7 / counted > limits.weekly_average_max_hours + 1e-9:
                avg = hours * 7 / counted
                rows.append(
                    (
                        fellow,
                        "WH1_weekly_cap",
                        lo,
                        hi,
                        round(avg - limits.weekly_average_max_hours, 6),
                    )
                )
            off = sum(1 for d in days if d not in worked_days)
            required = period.days // limits.days_per_day_off
            if off < required:
                rows.append((fellow, "WH4_day_off_in_seven", lo, hi, float(required - off)))
            n_nights = sum(1 for d in days if d in nights)
            most = period.days // limits.call_every_nth_night
            if n_nights > most:
                rows.append((fellow, "WH13_inhouse_call_frequency", lo, hi, float(n_nights - most)))
    return sorted(rows, key=lambda r: (r[0], r[2], r[1], r[3]))
