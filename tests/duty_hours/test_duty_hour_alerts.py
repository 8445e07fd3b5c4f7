"""Alerts to the fellow and the director for warnings and before a breach (issue 5:
"Alerts to the fellow and the director; a warning before a breach (e.g. a week heading
past 80)")."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.core.duty_hours import ShiftKind
from painfellow.duty_hours import service
from painfellow.duty_hours.schemas import ShiftForm
from painfellow.outbox.models import OutboxMessage
from tests.builders import FIXED_NOW, make_program, make_user

# July 1 periods: 2026-10-21 .. 2026-11-17, its weeks start on Wednesdays
WEDNESDAY = datetime(2026, 11, 4, 7, 0)


def _form(start: datetime, hours: float) -> ShiftForm:
    return ShiftForm(start=start, end=start + timedelta(hours=hours), kind=ShiftKind.IN_HOUSE)


def _mail(db: Session) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_week_heading_past_80_alerts_fellow_and_director_before_the_breach(
    db: Session,
) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    for day in range(5):  # 65 h: under 90 % of the 80-hour week
        service.log_shift(db, program.id, fellow.id,
                          _form(WEDNESDAY + timedelta(days=day), 13), now=FIXED_NOW)  # fmt: skip
    assert _mail(db) == []
    _, violations = service.log_shift(
        db, program.id, fellow.id, _form(WEDNESDAY + timedelta(days=5), 13), now=FIXED_NOW
    )  # 78 h this week: no violation yet, but heading past 80
    assert violations == []
    mail = _mail(db)
    assert {m.recipient for m in mail} == {fellow.email, director.email}
    assert all("Heading towards a limit" in m.body and "Violations" not in m.body for m in mail)
    assert all(m.subject.startswith("Duty-hour warning") for m in mail)
    # the same standing is not announced again by the next shift of the week
    service.log_shift(db, program.id, fellow.id,
                      _form(WEDNESDAY + timedelta(days=6, hours=5), 1), now=FIXED_NOW)  # fmt: skip
    assert len(_mail(db)) == 2


def test_a_new_warning_finding_alerts_fellow_and_director(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    service.log_shift(db, program.id, fellow.id, _form(WEDNESDAY, 12), now=FIXED_NOW)
    assert _mail(db) == []
    # 8 hours free between shifts is the floor: exactly 8 is no warning ...
    service.log_shift(db, program.id, fellow.id,
                      _form(WEDNESDAY + timedelta(hours=20), 4), now=FIXED_NOW)  # fmt: skip
    assert _mail(db) == []
    # ... 7 hours is (ACGME: under 8 hours between shifts is a warning)
    _, violations = service.log_shift(
        db, program.id, fellow.id, _form(WEDNESDAY + timedelta(hours=31), 4), now=FIXED_NOW
    )
    assert violations == []
    mail = _mail(db)
    assert {m.recipient for m in mail} == {fellow.email, director.email}
    assert all("Warnings:" in m.body for m in mail)
