"""Didactics: sessions, check-in during the session only, excused absences, attendance rates.

Attendance rate = sessions attended / (sessions held - sessions excused), compared with the
program's target (training-rules.md §1.7 leaves the number to the program).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.didactics.models import Attendance, DidacticSession, SessionRating
from painfellow.didactics.schemas import CheckInForm, ExcuseForm, RatingForm, SessionForm
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound

CHECKIN_EARLY = timedelta(minutes=15)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


@dataclass(frozen=True)
class AttendanceRate:
    fellow_id: int
    name: str
    held: int
    attended: int
    excused: int

    @property
    def rate(self) -> float | None:
        expected = self.held - self.excused
        return self.attended / expected if expected else None


def create_session(
    session: Session, program_id: int, form: SessionForm, *, zone: ZoneInfo
) -> DidacticSession:
    """Schedule a session; times typed without an offset are read in the program's zone."""
    starts_at = form.starts_at if form.starts_at.tzinfo else form.starts_at.replace(tzinfo=zone)
    ends_at = form.ends_at if form.ends_at.tzinfo else form.ends_at.replace(tzinfo=zone)
    record = DidacticSession(
        program_id=program_id,
        kind=form.kind.value,
        title=form.title,
        presenter=form.presenter,
        objectives=form.objectives,
        materials_url=str(form.materials_url or ""),
        starts_at=starts_at,
        ends_at=ends_at,
        checkin_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(6)),
    )
    session.add(record)
    session.commit()
    return record


def _get(session: Session, program_id: int, session_id: int) -> DidacticSession:
    record = session.get(DidacticSession, session_id)
    if record is None or record.program_id != program_id:
        raise NotFound("No such session in this program.")
    return record


def check_in(
    session: Session, program_id: int, session_id: int, fellow_id: int, form: CheckInForm,
    *, now: datetime,
) -> Attendance:  # fmt: skip
    """Record attendance with the session's code, from 15 minutes before it starts to its end."""
    record = _get(session, program_id, session_id)
    if not record.starts_at - CHECKIN_EARLY <= now <= record.ends_at:
        raise InvalidInput([FieldError("code", "check-in is open only during the session")])
    if not secrets.compare_digest(form.code.upper(), record.checkin_code):
        raise InvalidInput([FieldError("code", "is not this session's check-in code")])
    return _record(session, session_id, fellow_id, "present", "", now)


def excuse(
    session: Session, program_id: int, session_id: int, form: ExcuseForm, *, now: datetime
) -> Attendance:
    """Excuse a fellow (vacation, off-site rotation, post-call) so the session does not count."""
    _get(session, program_id, session_id)
    if form.fellow_user_id not in members_with_role(session, program_id, Role.FELLOW):
        raise InvalidInput([FieldError("fellow_user_id", "is not a fellow of this program")])
    return _record(session, session_id, form.fellow_user_id, "excused", form.reason, now)


def _record(
    session: Session, session_id: int, fellow_id: int, status: str, reason: str, now: datetime
) -> Attendance:
    existing = session.scalar(
        select(Attendance).where(
            Attendance.session_id == session_id, Attendance.fellow_user_id == fellow_id
        )
    )
    if existing is not None:
        raise Conflict(f"Attendance is already recorded ({existing.status}).")
    attendance = Attendance(session_id=session_id, fellow_user_id=fellow_id, status=status,
                            reason=reason, recorded_at=now)  # fmt: skip
    session.add(attendance)
    try:
        session.commit()
    except IntegrityError as error:  # a concurrent check-in of the same fellow won
        session.rollback()
        raise Conflict("Attendance is already recorded.") from error
    return attendance


def rate(
    session: Session, program_id: int, session_id: int, fellow_id: int, form: RatingForm
) -> SessionRating:
    """Only fellows who attended rate a session, once."""
    _get(session, program_id, session_id)
    attended = session.scalar(
        select(Attendance.id).where(
            Attendance.session_id == session_id,
            Attendance.fellow_user_id == fellow_id,
            Attendance.status == "present",
        )
    )
    if attended is None:
        raise InvalidInput([FieldError("score", "only fellows who attended can rate it")])
    if session.scalar(
        select(SessionRating.id).where(
            SessionRating.session_id == session_id, SessionRating.fellow_user_id == fellow_id
        )
    ):
        raise Conflict("You already rated this session.")  # fmt: skip
    rating = SessionRating(session_id=session_id, fellow_user_id=fellow_id, score=form.score,
                           comment=form.comment)  # fmt: skip
    session.add(rating)
    session.commit()
    return rating


def list_sessions(session: Session, program_id: int) -> list[DidacticSession]:
    return list(
        session.scalars(
            select(DidacticSession)
            .where(DidacticSession.program_id == program_id)
            .order_by(DidacticSession.starts_at.desc())
        )
    )


def my_attendance(session: Session, fellow_id: int, session_ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(Attendance.session_id, Attendance.status).where(
            Attendance.fellow_user_id == fellow_id, Attendance.session_id.in_(session_ids)
        )
    )
    return {sid: status for sid, status in rows}


def average_ratings(session: Session, session_ids: list[int]) -> dict[int, tuple[float, int]]:
    rows = session.execute(
        select(SessionRating.session_id, func.avg(SessionRating.score), func.count())
        .where(SessionRating.session_id.in_(session_ids))
        .group_by(SessionRating.session_id)
    )
    return {sid: (float(avg), n) for sid, avg, n in rows}


def attendance_rates(session: Session, program_id: int, *, now: datetime) -> list[AttendanceRate]:
    fellows = members_with_role(session, program_id, Role.FELLOW)
    held = (
        session.scalar(
            select(func.count(DidacticSession.id)).where(
                DidacticSession.program_id == program_id, DidacticSession.ends_at <= now
            )
        )
        or 0
    )
    counts = session.execute(
        select(Attendance.fellow_user_id, Attendance.status, func.count())
        .join(DidacticSession, DidacticSession.id == Attendance.session_id)
        .where(DidacticSession.program_id == program_id, DidacticSession.ends_at <= now)
        .group_by(Attendance.fellow_user_id, Attendance.status)
    )
    tally: dict[tuple[int, str], int] = {(f, s): n for f, s, n in counts}
    return [
        AttendanceRate(fid, name, held, tally.get((fid, "present"), 0),
                       tally.get((fid, "excused"), 0))
        for fid, name in fellows.items()
    ]  # fmt: skip
