"""Worked scenarios for each work-hour rule, just under and just over each limit."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from painfellow.core.duty_hours import (
    DEFAULT_LIMITS,
    DutyHourLimits,
    Finding,
    OverlappingShiftsError,
    PeriodCalendar,
    Rule,
    Severity,
    Shift,
    ShiftKind,
    ShiftTable,
    academic_calendar,
    block_calendar,
    check_shifts,
)

CAL = academic_calendar(date(2024, 7, 1), date(2025, 6, 30))  # P1 = Jul 1 .. Jul 28
K = ShiftKind


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def sh(start: str, end: str, kind: ShiftKind = K.IN_HOUSE, fellow: str = "F1") -> Shift:
    return Shift(fellow, at(start), at(end), kind)


def days(first: date, count: int, step: int = 1) -> list[date]:
    return [first + timedelta(days=step * i) for i in range(count)]


def day_shift(day: date, start_h: int, hours: float, kind: ShiftKind = K.IN_HOUSE) -> Shift:
    begin = datetime.combine(day, datetime.min.time()) + timedelta(hours=start_h)
    return Shift("F1", begin, begin + timedelta(hours=hours), kind)


def weekdays_of_p1() -> list[date]:
    return [d for d in days(date(2024, 7, 1), 28) if d.weekday() < 5]  # 20 days


def only(findings: list[Finding], rule: Rule) -> list[Finding]:
    return [f for f in findings if f.rule is rule]


def check(shifts: list[Shift], calendar: PeriodCalendar = CAL, **limits: object) -> list[Finding]:
    chosen = DutyHourLimits(**limits) if limits else DEFAULT_LIMITS  # type: ignore[arg-type]
    return check_shifts(shifts, calendar, chosen)


# ---- WH1: 80 hours per week averaged over the 4-week period ---------------------------


def sixteen_hour_weekdays(last_extra_minutes: int) -> list[Shift]:
    shifts = [day_shift(d, 6, 16) for d in weekdays_of_p1()]  # 20 x 16 h = 320 h = 80 h/week
    last = shifts[-1]
    shifts[-1] = Shift(
        "F1", last.start, last.end + timedelta(minutes=last_extra_minutes), last.kind
    )
    return shifts


def test_weekly_average_exactly_80_is_allowed() -> None:
    assert check(sixteen_hour_weekdays(0)) == []


def test_weekly_average_79_9_is_allowed() -> None:
    assert check(sixteen_hour_weekdays(-24)) == []  # 319.6 h / 4 weeks


def test_weekly_average_80_1_is_a_violation() -> None:
    [finding] = check(sixteen_hour_weekdays(24))  # 320.4 h / 4 weeks
    assert finding.rule is Rule.WEEKLY_CAP
    assert finding.severity is Severity.VIOLATION
    assert finding.start == at("2024-07-01T00:00") and finding.end == at("2024-07-29T00:00")
    assert finding.measured == pytest.approx(80.1)
    assert finding.excess == pytest.approx(0.1)
    assert finding.unit == "hours/week"
    assert "80.10 h/week" in finding.detail and "320.40 h" in finding.detail


@pytest.mark.parametrize(
    "kind", [K.MOONLIGHTING_EXTERNAL, K.MOONLIGHTING_INTERNAL, K.HOME_CALL_WORKED, K.EDUCATIONAL]
)
def test_moonlighting_home_call_work_and_teaching_count_toward_80(kind: ShiftKind) -> None:
    shifts = [day_shift(d, 6, 16) for d in weekdays_of_p1()[:-1]]  # 304 h
    shifts.append(day_shift(date(2024, 7, 27), 6, 16.4, kind))  # a Saturday
    assert [f.rule for f in check(shifts)] == [Rule.WEEKLY_CAP]


def test_leave_hours_do_not_count_toward_80() -> None:
    shifts = [day_shift(d, 6, 16) for d in weekdays_of_p1()[:-1]]  # 304 h
    shifts.append(day_shift(date(2024, 7, 27), 6, 16.4, K.LEAVE))
    assert check(shifts) == []


def test_leave_days_are_left_out_of_the_average_by_default() -> None:
    work_days = [*weekdays_of_p1()[:15], date(2024, 7, 6)]  # 16 days x 16 h = 256 h
    shifts = [day_shift(d, 6, 16) for d in work_days]
    shifts.append(sh("2024-07-22T00:00", "2024-07-29T00:00", K.LEAVE))  # a week of leave
    [finding] = check(shifts)  # 256 h over 21 counted days = 85.33 h/week
    assert finding.rule is Rule.WEEKLY_CAP
    assert finding.measured == pytest.approx(256 * 7 / 21)
    assert "21 counted days (7 leave days" in finding.detail
    assert check(shifts, exclude_leave_from_average=False) == []  # 64 h/week over 28 days


def test_a_shift_crossing_into_the_next_period_is_split_at_midnight() -> None:
    shifts = [day_shift(d, 6, 16) for d in weekdays_of_p1()[:-1]]  # 304 h
    # Sunday Jul 28 08:00 to Monday Jul 29 08:00: 16 h in P1, 8 h in P2.
    shifts.append(sh("2024-07-28T08:00", "2024-07-29T08:00", K.IN_HOUSE_CALL))
    assert only(check(shifts), Rule.WEEKLY_CAP) == []
    shifts[-1] = sh("2024-07-28T07:59", "2024-07-29T07:59", K.IN_HOUSE_CALL)
    assert len(only(check(shifts), Rule.WEEKLY_CAP)) == 1  # 320.02 h in P1


def test_the_88_hour_exception_is_a_setting() -> None:
    shifts = sixteen_hour_weekdays(24)
    assert check(shifts, weekly_average_max_hours=88) == []


# ---- WH4: one day in seven free, averaged over the period -----------------------------


def eight_hour_days(worked: list[date]) -> list[Shift]:
    return [day_shift(d, 8, 8) for d in worked]


def test_four_days_off_in_a_4_week_period_is_enough() -> None:
    assert check(eight_hour_days(days(date(2024, 7, 1), 24))) == []


def test_three_days_off_in_a_4_week_period_is_a_violation() -> None:
    [finding] = check(eight_hour_days(days(date(2024, 7, 1), 25)))
    assert finding.rule is Rule.DAY_OFF and finding.severity is Severity.VIOLATION
    assert (finding.measured, finding.limit, finding.excess) == (3, 4, 1)
    assert finding.unit == "days"
    assert "3 day(s) off in 28 days" in finding.detail


def test_leave_days_count_as_days_off() -> None:
    shifts = eight_hour_days(days(date(2024, 7, 1), 24))
    shifts.append(sh("2024-07-25T00:00", "2024-07-29T00:00", K.LEAVE))
    assert check(shifts) == []


def test_at_home_call_work_spoils_a_day_off() -> None:
    shifts = eight_hour_days(days(date(2024, 7, 1), 24))
    shifts.append(sh("2024-07-27T20:00", "2024-07-27T21:00", K.HOME_CALL_WORKED))
    [finding] = check(shifts)
    assert finding.rule is Rule.DAY_OFF and finding.measured == 3


def test_a_shift_ending_at_midnight_leaves_the_next_day_free() -> None:
    shifts = eight_hour_days(days(date(2024, 7, 1), 23))
    shifts.append(sh("2024-07-24T16:00", "2024-07-25T00:00"))  # day 24 ends at midnight
    assert check(shifts) == []
    shifts[-1] = sh("2024-07-24T16:00", "2024-07-25T00:01")  # crosses into day 25
    assert [f.rule for f in check(shifts)] == [Rule.DAY_OFF]


def test_days_off_are_counted_per_period_not_across_the_boundary() -> None:
    # 8 free days straddle the boundary (Jul 25..Aug 1), 4 on each side: both periods pass.
    worked = days(date(2024, 7, 1), 24) + days(date(2024, 8, 2), 24)
    assert check(eight_hour_days(worked)) == []
    # Shift the free days to Jul 26..Aug 2: P1 keeps only 3.
    worked = days(date(2024, 7, 1), 25) + days(date(2024, 8, 3), 23)
    [finding] = check(eight_hour_days(worked))
    assert finding.start == at("2024-07-01T00:00") and finding.rule is Rule.DAY_OFF


# ---- WH5 / WH6: continuous work over 24 h (warning) and over 24 + 4 h (violation) -----


def chain(total_minutes: int) -> list[Shift]:
    """A day shift, then in-house call, touching: one continuous stretch."""
    start = at("2024-07-02T07:00")
    mid = start + timedelta(hours=10)
    return [
        Shift("F1", start, mid, K.IN_HOUSE),
        Shift("F1", mid, start + timedelta(minutes=total_minutes), K.IN_HOUSE_CALL),
    ]


def test_exactly_24_hours_continuous_is_allowed() -> None:
    assert check(chain(24 * 60)) == []


def test_over_24_hours_continuous_is_a_warning() -> None:
    [finding] = check(chain(24 * 60 + 1))
    assert finding.rule is Rule.CONTINUOUS_24H and finding.severity is Severity.WARNING
    assert finding.start == at("2024-07-02T07:00") and finding.end == at("2024-07-03T07:01")
    assert finding.excess == pytest.approx(1 / 60)
    assert "24.02 h (24h01m)" in finding.detail


def test_exactly_28_hours_continuous_is_only_a_warning() -> None:
    [finding] = check(chain(28 * 60))
    assert finding.rule is Rule.CONTINUOUS_24H
    assert finding.excess == pytest.approx(4)


def test_over_28_hours_continuous_is_a_violation() -> None:
    [finding] = check(chain(28 * 60 + 1))
    assert finding.rule is Rule.CONTINUOUS_28H and finding.severity is Severity.VIOLATION
    assert finding.excess == pytest.approx(1 / 60)
    assert finding.limit == 28


def test_gaps_up_to_the_tolerance_keep_work_continuous() -> None:
    first = sh("2024-07-02T07:00", "2024-07-02T19:00")
    within = sh("2024-07-02T19:15", "2024-07-03T07:15", K.IN_HOUSE_CALL)  # 15 min gap
    beyond = sh("2024-07-02T19:16", "2024-07-03T07:16", K.IN_HOUSE_CALL)  # 16 min gap
    [finding] = check([first, within])
    assert finding.rule is Rule.CONTINUOUS_24H
    assert finding.measured == pytest.approx(24.25)
    assert [f.rule for f in check([first, beyond])] == [Rule.REST_BETWEEN]


def test_leave_does_not_join_work_into_one_stretch() -> None:
    shifts = [
        sh("2024-07-02T07:00", "2024-07-02T19:00"),
        sh("2024-07-02T19:00", "2024-07-03T07:00", K.LEAVE),
        sh("2024-07-03T07:00", "2024-07-03T19:00"),
    ]
    assert check(shifts) == []


# ---- WH3: 14 hours free after 24 hours of continuous in-house work --------------------


def call_then_back_after(free: str, call_kind: ShiftKind = K.IN_HOUSE_CALL) -> list[Shift]:
    hours, minutes = (int(x) for x in free.split(":"))
    back = at("2024-07-03T07:00") + timedelta(hours=hours, minutes=minutes)
    return [
        sh("2024-07-02T07:00", "2024-07-03T07:00", call_kind),
        Shift("F1", back, back + timedelta(hours=6), K.IN_HOUSE),
    ]


def test_14_hours_free_after_a_24_hour_call_is_enough() -> None:
    assert check(call_then_back_after("14:00")) == []


def test_13_59_free_after_a_24_hour_call_is_a_violation() -> None:
    [finding] = check(call_then_back_after("13:59"))
    assert finding.rule is Rule.REST_AFTER_24H and finding.severity is Severity.VIOLATION
    assert finding.start == at("2024-07-03T07:00") and finding.end == at("2024-07-03T20:59")
    assert finding.measured == pytest.approx(13 + 59 / 60)
    assert finding.excess == pytest.approx(1 / 60)
    assert "13.98 h (13h59m) free after 24.00 h" in finding.detail


def test_short_rest_after_under_24_hours_is_not_wh3() -> None:
    shifts = [sh("2024-07-02T07:01", "2024-07-03T07:00", K.IN_HOUSE_CALL)]
    shifts.append(sh("2024-07-03T16:00", "2024-07-03T20:00"))  # 9 h later
    assert check(shifts) == []


def test_24_hours_of_outside_moonlighting_does_not_trigger_wh3() -> None:
    assert check(call_then_back_after("10:00", K.MOONLIGHTING_EXTERNAL)) == []


def test_at_home_call_work_interrupts_the_14_hours() -> None:
    shifts = [
        sh("2024-07-02T07:00", "2024-07-03T07:00", K.IN_HOUSE_CALL),
        sh("2024-07-03T19:00", "2024-07-03T20:00", K.HOME_CALL_WORKED),
    ]
    [finding] = check(shifts)
    assert finding.rule is Rule.REST_AFTER_24H and finding.measured == pytest.approx(12)


# ---- WH2: 8 hours between shifts (warning) -------------------------------------------


def two_days(free: str, kind: ShiftKind = K.IN_HOUSE) -> list[Shift]:
    hours, minutes = (int(x) for x in free.split(":"))
    back = at("2024-07-02T17:00") + timedelta(hours=hours, minutes=minutes)
    return [
        sh("2024-07-02T07:00", "2024-07-02T17:00"),
        Shift("F1", back, back + timedelta(hours=8), kind),
    ]


def test_8_hours_between_shifts_is_enough() -> None:
    assert check(two_days("8:00")) == []


def test_7_59_between_shifts_is_a_warning() -> None:
    [finding] = check(two_days("7:59"))
    assert finding.rule is Rule.REST_BETWEEN and finding.severity is Severity.WARNING
    assert finding.start == at("2024-07-02T17:00") and finding.end == at("2024-07-03T00:59")
    assert finding.excess == pytest.approx(1 / 60)


def test_at_home_call_work_is_not_a_scheduled_period_for_wh2() -> None:
    shifts = [
        sh("2024-07-02T07:00", "2024-07-02T17:00"),
        sh("2024-07-02T22:00", "2024-07-02T23:00", K.HOME_CALL_WORKED),
        sh("2024-07-03T05:30", "2024-07-03T15:00"),
    ]
    assert check(shifts) == []
    shifts[1] = sh("2024-07-02T22:00", "2024-07-02T23:00", K.IN_HOUSE)
    assert [f.rule for f in check(shifts)] == [Rule.REST_BETWEEN, Rule.REST_BETWEEN]


# ---- WH13: in-house call no more often than every third night ------------------------


def calls(nights: list[date]) -> list[Shift]:
    return [day_shift(d, 7, 24, K.IN_HOUSE_CALL) for d in nights]


def test_9_call_nights_in_a_4_week_period_is_allowed() -> None:
    assert check(calls(days(date(2024, 7, 1), 9, step=2))) == []


def test_10_call_nights_in_a_4_week_period_is_a_violation() -> None:
    [finding] = check(calls(days(date(2024, 7, 1), 10, step=2)))
    assert finding.rule is Rule.CALL_FREQUENCY and finding.severity is Severity.VIOLATION
    assert (finding.measured, finding.limit, finding.excess) == (10, 9, 1)
    assert finding.unit == "nights"


def test_a_call_night_belongs_to_the_period_of_its_evening() -> None:
    nights = [*days(date(2024, 7, 2), 9, step=2), date(2024, 7, 28)]  # last night Jul 28-29
    [finding] = check(calls(nights))
    assert finding.start == at("2024-07-01T00:00")


def test_a_call_split_at_midnight_is_one_night() -> None:
    shifts = []
    for d in days(date(2024, 7, 1), 10, step=2):
        evening = datetime.combine(d, datetime.min.time())
        shifts.append(
            Shift("F1", evening + timedelta(hours=17), evening + timedelta(days=1), K.IN_HOUSE_CALL)
        )
        shifts.append(
            Shift(
                "F1",
                evening + timedelta(days=1),
                evening + timedelta(days=1, hours=7),
                K.IN_HOUSE_CALL,
            )
        )
    [finding] = check(shifts)
    assert finding.measured == 10


def test_daytime_in_house_call_is_not_a_call_night() -> None:
    shifts = [day_shift(d, 8, 12, K.IN_HOUSE_CALL) for d in days(date(2024, 7, 1), 12, step=2)]
    assert check(shifts) == []


# ---- periods and calendars ------------------------------------------------------------


def test_custom_block_calendar_sets_the_periods() -> None:
    calendar = block_calendar([date(2024, 7, 3), date(2024, 7, 17)], last_period_days=14)
    # 14-day blocks: at least 2 days off, at most 4 call nights.
    shifts = eight_hour_days(days(date(2024, 7, 3), 13))
    [finding] = check(shifts, calendar)
    assert finding.rule is Rule.DAY_OFF
    assert (finding.start, finding.end) == (at("2024-07-03T00:00"), at("2024-07-17T00:00"))
    assert (finding.measured, finding.limit) == (1, 2)
    assert check(eight_hour_days(days(date(2024, 7, 3), 12)), calendar) == []
    assert check(calls(days(date(2024, 7, 17), 5, step=2)), calendar)[0].limit == 4


def test_work_outside_the_calendar_is_only_checked_by_non_averaged_rules() -> None:
    shifts = eight_hour_days(days(date(2024, 6, 1), 28))  # June, before the calendar
    assert check(shifts) == []
    shifts.append(sh("2024-06-29T07:00", "2024-06-30T12:00"))
    assert [f.rule for f in check(shifts)] == [Rule.CONTINUOUS_28H]


def test_findings_are_sorted_by_fellow_start_and_rule() -> None:
    shifts = [
        Shift(s.fellow_id.replace("F1", "B"), s.start, s.end, s.kind)
        for s in eight_hour_days(days(date(2024, 7, 1), 28))
    ]
    shifts += [sh("2024-07-02T07:00", "2024-07-03T12:00", fellow="A")]
    shifts += [sh("2024-07-03T17:00", "2024-07-03T20:00", fellow="A")]
    found = check(shifts)
    keys = [(f.fellow_id, f.start, f.rule.value) for f in found]
    assert keys == sorted(keys)
    assert [(f.fellow_id, f.rule) for f in found] == [
        ("A", Rule.CONTINUOUS_28H),
        ("A", Rule.REST_BETWEEN),  # 5 h rest: both the 8 h "should" and the 14 h "must"
        ("A", Rule.REST_AFTER_24H),
        ("B", Rule.DAY_OFF),
    ]


def test_overlapping_shifts_of_one_fellow_are_refused() -> None:
    shifts = [
        sh("2024-07-02T07:00", "2024-07-02T17:00"),
        sh("2024-07-02T16:00", "2024-07-02T20:00"),
    ]
    with pytest.raises(OverlappingShiftsError):
        check(shifts)
    other = [shifts[0], sh("2024-07-02T16:00", "2024-07-02T20:00", fellow="F2")]
    assert check(other) == []


def test_a_shift_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="ends at or before"):
        sh("2024-07-02T07:00", "2024-07-02T07:00")


def test_no_shifts_or_only_leave_give_no_findings() -> None:
    assert check([]) == []
    assert check([sh("2024-07-01T00:00", "2024-09-01T00:00", K.LEAVE)]) == []


def test_shift_table_validates_its_arrays() -> None:
    with pytest.raises(ValueError, match="ends at or before"):
        ShiftTable.from_arrays(["F1"], [0], [3600], [3600], [0])
    with pytest.raises(ValueError, match="unknown shift kind"):
        ShiftTable.from_arrays(["F1"], [0], [0], [3600], [9])
    with pytest.raises(ValueError, match="out of range"):
        ShiftTable.from_arrays(["F1"], [1], [0], [3600], [0])
