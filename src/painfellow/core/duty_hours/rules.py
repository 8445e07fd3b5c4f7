"""The ACGME clinical and educational work-hour checks, vectorised over many fellows.

Sources: ACGME Common Program Requirements VI.F (2025 numbering 6.20-6.28) as summarised in
training-rules.md section 2 (WH1-WH17) and encoded in section 9 (``work_hours``), with the
severities and limits of issue 5. Definitions used throughout:

* **Work** is every shift kind except ``leave`` (WH1, WH9, WH15). Leave is not work: a
  leave day is a day off, and leave hours never count toward 80.
* **Continuous work**: work shifts of one fellow chained while the next starts no more than
  ``continuity_tolerance_minutes`` (default 15) after the previous ends. The tolerance
  absorbs logging granularity and a walk between sites; a longer gap is a rest. The length
  of a stretch is from its first start to its last end.
* **Day off**: a calendar day (midnight to midnight, i.e. one continuous 24 h period) on
  which no work is logged (WH4's "continuous 24-h period free"). At-home call time worked
  is work, so it spoils a day off (WH4: at-home call may not be assigned on days off;
  WH14). Leave days are days off.
* **In-house call night**: a midnight spent on in-house call, counted for the evening's
  date: a call shift ``[start, end)`` covers each midnight ``m`` with ``start <= m < end``.
  A 24-hour call 07:00-07:00 is one night; a daytime-only call is none.
* **Periods**: the :class:`PeriodCalendar` periods; the limits scale with period length
  (at least ``days // 7`` days off, at most ``days // 3`` call nights: 4 and 9 for 28
  days, as in section 9's ``floor(window_days / 3)``). Work outside the calendar is only
  checked by the non-averaged rules.

Input shifts of one fellow must not overlap; :class:`OverlappingShiftsError` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from painfellow.core.duty_hours.findings import Finding, FindingTable, RuleCode
from painfellow.core.duty_hours.periods import PeriodCalendar
from painfellow.core.duty_hours.shifts import (
    IN_HOUSE_KINDS,
    KIND_CODES,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    Int64Array,
    KindCode,
    Overlap,
    Shift,
    ShiftTable,
    day_seconds,
    find_overlaps,
)

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class DutyHourLimits:
    """The numbers of the rules (defaults from training-rules.md section 9 and issue 5).

    ``weekly_average_max_hours`` may be raised to 88 where a Review Committee grants the
    10% exception (WH8; not known to apply to pain medicine, so off by default).
    ``exclude_leave_from_average``: vacation/leave days are left out of the denominator of
    the 4-week average (section 9 ``exclude_from_denominator: [vacation, leave]``, marked
    [S] verify); set False to average over every day of the period.
    """

    weekly_average_max_hours: float = 80.0
    days_per_day_off: int = 7
    continuous_warning_hours: float = 24.0
    continuous_max_hours: float = 28.0
    long_stretch_hours: float = 24.0
    rest_after_long_stretch_hours: float = 14.0
    rest_between_shifts_hours: float = 8.0
    call_every_nth_night: int = 3
    continuity_tolerance_minutes: int = 15
    exclude_leave_from_average: bool = True

    def seconds(self, hours: float) -> int:
        return round(hours * SECONDS_PER_HOUR)


DEFAULT_LIMITS = DutyHourLimits()


class OverlappingShiftsError(ValueError):
    """Shifts of one fellow overlap; the checks need a consistent log."""

    def __init__(self, overlaps: list[Overlap]) -> None:
        self.overlaps = overlaps
        first = overlaps[0]
        super().__init__(
            f"{len(overlaps)} overlapping shift pair(s); first: fellow {first.fellow_id}, "
            f"rows {first.first} and {first.second}"
        )


def _part(
    fellow: Int64Array,
    rule: RuleCode,
    start: Int64Array,
    end: Int64Array,
    measured: npt.NDArray[np.float64],
    limit: npt.NDArray[np.float64] | float,
    excess: npt.NDArray[np.float64],
    info: npt.NDArray[np.float64] | None = None,
) -> FindingTable:
    n = fellow.shape[0]
    return FindingTable(
        (),
        fellow.astype(np.int64, copy=False),
        np.full(n, int(rule), dtype=np.int8),
        start.astype(np.int64, copy=False),
        end.astype(np.int64, copy=False),
        np.asarray(measured, dtype=np.float64),
        np.broadcast_to(np.asarray(limit, dtype=np.float64), (n,)).copy(),
        np.asarray(excess, dtype=np.float64),
        np.zeros(n) if info is None else np.asarray(info, dtype=np.float64),
    )


@dataclass(frozen=True, slots=True)
class _Stretches:
    """Maximal runs of continuous work: first/last row of each run and their times."""

    first: Int64Array
    last: Int64Array
    fellow: Int64Array
    start: Int64Array
    end: Int64Array


def _stretches(fellow: Int64Array, start: Int64Array, end: Int64Array, tol: int) -> _Stretches:
    n = start.shape[0]
    new = np.ones(n, dtype=np.bool_)
    # Sorted, non-overlapping rows: the previous row's end is the running end of the stretch.
    new[1:] = (fellow[1:] != fellow[:-1]) | (start[1:] - end[:-1] > tol)
    first = np.flatnonzero(new).astype(np.int64)
    last = np.empty_like(first)
    last[:-1] = first[1:] - 1
    if n:
        last[-1] = n - 1
    return _Stretches(first, last, fellow[first], start[first], end[last])


def _gaps(st: _Stretches) -> tuple[Int64Array, Int64Array]:
    """Index of each stretch followed by another of the same fellow, and the gap after it."""
    idx = np.flatnonzero(st.fellow[1:] == st.fellow[:-1]).astype(np.int64)
    return idx, st.start[idx + 1] - st.end[idx]


def _continuity_findings(
    table: ShiftTable, work: BoolArray, limits: DutyHourLimits
) -> list[FindingTable]:
    fellow, start, end = table.fellow[work], table.start[work], table.end[work]
    if fellow.shape[0] == 0:
        return []
    tol = limits.continuity_tolerance_minutes * 60
    st = _stretches(fellow, start, end, tol)
    span = st.end - st.start
    warn_s = limits.seconds(limits.continuous_warning_hours)
    max_s = limits.seconds(limits.continuous_max_hours)
    parts: list[FindingTable] = []

    # WH5 (24 h, warning: the extra hours may be transitions) and WH6 (24 + 4 h, violation).
    for rule, mask, limit_s in (
        (RuleCode.CONTINUOUS_24H, (span > warn_s) & (span <= max_s), warn_s),
        (RuleCode.CONTINUOUS_28H, span > max_s, max_s),
    ):
        sel = np.flatnonzero(mask)
        parts.append(
            _part(
                st.fellow[sel],
                rule,
                st.start[sel],
                st.end[sel],
                span[sel] / SECONDS_PER_HOUR,
                limit_s / SECONDS_PER_HOUR,
                (span[sel] - limit_s) / SECONDS_PER_HOUR,
            )
        )

    # WH3: a stretch of >= 24 h that includes in-house work needs 14 h free after it.
    in_house = np.isin(table.kind[work], [int(KIND_CODES[k]) for k in IN_HOUSE_KINDS])
    has_in_house = np.add.reduceat(in_house.astype(np.int64), st.first) > 0
    long_s = limits.seconds(limits.long_stretch_hours)
    rest_s = limits.seconds(limits.rest_after_long_stretch_hours)
    idx, gap = _gaps(st)
    hit = (span[idx] >= long_s) & has_in_house[idx] & (gap < rest_s)
    sel, gap = idx[hit], gap[hit]
    parts.append(
        _part(
            st.fellow[sel],
            RuleCode.REST_AFTER_24H,
            st.end[sel],
            st.start[sel + 1],
            gap / SECONDS_PER_HOUR,
            rest_s / SECONDS_PER_HOUR,
            (rest_s - gap) / SECONDS_PER_HOUR,
            span[sel] / SECONDS_PER_HOUR,
        )
    )

    # WH2: 8 h between scheduled work periods (a "should": warning). At-home call work is
    # left out: it is not a scheduled period (training-rules.md WH2, WH15).
    sched = work & (table.kind != int(KindCode.HOME_CALL_WORKED))
    if np.any(sched):
        st2 = _stretches(table.fellow[sched], table.start[sched], table.end[sched], tol)
        between_s = limits.seconds(limits.rest_between_shifts_hours)
        idx, gap = _gaps(st2)
        hit = gap < between_s
        sel, gap = idx[hit], gap[hit]
        parts.append(
            _part(
                st2.fellow[sel],
                RuleCode.REST_BETWEEN,
                st2.end[sel],
                st2.start[sel + 1],
                gap / SECONDS_PER_HOUR,
                between_s / SECONDS_PER_HOUR,
                (between_s - gap) / SECONDS_PER_HOUR,
            )
        )
    return parts


def _mark_days(
    fellow: Int64Array,
    first_day: Int64Array,
    last_day: Int64Array,
    day0: int,
    n_days: int,
    n_fellows: int,
) -> BoolArray:
    """Boolean fellows x days matrix with days ``first_day..last_day`` of each row set."""
    marks = np.zeros(n_fellows * n_days, dtype=np.bool_)
    lo = np.maximum(first_day, day0) - day0
    hi = np.minimum(last_day, day0 + n_days - 1) - day0
    count = hi - lo + 1
    keep = count > 0
    lo, count, fel = lo[keep], count[keep], fellow[keep]
    if lo.shape[0]:
        total = int(count.sum())
        offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        marks[np.repeat(fel * n_days + lo, count) + offsets] = True
    return marks.reshape(n_fellows, n_days)


def _work_seconds_before(
    fellow: Int64Array,
    start: Int64Array,
    end: Int64Array,
    n_fellows: int,
    times: Int64Array,
) -> Int64Array:
    """Work seconds of each fellow before each of ``times`` (fellows x times).

    Rows are sorted by (fellow, start) and do not overlap, so on a combined key
    ``fellow * stride + start`` one binary search finds, for every fellow and time, the
    rows that started earlier; all of them but the last have ended by then.
    """
    if start.shape[0] == 0:
        return np.zeros((n_fellows, times.shape[0]), dtype=np.int64)
    base = min(int(start.min()), int(times.min())) - 1
    stride = max(int(end.max()), int(times.max())) - base + 1
    key = fellow * stride + (start - base)
    cum = np.concatenate(([0], np.cumsum(end - start)))
    fellows = np.arange(n_fellows, dtype=np.int64)
    query = fellows[:, None] * stride + (times[None, :] - base)
    idx = np.searchsorted(key, query.ravel(), side="left").reshape(query.shape)
    first = np.searchsorted(key, fellows * stride, side="left")[:, None]
    total = cum[idx] - cum[first]
    started = idx > first
    prev = np.where(started, idx - 1, 0)
    overhang = np.where(started, np.maximum(end[prev] - times[None, :], 0), 0)
    result: Int64Array = total - overhang
    return result


def _period_findings(
    table: ShiftTable, work: BoolArray, calendar: PeriodCalendar, limits: DutyHourLimits
) -> list[FindingTable]:
    n_fellows = len(table.fellow_ids)
    bounds_day = np.array(
        [day_seconds(d) // SECONDS_PER_DAY for d in (*calendar.starts, calendar.end)],
        dtype=np.int64,
    )
    bounds_s = bounds_day * SECONDS_PER_DAY
    day0 = int(bounds_day[0])
    n_days = int(bounds_day[-1] - day0)
    period_days = np.diff(bounds_day)
    offsets = bounds_day[:-1] - day0

    def per_period(marks: BoolArray) -> Int64Array:
        counts: Int64Array = np.add.reduceat(marks, offsets, axis=1, dtype=np.int64)
        return counts

    fellow, start, end, kind = table.fellow, table.start, table.end, table.kind
    w_f, w_s, w_e = fellow[work], start[work], end[work]
    # A row covers the days of [start, end): the day of its end is covered unless it ends
    # exactly at midnight.
    worked = _mark_days(
        w_f, w_s // SECONDS_PER_DAY, (w_e - 1) // SECONDS_PER_DAY, day0, n_days, n_fellows
    )
    leave_rows = kind == int(KindCode.LEAVE)
    leave = _mark_days(
        fellow[leave_rows],
        start[leave_rows] // SECONDS_PER_DAY,
        (end[leave_rows] - 1) // SECONDS_PER_DAY,
        day0,
        n_days,
        n_fellows,
    )
    call = kind == int(KindCode.IN_HOUSE_CALL)
    c_s, c_e = start[call], end[call]
    # Midnights m with start <= m < end are ceil(start/day) .. ceil(end/day) - 1; each night
    # is dated by the evening before it.
    nights = _mark_days(
        fellow[call],
        -(-c_s // SECONDS_PER_DAY) - 1,
        -(-c_e // SECONDS_PER_DAY) - 2,
        day0,
        n_days,
        n_fellows,
    )
    worked_days = per_period(worked)
    leave_days = per_period(leave & ~worked)
    call_nights = per_period(nights)
    cum = _work_seconds_before(w_f, w_s, w_e, n_fellows, bounds_s)
    work_s = cum[:, 1:] - cum[:, :-1]

    parts: list[FindingTable] = []
    period_start = np.broadcast_to(bounds_s[:-1], work_s.shape)
    period_end = np.broadcast_to(bounds_s[1:], work_s.shape)
    fellows = np.broadcast_to(np.arange(n_fellows, dtype=np.int64)[:, None], work_s.shape)

    # WH1: hours / (counted days / 7) > 80, compared exactly in integer seconds.
    counted = period_days - leave_days if limits.exclude_leave_from_average else period_days
    counted = np.broadcast_to(counted, work_s.shape)
    week_s = limits.seconds(limits.weekly_average_max_hours)
    over = work_s * 7 > week_s * counted
    avg = work_s[over] / SECONDS_PER_HOUR * 7 / counted[over]
    parts.append(
        _part(
            fellows[over],
            RuleCode.WEEKLY_CAP,
            period_start[over],
            period_end[over],
            avg,
            week_s / SECONDS_PER_HOUR,
            avg - week_s / SECONDS_PER_HOUR,
            work_s[over] / SECONDS_PER_HOUR,
        )
    )

    # WH4: at least one day off per 7 days of the period.
    days_off = period_days - worked_days
    required = np.broadcast_to(period_days // limits.days_per_day_off, work_s.shape)
    short = days_off < required
    parts.append(
        _part(
            fellows[short],
            RuleCode.DAY_OFF,
            period_start[short],
            period_end[short],
            days_off[short].astype(np.float64),
            required[short].astype(np.float64),
            (required[short] - days_off[short]).astype(np.float64),
        )
    )

    # WH13: in-house call no more often than every third night.
    max_nights = np.broadcast_to(period_days // limits.call_every_nth_night, work_s.shape)
    many = call_nights > max_nights
    parts.append(
        _part(
            fellows[many],
            RuleCode.CALL_FREQUENCY,
            period_start[many],
            period_end[many],
            call_nights[many].astype(np.float64),
            max_nights[many].astype(np.float64),
            (call_nights[many] - max_nights[many]).astype(np.float64),
        )
    )
    return parts


def check_shift_table(
    table: ShiftTable, calendar: PeriodCalendar, limits: DutyHourLimits = DEFAULT_LIMITS
) -> FindingTable:
    """All work-hour findings of all fellows in ``table`` (fast array engine).

    Enforces ACGME CPR VI.F as listed in training-rules.md section 2 with the limits of
    issue 5: WH1 average over each period > 80 h/week (violation); WH4 fewer than 1 day
    off in 7 per period (violation); WH13 more than one in-house call night in 3 per period
    (violation); WH5 continuous work > 24 h (warning) and WH6 > 24 + 4 h (violation); WH3
    under 14 h free after >= 24 h of continuous work that includes in-house work
    (violation); WH2 under 8 h between scheduled work periods (warning). The definitions
    are in this module's docstring. Raises :class:`OverlappingShiftsError` if shifts of
    one fellow overlap.
    """
    overlaps = find_overlaps(table)
    if overlaps:
        raise OverlappingShiftsError(overlaps)
    work = table.kind != int(KindCode.LEAVE)
    parts = _continuity_findings(table, work, limits)
    parts.extend(_period_findings(table, work, calendar, limits))
    return FindingTable.concat(table.fellow_ids, parts).sorted()


def check_shifts(
    shifts: Iterable[Shift],
    calendar: PeriodCalendar,
    limits: DutyHourLimits = DEFAULT_LIMITS,
) -> list[Finding]:
    """Work-hour findings for shift records, sorted by fellow, start and rule.

    Same rules and sources as :func:`check_shift_table` (ACGME CPR VI.F via
    training-rules.md section 2, limits of issue 5); this is the convenient entry for small
    inputs such as one fellow's log on a web page.
    """
    return check_shift_table(ShiftTable.from_shifts(shifts), calendar, limits).to_findings()
