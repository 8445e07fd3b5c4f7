"""Duty hours: fellows log shifts; the ACGME rules (painfellow.core.duty_hours) judge them.

Logging a shift that creates a new violation alerts the fellow and the program's directors
through the email outbox, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.core.duty_hours import (
    ComplianceReport,
    Finding,
    Outlook,
    Severity,
    Shift,
    ShiftKind,
    academic_calendar,
    breach_outlook,
    check_shifts,
    compliance_report,
)
from painfellow.core.duty_hours.periods import academic_year_of
from painfellow.duty_hours.models import DutyShift
from painfellow.duty_hours.schemas import ShiftForm
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.outbox.service import enqueue_email


@dataclass(frozen=True)
class FellowOverview:
    shifts: list[DutyShift]
    findings: list[Finding]
    outlook: Outlook | None
    weekly_hours: list[tuple[date, float]]  # Monday of each of the last 12 weeks, work hours


def _year_bounds(day: date) -> tuple[datetime, datetime]:
    year = academic_year_of(day)
    return datetime(year, 7, 1), datetime(year + 1, 7, 1)


def _shifts_between(
    session: Session, fellow_ids: list[int], start: datetime, end: datetime
) -> list[DutyShift]:
    # a little margin so stretches that cross the boundary are judged whole
    return list(
        session.scalars(
            select(DutyShift)
            .where(
                DutyShift.fellow_user_id.in_(fellow_ids),
                DutyShift.end_local > start - timedelta(days=2),
                DutyShift.start_local < end + timedelta(days=2),
            )
            .order_by(DutyShift.fellow_user_id, DutyShift.start_local)
        )
    )


def _core(shifts: list[DutyShift]) -> list[Shift]:
    return [
        Shift(str(s.fellow_user_id), s.start_local, s.end_local, ShiftKind(s.kind)) for s in shifts
    ]


def _judge(shifts: list[DutyShift], start: datetime, end: datetime) -> list[Finding]:
    calendar = academic_calendar(start.date(), (end - timedelta(days=1)).date())
    inside = [s for s in shifts if s.start_local >= start and s.end_local <= end]
    return check_shifts(_core(inside), calendar)


def log_shift(
    session: Session, program_id: int, fellow_id: int, form: ShiftForm, *, now: datetime
) -> tuple[DutyShift, list[Finding]]:
    """Record a shift; refuse one that overlaps another of the fellow's shifts.

    Returns the violations this shift newly causes in its academic year (ACGME CPR VI.F,
    via painfellow.core.duty_hours); they are also sent to the fellow and the directors.
    """
    # Serialise this fellow's writers (PostgreSQL row lock; SQLite writers are serialised).
    session.scalar(select(User.id).where(User.id == fellow_id).with_for_update())
    clash = session.scalar(
        select(DutyShift).where(
            DutyShift.fellow_user_id == fellow_id,
            DutyShift.start_local < form.end,
            DutyShift.end_local > form.start,
        )
    )
    if clash is not None:
        raise InvalidInput(
            [
                FieldError(
                    "start",
                    f"overlaps your {clash.kind.replace('_', ' ')} entry "
                    f"{clash.start_local:%Y-%m-%d %H:%M}–{clash.end_local:%Y-%m-%d %H:%M}",
                )
            ]
        )
    start, end = _year_bounds(form.start.date())
    existing = _shifts_between(session, [fellow_id], start, end)
    before = {_key(f) for f in _judge(existing, start, end)}
    shift = DutyShift(
        program_id=program_id,
        fellow_user_id=fellow_id,
        start_local=form.start,
        end_local=form.end,
        kind=form.kind.value,
        created_at=now,
    )
    session.add(shift)
    session.flush()
    after = _judge([*existing, shift], start, end)
    new_violations = [
        f for f in after if f.severity == Severity.VIOLATION and _key(f) not in before
    ]
    if new_violations:
        _alert(session, program_id, fellow_id, new_violations, now)
    session.commit()
    return shift, new_violations


def _key(finding: Finding) -> tuple[str, str, datetime]:
    return (finding.rule.value, finding.fellow_id, finding.start)


def _alert(
    session: Session, program_id: int, fellow_id: int, findings: list[Finding], now: datetime
) -> None:
    fellow = session.get(User, fellow_id)
    assert fellow is not None
    directors = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.program_id == program_id,
            Membership.role == Role.PROGRAM_DIRECTOR.value,
        )
    )
    lines = "\n".join(f"- {f.detail}" for f in findings)
    for recipient in [fellow, *directors]:
        enqueue_email(
            session,
            recipient=recipient.email,
            subject=f"Duty-hour violation logged by {fellow.full_name}",
            body=f"The shifts logged by {fellow.full_name} break the ACGME work-hour rules:\n"
            f"{lines}\n",
            now=now,
        )


def delete_shift(session: Session, program_id: int, fellow_id: int, shift_id: int) -> None:
    shift = session.get(DutyShift, shift_id)
    if shift is None or shift.fellow_user_id != fellow_id or shift.program_id != program_id:
        raise NotFound("No such entry in your log.")
    session.delete(shift)
    session.commit()


def fellow_overview(session: Session, fellow_id: int, *, now: datetime) -> FellowOverview:
    """The fellow's shifts of the last five weeks, this academic year's findings, and where
    they stand in the current 4-week period (warnings before a breach)."""
    start, end = _year_bounds(now.date())
    shifts = _shifts_between(session, [fellow_id], start, end)
    findings = _judge(shifts, start, end)
    calendar = academic_calendar(start.date(), (end - timedelta(days=1)).date())
    outlooks = breach_outlook(_core(shifts), now, calendar)
    recent = [s for s in shifts if s.end_local >= now - timedelta(days=35)]
    return FellowOverview(
        recent[::-1], findings, outlooks[0] if outlooks else None, _weekly_hours(shifts, now)
    )


def _weekly_hours(
    shifts: list[DutyShift], now: datetime, weeks: int = 12
) -> list[tuple[date, float]]:
    """Work hours (every kind but leave) per Monday-to-Sunday week, split at midnight."""
    first_monday = (now - timedelta(days=now.weekday() + 7 * (weeks - 1))).date()
    totals = [0.0] * weeks
    for shift in shifts:
        if shift.kind == ShiftKind.LEAVE.value:
            continue
        for index in range(weeks):
            week_start = datetime.combine(
                first_monday + timedelta(weeks=index), datetime.min.time()
            )
            week_end = week_start + timedelta(weeks=1)
            overlap = min(shift.end_local, week_end) - max(shift.start_local, week_start)
            if overlap > timedelta(0):
                totals[index] += overlap.total_seconds() / 3600
    return [(first_monday + timedelta(weeks=i), round(t, 1)) for i, t in enumerate(totals)]


def program_compliance(
    session: Session, program_id: int, *, first_day: date, last_day: date
) -> tuple[ComplianceReport, dict[int, str]]:
    """Violations and warnings per fellow and rule over a date range (ACGME CPR VI.F)."""
    fellows = members_with_role(session, program_id, Role.FELLOW)
    year_start, _ = _year_bounds(first_day)
    _, year_end = _year_bounds(last_day)
    shifts = _shifts_between(session, list(fellows), year_start, year_end)
    findings = _judge(shifts, year_start, year_end)
    report = compliance_report(findings, first_day, last_day, fellow_ids=[str(f) for f in fellows])
    return report, fellows
