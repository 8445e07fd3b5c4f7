from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSlot,
)
from painfellow.interviews.queries import interviewed_pairs
from tests.builders import FIXED_NOW, make_program, make_user


def _book(db: Session, program_id: int, applicant_id: int, hours_from_now: int) -> None:
    starts = FIXED_NOW + timedelta(hours=hours_from_now)
    day = InterviewDay(program_id=program_id, day=date(2026, 11, 1) + timedelta(hours_from_now))
    db.add(day)
    db.flush()
    slot = InterviewSlot(
        day_id=day.id, program_id=program_id, starts_at=starts, capacity=2, booked_count=1
    )
    invitation = InterviewInvitation(
        program_id=program_id, applicant_user_id=applicant_id, status="booked"
    )
    db.add_all([slot, invitation])
    db.flush()
    db.add(
        InterviewBooking(
            invitation_id=invitation.id,
            slot_id=slot.id,
            program_id=program_id,
            applicant_user_id=applicant_id,
        )
    )
    db.flush()


def test_only_interviews_that_have_begun_count(db: Session) -> None:
    program, other = make_program(db), make_program(db)
    past, future = (make_user(db, [(None, Role.APPLICANT)]) for _ in range(2))
    _book(db, program.id, past.id, hours_from_now=-48)
    _book(db, program.id, future.id, hours_from_now=48)
    _book(db, other.id, past.id, hours_from_now=-24)

    assert interviewed_pairs(db, FIXED_NOW, program_id=program.id) == {(program.id, past.id)}
    assert interviewed_pairs(db, FIXED_NOW, applicant_user_id=past.id) == {
        (program.id, past.id),
        (other.id, past.id),
    }
    assert interviewed_pairs(db, FIXED_NOW, applicant_user_id=future.id) == set()
