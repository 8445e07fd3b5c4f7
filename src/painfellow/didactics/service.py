"""Didactics: sessions, check-in during the session only, excused absences, attendance rates.

Attendance rate = sessions attended / (sessions held - sessions excused), compared with the
program's target (training-rules.md §1.7 leaves the number to the program).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.core.duty_hours import ShiftKind
from painfellow.didactics.models import Attendance, DidacticSession, SessionRating
from painfellow.didactics.schemas import CheckInForm, ExcuseForm, RatingForm, SessionForm
from painfellow.duty_hours.models import DutyShift
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound
from painfellow.schedules.service import away_days

CHECKIN_EARLY = timedelta(minutes=15)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


POST_CALL_MIN = timedelta(hours=16)


@dataclass(frozen=True)
class AttendanceRate:
    fellow_id: int
    name: str
    held: int
    attended: int
    excused: int
    auto_excused: tuple[str, ...] = ()  # "vacation" / "off-site rotation" / "post-call"

    @property
    def rate(self) -> float | None:
        expected = self.held - self.excused - len(self.auto_excused)
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


def attendance_rates(
    session: Session, program_id: int, *, now: datetime, zone: ZoneInfo
) -> list[AttendanceRate]:
    """Attendance per fellow over the sessions held so far.

    A session a fellow neither attended nor was excused from is excused automatically when
    the schedule has them on vacation or on an off-site rotation that day, or when they
    come off an in-house call of 16 hours or more that ended that day before the session
    (post-call).
    """
    fellows = members_with_role(session, program_id, Role.FELLOW)
    held = list(
        session.scalars(
            select(DidacticSession).where(
                DidacticSession.program_id == program_id, DidacticSession.ends_at <= now
            )
        )
    )
    recorded: dict[tuple[int, int], str] = {
        (fellow, sid): status
        for fellow, sid, status in session.execute(
            select(Attendance.fellow_user_id, Attendance.session_id, Attendance.status).where(
                Attendance.session_id.in_([s.id for s in held])
            )
        )
    }
    away = away_days(session, program_id)
    calls = _calls_by_fellow(session, list(fellows), held, zone)
    rates = []
    for fellow_id, name in fellows.items():
        attended = excused = 0
        auto: list[str] = []
        for record in held:
            status = recorded.get((fellow_id, record.id))
            if status == "present":
                attended += 1
            elif status == "excused":
                excused += 1
            elif reason := _automatic_excuse(
                record.starts_at.astimezone(zone).replace(tzinfo=None),
                away.get(fellow_id, []),
                calls.get(fellow_id, []),
            ):
                auto.append(reason)
        rates.append(AttendanceRate(fellow_id, name, len(held), attended, excused, tuple(auto)))
    return rates


def _calls_by_fellow(
    session: Session, fellow_ids: list[int], held: list[DidacticSession], zone: ZoneInfo
) -> dict[int, list[tuple[datetime, datetime]]]:
    if not held:
        return {}
    first = min(s.starts_at for s in held).astimezone(zone).replace(tzinfo=None)
    last = max(s.starts_at for s in held).astimezone(zone).replace(tzinfo=None)
    result: dict[int, list[tuple[datetime, datetime]]] = {}
    for fellow, start, end in session.execute(
        select(DutyShift.fellow_user_id, DutyShift.start_local, DutyShift.end_local).where(
            DutyShift.fellow_user_id.in_(fellow_ids),
            DutyShift.kind == ShiftKind.IN_HOUSE_CALL.value,
            DutyShift.end_local >= first - timedelta(days=1),
            DutyShift.end_local <= last,
        )
    ):
        result.setdefault(fellow, []).append((start, end))
    return result


def _automatic_excuse(
    starts_local: datetime,
    away: list[tuple[date, date, str]],
    calls: list[tuple[datetime, datetime]],
) -> str | None:
    day = starts_local.date()
    for first, last, reason in away:
        if first <= day <= last:
            return reason
    for start, end in calls:
        if end.date() == day and end <= starts_local and end - start >= POST_CALL_MIN:
            return "post-call"
    return None
