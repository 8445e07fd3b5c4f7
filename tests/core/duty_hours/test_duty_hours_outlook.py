"""The warning-before-a-breach function: budget left and alerts, with ``now`` passed in."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from painfellow.core.duty_hours import (
    Outlook,
    Rule,
    Shift,
    ShiftKind,
    academic_calendar,
    breach_outlook,
)

CAL = academic_calendar(date(2024, 7, 1), date(2025, 6, 30))  # P1 = Jul 1 .. Jul 28
K = ShiftKind


def day_shift(day: date, start_h: int, hours: float, kind: ShiftKind = K.IN_HOUSE) -> Shift:
    begin = datetime.combine(day, datetime.min.time()) + timedelta(hours=start_h)
    return Shift("F1", begin, begin + timedelta(hours=hours), kind)


def days(first: date, count: int, step: int = 1) -> list[date]:
    return [first + timedelta(days=step * i) for i in range(count)]


def outlook(shifts: list[Shift], now: str) -> Outlook:
    [result] = breach_outlook(shifts, datetime.fromisoformat(now), CAL)
    return result


def topics(result: Outlook) -> list[str]:
    return [a.topic for a in result.alerts]


def test_light_schedule_has_budget_and_no_alerts() -> None:
    result = outlook([day_shift(d, 8, 8) for d in days(date(2024, 7, 1), 10)], "2024-07-11T00:00")
    assert result.hours_so_far == 80
    assert result.hours_left == 320 - 80
    assert result.average_so_far == pytest.approx(80 * 7 / 10)
    assert result.alerts == ()


def test_period_average_heading_past_80_reports_the_budget_left() -> None:
    shifts = [day_shift(d, 7, 12) for d in days(date(2024, 7, 1), 14)]  # 168 h in 2 weeks
    result = outlook(shifts, "2024-07-15T00:00")
    assert result.average_so_far == pytest.approx(84)
    [alert] = [a for a in result.alerts if a.topic == "period_average"]
    assert alert.rule is Rule.WEEKLY_CAP
    assert alert.remaining == pytest.approx(320 - 168)
    assert "152.00 h left" in alert.detail


def test_average_under_80_after_two_weeks_does_not_alert() -> None:
    shifts = [day_shift(d, 7, 11) for d in days(date(2024, 7, 1), 14)]  # 77 h/week
    assert "period_average" not in topics(outlook(shifts, "2024-07-15T00:00"))


def test_spent_budget_is_reported_as_already_past() -> None:
    shifts = [day_shift(d, 0, 20) for d in days(date(2024, 7, 1), 17)]  # 340 h
    [alert] = [a for a in outlook(shifts, "2024-07-18T00:00").alerts if a.topic == "period_average"]
    assert alert.remaining == pytest.approx(-20)
    assert "already past" in alert.detail


def test_planned_leave_shrinks_the_budget_and_shifts_after_now_do_not_count() -> None:
    shifts = [day_shift(d, 8, 8) for d in days(date(2024, 7, 1), 10)]
    shifts.append(day_shift(date(2024, 7, 20), 8, 8))  # after now
    shifts.append(Shift("F1", datetime(2024, 7, 22), datetime(2024, 7, 29), K.LEAVE))
    result = outlook(shifts, "2024-07-11T00:00")
    assert result.hours_so_far == 80
    assert result.counted_days == 21
    assert result.hours_left == pytest.approx(240 - 80)


def test_a_week_nearing_80_hours_alerts_with_hours_left() -> None:
    shifts = [day_shift(d, 6, 15) for d in days(date(2024, 7, 8), 5)]  # 75 h this week
    result = outlook(shifts, "2024-07-13T00:00")
    [alert] = [a for a in result.alerts if a.topic == "week"]
    assert result.week_start == date(2024, 7, 8)
    assert alert.remaining == pytest.approx(5)
    shifts = [day_shift(d, 6, 14) for d in days(date(2024, 7, 8), 5)]  # 70 h
    assert "week" not in topics(outlook(shifts, "2024-07-13T00:00"))


def test_days_off_alert_when_at_most_one_more_working_day_is_possible() -> None:
    worked = [day_shift(d, 8, 8) for d in days(date(2024, 7, 1), 22)]  # Jul 1..22 worked
    before_work = outlook(worked, "2024-07-23T06:00")  # 6 days left, 4 needed
    assert (before_work.days_off_so_far, before_work.days_available) == (0, 6)
    assert "days_off" not in topics(before_work)
    at_work = outlook([*worked, day_shift(date(2024, 7, 23), 5, 8)], "2024-07-23T06:00")
    [alert] = [a for a in at_work.alerts if a.topic == "days_off"]
    assert alert.rule is Rule.DAY_OFF and alert.remaining == 1


def test_days_off_breach_certain_is_negative() -> None:
    worked = [day_shift(d, 8, 8) for d in days(date(2024, 7, 1), 25)]
    [alert] = [a for a in outlook(worked, "2024-07-25T12:00").alerts if a.topic == "days_off"]
    assert alert.remaining == -1
    assert "certain" in alert.detail


def test_call_nights_alert_when_one_or_none_left() -> None:
    def calls(n: int) -> list[Shift]:
        return [day_shift(d, 7, 24, K.IN_HOUSE_CALL) for d in days(date(2024, 7, 1), n, step=3)]

    assert "call_nights" not in topics(outlook(calls(7), "2024-07-25T12:00"))
    result = outlook(calls(8), "2024-07-25T12:00")
    [alert] = [a for a in result.alerts if a.topic == "call_nights"]
    assert (result.call_nights_so_far, result.call_nights_max, alert.remaining) == (8, 9, 1)


def test_a_call_in_progress_counts_its_night_only_once_midnight_has_passed() -> None:
    call = [day_shift(date(2024, 7, 10), 7, 24, K.IN_HOUSE_CALL)]
    assert outlook(call, "2024-07-10T23:00").call_nights_so_far == 0
    assert outlook(call, "2024-07-11T01:00").call_nights_so_far == 1


def test_now_outside_the_calendar_gives_nothing() -> None:
    assert breach_outlook([day_shift(date(2024, 6, 3), 8, 8)], datetime(2024, 6, 4), CAL) == []


def test_one_outlook_per_fellow_sorted_by_id() -> None:
    shifts = [Shift(f, datetime(2024, 7, 2, 8), datetime(2024, 7, 2, 16), K.IN_HOUSE) for f in "BA"]
    assert [o.fellow_id for o in breach_outlook(shifts, datetime(2024, 7, 3), CAL)] == ["A", "B"]


def test_a_period_all_on_leave_has_no_alerts() -> None:
    leave = [Shift("F1", datetime(2024, 7, 1), datetime(2024, 7, 29), K.LEAVE)]
    result = outlook(leave, "2024-07-20T12:00")
    assert (result.counted_days, result.hours_left, result.alerts) == (0, 0, ())


def test_reaching_90_percent_of_the_budget_alerts_even_at_a_low_pace() -> None:
    shifts = [day_shift(d, 6, 12) for d in days(date(2024, 7, 1), 24)]  # 288 h = 90% of 320
    [alert] = [a for a in outlook(shifts, "2024-07-28T00:00").alerts if a.topic == "period_average"]
    assert alert.remaining == pytest.approx(32)
