"""Builders for match season tests: a season around FIXED_NOW and past interviews."""

from __future__ import annotations

import secrets
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.models import AuthSession, User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import token_digest
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSlot,
)
from painfellow.match_season.models import MatchSeason
from painfellow.programs.models import Program
from painfellow.web.deps import SESSION_COOKIE
from tests.builders import FIXED_NOW, make_program, make_user


def make_season(db: Session, *, opens_days: int = -20, deadline_days: int = 11,
                release_days: int = 18, year: int = 2026) -> MatchSeason:  # fmt: skip
    """Default: lists opened 20 days before FIXED_NOW, deadline in 11 days."""
    season = MatchSeason(
        year=year,
        rol_opens_at=FIXED_NOW + timedelta(days=opens_days),
        certify_deadline=FIXED_NOW + timedelta(days=deadline_days),
        release_at=FIXED_NOW + timedelta(days=release_days),
    )
    db.add(season)
    db.flush()
    return season


def interview(db: Session, program: Program, applicant: User, *, days_ago: int = 30) -> None:
    """A booked interview at ``program`` that took place ``days_ago`` before FIXED_NOW."""
    start = FIXED_NOW - timedelta(days=days_ago)
    day = db.query(InterviewDay).filter_by(program_id=program.id, day=start.date()).first()
    if day is None:
        day = InterviewDay(program_id=program.id, day=start.date())
        db.add(day)
        db.flush()
    slot = InterviewSlot(
        day_id=day.id, program_id=program.id, starts_at=start, capacity=1, booked_count=1
    )
    invitation = InterviewInvitation(
        program_id=program.id, applicant_user_id=applicant.id, status="booked"
    )
    db.add_all([slot, invitation])
    db.flush()
    db.add(
        InterviewBooking(
            invitation_id=invitation.id,
            slot_id=slot.id,
            program_id=program.id,
            applicant_user_id=applicant.id,
        )
    )
    db.flush()


def applicant(db: Session, name: str = "") -> User:
    return make_user(db, [(None, Role.APPLICANT)], **({"full_name": name} if name else {}))


def program_with_director(db: Session) -> tuple[Program, User]:
    program = make_program(db)
    return program, make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])


def sign_in_for_weeks(client: TestClient, db: Session, user: User) -> str:
    """A browser session that outlives the clock moving past the deadline and release."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    db.add(
        AuthSession(
            token_hash=token_digest(token), user_id=user.id, kind="browser", csrf_token=csrf,
            created_at=FIXED_NOW, expires_at=FIXED_NOW + timedelta(days=60),
        )
    )  # fmt: skip
    db.flush()
    client.cookies.set(SESSION_COOKIE, token)
    return csrf
