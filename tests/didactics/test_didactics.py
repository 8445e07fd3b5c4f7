from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.didactics import service
from painfellow.didactics.schemas import CheckInForm, ExcuseForm, RatingForm, SessionForm
from painfellow.errors import Conflict, InvalidInput
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

UTC_ZONE = ZoneInfo("UTC")


def _session(db: Session, program_id: int, start_offset_h: float = 0, hours: float = 1):
    start = FIXED_NOW + timedelta(hours=start_offset_h)
    form = SessionForm(
        kind="journal_club",
        title="RFA outcomes",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )
    return service.create_session(db, program_id, form, zone=UTC_ZONE)


def test_check_in_only_during_session_with_the_code(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    later = _session(db, program.id, start_offset_h=2)
    with pytest.raises(InvalidInput, match="only during the session"):
        service.check_in(
            db, program.id, later.id, fellow.id, CheckInForm(code=later.checkin_code), now=FIXED_NOW
        )
    now_on = _session(db, program.id, start_offset_h=-0.5)
    with pytest.raises(InvalidInput, match="not this session's check-in code"):
        service.check_in(
            db, program.id, now_on.id, fellow.id, CheckInForm(code="WRONG1"), now=FIXED_NOW
        )
    service.check_in(
        db,
        program.id,
        now_on.id,
        fellow.id,
        CheckInForm(code=now_on.checkin_code.lower()),
        now=FIXED_NOW,
    )
    with pytest.raises(Conflict):
        service.check_in(
            db,
            program.id,
            now_on.id,
            fellow.id,
            CheckInForm(code=now_on.checkin_code),
            now=FIXED_NOW,
        )


def test_attendance_rate_discounts_excused_sessions(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Dr. Present")
    past = [_session(db, program.id, start_offset_h=-24 * d) for d in range(1, 5)]
    for s in past[:2]:
        service._record(db, s.id, fellow.id, "present", "", FIXED_NOW)
    service.excuse(
        db,
        program.id,
        past[2].id,
        ExcuseForm(fellow_user_id=fellow.id, reason="Post-call"),
        now=FIXED_NOW,
    )
    (rate,) = service.attendance_rates(db, program.id, now=FIXED_NOW, zone=UTC_ZONE)
    assert (rate.held, rate.attended, rate.excused) == (4, 2, 1)
    assert rate.rate == pytest.approx(2 / 3)


def test_only_attendees_rate_once(db: Session) -> None:
    program = make_program(db)
    fellow, absent = (make_user(db, [(program.id, Role.FELLOW)]) for _ in range(2))
    past = _session(db, program.id, start_offset_h=-3)
    service._record(db, past.id, fellow.id, "present", "", FIXED_NOW)
    with pytest.raises(InvalidInput):
        service.rate(db, program.id, past.id, absent.id, RatingForm(score=5))
    service.rate(db, program.id, past.id, fellow.id, RatingForm(score=4, comment="Useful"))
    with pytest.raises(Conflict):
        service.rate(db, program.id, past.id, fellow.id, RatingForm(score=2))
    assert service.average_ratings(db, [past.id]) == {past.id: (4.0, 1)}


def test_excusing_someone_outside_the_program_is_refused(db: Session) -> None:
    program, other = make_program(db), make_program(db)
    outsider = make_user(db, [(other.id, Role.FELLOW)])
    s = _session(db, program.id)
    with pytest.raises(InvalidInput) as error:
        service.excuse(
            db,
            program.id,
            s.id,
            ExcuseForm(fellow_user_id=outsider.id, reason="Vacation"),
            now=FIXED_NOW,
        )
    assert error.value.errors[0].field == "fellow_user_id"


def test_pages_schedule_and_check_in(client: TestClient, db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    csrf = sign_in(client, db, coordinator)
    bad = client.post(
        f"/programs/{program.id}/didactics",
        data={
            "csrf_token": csrf,
            "kind": "lecture",
            "title": "",
            "starts_at": "2026-11-21T12:00",
            "ends_at": "2026-11-21T11:00",
            "materials_url": "not a url",
        },
    )
    assert bad.status_code == 422
    for field in ("title", "ends_at", "materials_url"):
        assert f'id="{field}-error"' in bad.text
    ok = client.post(
        f"/programs/{program.id}/didactics",
        data={
            "csrf_token": csrf,
            "kind": "lecture",
            "title": "Opioid stewardship",
            "starts_at": "2026-11-21T09:30",
            "ends_at": "2026-11-21T11:30",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    page = client.get(f"/programs/{program.id}/didactics")
    code = page.text.split('class="code">')[1].split("<")[0]
    csrf = sign_in(client, db, fellow)
    fellow_page = client.get(f"/programs/{program.id}/didactics")
    assert code not in fellow_page.text  # fellows never see the code
    session_id = fellow_page.text.split("/didactics/")[1].split("/check-in")[0]
    checked = client.post(
        f"/programs/{program.id}/didactics/{session_id}/check-in",
        data={"csrf_token": csrf, "code": code},
        follow_redirects=False,
    )
    assert checked.status_code == 303
    assert "You attended." in client.get(f"/programs/{program.id}/didactics").text


def test_vacation_and_post_call_excuse_automatically(db: Session) -> None:
    from datetime import datetime

    from painfellow.duty_hours.models import DutyShift
    from painfellow.schedules.models import (
        BlockSchedule,
        Rotation,
        ScheduleAssignment,
        ScheduleRequirement,
    )

    program = make_program(db)
    on_leave, post_call, present = (make_user(db, [(program.id, Role.FELLOW)]) for _ in range(3))
    session_day = _session(db, program.id, start_offset_h=-48)  # 2026-11-19 15:00 UTC
    vacation = Rotation(program_id=program.id, name="Vacation", capacity_per_block=12)
    db.add(vacation)
    db.flush()
    db.add(
        ScheduleRequirement(
            program_id=program.id,
            kind="vacation",
            rotation_id=vacation.id,
            min_blocks=2,
            max_blocks=2,
        )
    )
    schedule = BlockSchedule(
        program_id=program.id,
        status="optimal",
        first_day=date(2026, 7, 1),
        n_blocks=26,
        block_days=14,
        inputs={},
        rules_version="test",
    )
    db.add(schedule)
    db.flush()
    block = (date(2026, 11, 19) - date(2026, 7, 1)).days // 14 + 1
    db.add(
        ScheduleAssignment(
            schedule_id=schedule.id,
            fellow_user_id=on_leave.id,
            block=block,
            rotation_id=vacation.id,
        )
    )
    db.add(
        DutyShift(
            program_id=program.id,
            fellow_user_id=post_call.id,
            start_local=datetime(2026, 11, 18, 7),
            end_local=datetime(2026, 11, 19, 7),
            kind="in_house_call",
        )
    )
    service._record(db, session_day.id, present.id, "present", "", FIXED_NOW)
    rates = {
        r.fellow_id: r
        for r in service.attendance_rates(db, program.id, now=FIXED_NOW, zone=UTC_ZONE)
    }
    assert rates[on_leave.id].auto_excused == ("vacation",)
    assert rates[post_call.id].auto_excused == ("post-call",)
    assert rates[present.id].auto_excused == () and rates[present.id].rate == 1
    assert rates[on_leave.id].rate is None  # nothing left to expect of them
