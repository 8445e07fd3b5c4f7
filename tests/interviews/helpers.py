"""Builders for interview tests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.interviews.models import (
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
)
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW, make_program, make_user


def applicant(db: Session, **overrides: object) -> User:
    user = make_user(db, [(None, Role.APPLICANT)], **overrides)
    db.commit()
    return user


def day_with_slots(
    db: Session,
    program: Program,
    *,
    days_ahead: int = 10,
    capacities: tuple[int, ...] = (1,),
    hours_from_now: float | None = None,
    fmt: str = "in_person",
) -> tuple[InterviewDay, list[InterviewSlot]]:
    """A day ``days_ahead`` after FIXED_NOW with one slot per capacity, an hour apart."""
    start = FIXED_NOW + (
        timedelta(hours=hours_from_now)
        if hours_from_now is not None
        else timedelta(days=days_ahead)
    )
    day = InterviewDay(
        program_id=program.id,
        day=start.date(),
        format=fmt,
        location="Pain Center, 3rd floor",
        video_link="https://video.example.org/room" if fmt == "virtual" else "",
        itinerary="08:00 Welcome; 09:00 Interviews",
    )
    db.add(day)
    db.flush()
    slots = [
        InterviewSlot(
            day_id=day.id,
            program_id=program.id,
            capacity=c,
            booked_count=0,
            starts_at=start + timedelta(hours=i),
            duration_minutes=45,
        )
        for i, c in enumerate(capacities)
    ]
    db.add_all(slots)
    db.commit()  # services roll back on refusal; set-up data must survive that
    return day, slots


def invitation(db: Session, program: Program, user: User) -> InterviewInvitation:
    record = InterviewInvitation(
        program_id=program.id, applicant_user_id=user.id, status="invited", invited_at=FIXED_NOW
    )
    db.add(record)
    db.commit()
    return record


def settings(db: Session, program: Program, **values: object) -> InterviewSettings:
    record = InterviewSettings(program_id=program.id, **values)
    db.add(record)
    db.commit()
    return record


__all__ = ["applicant", "date", "day_with_slots", "invitation", "make_program", "settings"]
