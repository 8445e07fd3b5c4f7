from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.demo.loader import load_demo
from painfellow.interviews import service
from painfellow.interviews.models import InterviewDay
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW


def _user(db: Session, local: str) -> User:
    return db.scalars(select(User).where(User.email == f"{local}@demo.painfellow.org")).one()


def test_demo_has_upcoming_interviews_bookings_and_a_waitlist(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    applicant1 = _user(db, "applicant1")
    mine = service.my_invitations(db, applicant1.id)
    statuses = sorted(
        invitation.status
        for invitation, _, _ in mine
        if invitation.invited_at.year == 2026 and invitation.invited_at.month == 11
    )
    assert statuses.count("booked") >= 1 and "waitlisted" in statuses
    assert all(
        program.id != flagship.id
        for invitation, program, slot in mine
        if slot is None or slot.starts_at > FIXED_NOW
    )
    upcoming = db.scalars(
        select(InterviewDay).where(
            InterviewDay.program_id == flagship.id, InterviewDay.day > FIXED_NOW.date()
        )
    ).one()
    itinerary = service.staff_itinerary(db, flagship.id, upcoming.id)
    assert "Breakfast" in itinerary.day.day.itinerary
    assert sum(len(s.applicants) for s in itinerary.day.slots) == 6
    rows = service.invitation_rows(db, flagship.id)
    assert sum(1 for r in rows if r.email.startswith("candidate")) == 10
