"""Shifts pre-filled from the schedule, the program's duty-hour calendar, and the rolling
28-day warning in the app."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.core.duty_hours import ShiftKind
from painfellow.duty_hours import service
from painfellow.duty_hours.models import DutyHourCalendar, DutyShift
from painfellow.duty_hours.schemas import ShiftForm
from painfellow.errors import InvalidInput
from painfellow.outbox.models import OutboxMessage
from painfellow.schedules import service as schedules
from painfellow.schedules.schemas import CalendarForm, RotationForm
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

LOCAL_NOW = datetime(2026, 11, 21, 10, 0)  # FIXED_NOW in America/New_York, a Saturday
MONDAY = date(2026, 11, 16)


@dataclass
class Team:
    program_id: int
    fellow_id: int
    director_id: int
    fellow_email: str
    director_email: str


def _team(db: Session, rotation: RotationForm) -> Team:
    """One fellow on one rotation for four two-week blocks from 2026-11-02."""
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Ada Fellow")
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    schedules.set_calendar(
        db, program.id, CalendarForm(first_day=date(2026, 11, 2), n_blocks=4, block_days=14)
    )
    schedules.add_rotation(db, program.id, rotation)
    schedules.generate_schedule(
        db, program.id, user_id=director.id, now=FIXED_NOW, today=FIXED_NOW.date()
    )
    return Team(program.id, fellow.id, director.id, fellow.email, director.email)


CLINIC = RotationForm(
    name="Chronic pain clinic", capacity_per_block=2, shift_start=time(7),
    shift_end=time(17), shift_weekdays="12345",
)  # fmt: skip


def test_the_week_is_offered_from_the_rotation_hours(db: Session) -> None:
    team = _team(db, CLINIC)
    week = service.week_suggestions(db, team.program_id, team.fellow_id, monday=MONDAY)
    assert [(s.planned.start, s.planned.end, s.logged) for s in week] == [
        (datetime(2026, 11, 16 + d, 7), datetime(2026, 11, 16 + d, 17), False) for d in range(5)
    ]
    assert {s.planned.rotation for s in week} == {"Chronic pain clinic"}


def test_a_rotation_without_hours_offers_nothing(db: Session) -> None:
    team = _team(db, RotationForm(name="Research", capacity_per_block=2))
    assert service.week_suggestions(db, team.program_id, team.fellow_id, monday=MONDAY) == []


def test_confirm_week_logs_the_unlogged_started_shifts_once(db: Session) -> None:
    team = _team(db, CLINIC)
    # Wednesday already logged by hand with other times: it is not offered again
    service.log_shift(db, team.program_id, team.fellow_id,
                      ShiftForm(start=datetime(2026, 11, 18, 8), end=datetime(2026, 11, 18, 18),
                                kind=ShiftKind.IN_HOUSE), now=FIXED_NOW)  # fmt: skip
    week = service.week_suggestions(db, team.program_id, team.fellow_id, monday=MONDAY)
    assert [s.logged for s in week] == [False, False, True, False, False]
    shifts, violations = service.confirm_week(
        db, team.program_id, team.fellow_id, monday=MONDAY, now=FIXED_NOW, local_now=LOCAL_NOW
    )
    assert len(shifts) == 4 and violations == []
    logged = db.scalars(select(DutyShift).order_by(DutyShift.start_local)).all()
    assert [s.start_local.day for s in logged] == [16, 17, 18, 19, 20]
    with pytest.raises(InvalidInput) as error:
        service.confirm_week(db, team.program_id, team.fellow_id, monday=MONDAY, now=FIXED_NOW,
                             local_now=LOCAL_NOW)  # fmt: skip
    assert error.value.errors[0].field == "week"


def test_shifts_still_to_come_are_not_confirmed(db: Session) -> None:
    team = _team(db, CLINIC)
    with pytest.raises(InvalidInput):
        service.confirm_week(db, team.program_id, team.fellow_id, monday=MONDAY + timedelta(7),
                             now=FIXED_NOW, local_now=LOCAL_NOW)  # fmt: skip
    assert db.scalars(select(DutyShift)).all() == []


def test_confirming_goes_through_the_rules_and_alerts(db: Session) -> None:
    call = RotationForm(
        name="Acute pain call", capacity_per_block=2, shift_start=time(7), shift_end=time(7),
        shift_weekdays="1234567", shift_kind=ShiftKind.IN_HOUSE_CALL,
    )  # fmt: skip
    team = _team(db, call)
    _, violations = service.confirm_week(db, team.program_id, team.fellow_id, monday=MONDAY,
                                         now=FIXED_NOW, local_now=LOCAL_NOW)  # fmt: skip
    assert violations, "back-to-back 24-hour calls must break the continuous-work rule"
    recipients = {m.recipient for m in db.scalars(select(OutboxMessage))}
    assert recipients == {team.fellow_email, team.director_email}


def test_fellow_page_offers_confirm_buttons_and_confirm_week_route(
    client: TestClient, db: Session
) -> None:
    team = _team(db, CLINIC)
    fellow = db.get(User, team.fellow_id)
    assert fellow is not None
    csrf = sign_in(client, db, fellow)
    page = client.get(f"/programs/{team.program_id}/duty-hours")
    assert page.status_code == 200
    assert 'value="2026-11-16T07:00"' in page.text and "Confirm week of 2026-11-16" in page.text
    assert "Upcoming" in page.text  # next week's shifts are shown, not yet confirmable
    # one click per shift, with the times edited first, through the ordinary shift form
    edited = client.post(
        f"/programs/{team.program_id}/duty-hours/shifts",
        data={"csrf_token": csrf, "start": "2026-11-16T07:00", "end": "2026-11-16T19:30",
              "kind": "in_house"}, follow_redirects=False,
    )  # fmt: skip
    assert edited.status_code == 303
    bad = client.post(
        f"/programs/{team.program_id}/duty-hours/confirm-week",
        data={"csrf_token": csrf, "week": "2026-11-17"},
    )
    assert bad.status_code == 422 and "must be a Monday" in bad.text
    done = client.post(
        f"/programs/{team.program_id}/duty-hours/confirm-week",
        data={"csrf_token": csrf, "week": "2026-11-16"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?confirmed=1")
    ends = [s.end_local for s in db.scalars(select(DutyShift).order_by(DutyShift.start_local))]
    assert ends[0] == datetime(2026, 11, 16, 19, 30) and len(ends) == 5


def test_manager_sets_the_calendar_and_periods_follow_it(client: TestClient, db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    service.log_shift(db, program.id, fellow.id,
                      ShiftForm(start=datetime(2026, 11, 20, 7), end=datetime(2026, 11, 20, 17),
                                kind=ShiftKind.IN_HOUSE), now=FIXED_NOW)  # fmt: skip
    july = service.fellow_overview(db, fellow.id, now=LOCAL_NOW, program_id=program.id)
    assert july.outlook is not None and july.outlook.period.start == date(2026, 11, 18)

    csrf = sign_in(client, db, coordinator)
    url = f"/programs/{program.id}/duty-hours/calendar"
    bad = client.post(url, data={"csrf_token": csrf, "year_start_month": "9",
                                 "year_start_day": "31", "period_anchor": ""})  # fmt: skip
    assert bad.status_code == 422 and "less than or equal to 28" in bad.text
    assert db.get(DutyHourCalendar, program.id) is None
    ok = client.post(url, data={"csrf_token": csrf, "year_start_month": "9",
                                "year_start_day": "1", "period_anchor": "2026-09-10"},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    db.expire_all()
    custom = service.fellow_overview(db, fellow.id, now=LOCAL_NOW, program_id=program.id)
    assert custom.outlook is not None and custom.outlook.period.start == date(2026, 11, 5)
    report = client.get(f"/programs/{program.id}/duty-hours/report")
    assert report.status_code == 200
    assert 'value="2026-09-01"' in report.text  # the report starts at the program's year
    assert "every 28 days from 2026-09-10" in report.text


def _log_hours(db: Session, team_program: int, fellow_id: int, hours: list[float]) -> None:
    first = LOCAL_NOW - timedelta(days=27)
    for i, h in enumerate(hours):
        start = first + timedelta(days=i)
        service.log_shift(db, team_program, fellow_id,
                          ShiftForm(start=start, end=start + timedelta(hours=h),
                                    kind=ShiftKind.IN_HOUSE), now=FIXED_NOW)  # fmt: skip


@pytest.mark.parametrize(("hours", "warned"), [([12.0] * 24 + [11.5], False), ([12.0] * 25, True)])
def test_rolling_warning_on_the_fellow_page_and_the_report(
    client: TestClient, db: Session, hours: list[float], warned: bool
) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Ada Fellow")
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    _log_hours(db, program.id, fellow.id, hours)
    rolling = service.rolling_averages(db, program.id, now=LOCAL_NOW)[fellow.id]
    assert rolling.warns is warned
    sign_in(client, db, fellow)
    page = client.get(f"/programs/{program.id}/duty-hours").text
    assert ("approaching the 80 h/week limit" in page) is warned
    client.cookies.clear()
    sign_in(client, db, director)
    report = client.get(f"/programs/{program.id}/duty-hours/report").text
    assert ("Warning: approaching 80 h" in report) is warned
    assert f"{rolling.average:.1f} h" in report


def test_an_overlap_inside_the_week_saves_nothing_and_names_the_shift(db: Session) -> None:
    """A night shift of one rotation runs into the next rotation's first morning."""
    from painfellow.schedules.schemas import RequirementForm

    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    schedules.set_calendar(
        db, program.id, CalendarForm(first_day=date(2026, 11, 2), n_blocks=2, block_days=10)
    )  # block 1: Mon 11-02 .. Wed 11-11; block 2 from Thu 11-12
    nights = schedules.add_rotation(db, program.id, RotationForm(
        name="Nights", capacity_per_block=1, shift_start=time(19), shift_end=time(7),
        shift_weekdays="3"))  # fmt: skip
    clinic = schedules.add_rotation(db, program.id, RotationForm(
        name="Clinic", capacity_per_block=1, shift_start=time(6, 30), shift_end=time(17),
        shift_weekdays="4"))  # fmt: skip
    for rotation, block in ((nights, 1), (clinic, 2)):
        schedules.add_requirement(db, program.id, RequirementForm(
            kind="fixed", rotation_id=rotation.id, fellow_user_id=fellow.id, block=block),
            today=FIXED_NOW.date())  # fmt: skip
    schedules.generate_schedule(db, program.id, user_id=None, now=FIXED_NOW,
                                today=FIXED_NOW.date())  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        service.confirm_week(db, program.id, fellow.id, monday=date(2026, 11, 9), now=FIXED_NOW,
                             local_now=LOCAL_NOW)  # fmt: skip
    [problem] = error.value.errors
    assert problem.field == "week"
    assert "the Clinic shift from Thu 2026-11-12 06:30 overlaps your in house entry" in (
        problem.message
    )
    assert db.scalars(select(DutyShift)).all() == []
