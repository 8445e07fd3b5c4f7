"""Didactic absences excused by the schedule when the rotation is off site, configurable per
rotation (issue 5: "excused absences tied to the schedule (vacation, off-site rotation,
post-call)")."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.didactics import service
from painfellow.didactics.schemas import SessionForm
from painfellow.schedules.models import BlockSchedule, Rotation, ScheduleAssignment
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

UTC_ZONE = ZoneInfo("UTC")
FIRST_DAY = date(2026, 7, 1)


def _held_session(db: Session, program_id: int) -> None:
    start = FIXED_NOW - timedelta(hours=48)
    form = SessionForm(kind="lecture", title="Cancer pain", starts_at=start,
                       ends_at=start + timedelta(hours=1))  # fmt: skip
    service.create_session(db, program_id, form, zone=UTC_ZONE)


def _on_rotation(db: Session, program_id: int, placements: dict[int, Rotation]) -> None:
    schedule = BlockSchedule(
        program_id=program_id, status="optimal", first_day=FIRST_DAY, n_blocks=26,
        block_days=14, inputs={}, rules_version="test",
    )  # fmt: skip
    db.add(schedule)
    db.flush()
    block = ((FIXED_NOW - timedelta(hours=48)).date() - FIRST_DAY).days // 14 + 1
    for fellow_id, rotation in placements.items():
        db.add(ScheduleAssignment(schedule_id=schedule.id, fellow_user_id=fellow_id,
                                  block=block, rotation_id=rotation.id))  # fmt: skip
    db.flush()


def test_an_off_site_rotation_excuses_a_missed_session(db: Session) -> None:
    program = make_program(db)
    away, home = (make_user(db, [(program.id, Role.FELLOW)]) for _ in range(2))
    outside = Rotation(program_id=program.id, name="Neuroradiology", capacity_per_block=2,
                       sites="County hospital", off_site=True)  # fmt: skip
    clinic = Rotation(program_id=program.id, name="Chronic pain clinic", capacity_per_block=2)
    db.add_all([outside, clinic])
    db.flush()
    _held_session(db, program.id)
    _on_rotation(db, program.id, {away.id: outside, home.id: clinic})
    rates = {
        r.fellow_id: r
        for r in service.attendance_rates(db, program.id, now=FIXED_NOW, zone=UTC_ZONE)
    }
    assert rates[away.id].auto_excused == ("off-site rotation",)
    assert rates[away.id].rate is None  # nothing was expected of them
    assert rates[home.id].auto_excused == ()  # on site: the miss counts
    assert rates[home.id].rate == 0


def test_whether_a_rotation_is_off_site_is_set_per_rotation(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    csrf = sign_in(client, db, director)
    made = client.post(f"/programs/{program.id}/schedule/rotations", data={
        "csrf_token": csrf, "name": "Outside elective", "capacity_per_block": "2",
        "off_site": "on"}, follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    rotation = db.query(Rotation).filter_by(program_id=program.id).one()
    assert rotation.off_site is True
    edit = client.get(f"/programs/{program.id}/schedule/rotations/{rotation.id}/edit")
    assert edit.status_code == 200
    assert 'name="off_site" value="on" checked' in edit.text
    # unticking the box (the field is then absent from the form) makes it on site again
    saved = client.post(f"/programs/{program.id}/schedule/rotations/{rotation.id}", data={
        "csrf_token": csrf, "name": "Outside elective", "capacity_per_block": "2"},
        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    db.refresh(rotation)
    assert rotation.off_site is False
    _held_session(db, program.id)
    _on_rotation(db, program.id, {fellow.id: rotation})
    rates = service.attendance_rates(db, program.id, now=FIXED_NOW, zone=UTC_ZONE)
    assert [r.auto_excused for r in rates if r.fellow_id == fellow.id] == [()]
