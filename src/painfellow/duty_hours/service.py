"""Duty hours: fellows log shifts; the ACGME rules (painfellow.core.duty_hours) judge them.

Logging a shift that creates a new violation or warning, or that brings the fellow close to
a limit (a warning before the breach), alerts the fellow and the program's directors through
the email outbox, in the same transaction.
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
    PeriodCalendar,
    PlannedShift,
    PreBreachAlert,
    RollingAverage,
    RotationSpan,
    Severity,
    Shift,
    ShiftKind,
    ShiftTemplate,
    breach_outlook,
    check_shifts,
    compliance_report,
    planned_shifts,
    program_calendar,
    rolling_average,
    year_start_of,
)
from painfellow.duty_hours.models import DutyHourCalendar, DutyShift
from painfellow.duty_hours.schemas import CalendarForm, ShiftForm
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.outbox.service import enqueue_email


@dataclass(frozen=True)
class FellowOverview:
    shifts: list[DutyShift]
    findings: list[Finding]
    outlook: Outlook | None
    weekly_hours: list[tuple[date, float]]  # Monday of each of the last 12 weeks, work hours
    rolling: RollingAverage | None = None


@dataclass(frozen=True)
class CalendarSettings:
    """The program's duty-hour calendar (July 1 and periods from it unless set)."""

    month: int = 7
    day: int = 1
    anchor: date | None = None
    stored: bool = False

    def year_bounds(self, day: date) -> tuple[datetime, datetime]:
        start = year_start_of(day, self.month, self.day)
        return datetime.combine(start, datetime.min.time()), datetime(
            start.year + 1, self.month, self.day
        )

    def periods(self, first_day: date, last_day: date) -> PeriodCalendar:
        return program_calendar(
            first_day, last_day, month=self.month, day_of_month=self.day, anchor=self.anchor
        )


def get_calendar(session: Session, program_id: int) -> CalendarSettings:
    row = session.get(DutyHourCalendar, program_id)
    if row is None:
        return CalendarSettings()
    return CalendarSettings(row.year_start_month, row.year_start_day, row.period_anchor, True)


def set_calendar(session: Session, program_id: int, form: CalendarForm) -> None:
    """Set the program's academic-year start and 4-week period anchor (managers)."""
    row = session.get(DutyHourCalendar, program_id)
    if row is None:
        row = DutyHourCalendar(program_id=program_id)
        session.add(row)
    row.year_start_month, row.year_start_day = form.year_start_month, form.year_start_day
    row.period_anchor = form.period_anchor
    session.commit()


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


def _judge(
    shifts: list[DutyShift], start: datetime, end: datetime, settings: CalendarSettings
) -> list[Finding]:
    calendar = settings.periods(start.date(), (end - timedelta(days=1)).date())
    inside = [s for s in shifts if s.start_local >= start and s.end_local <= end]
    return check_shifts(_core(inside), calendar)


def log_shift(
    session: Session, program_id: int, fellow_id: int, form: ShiftForm, *, now: datetime
) -> tuple[DutyShift, list[Finding]]:
    """Record a shift; refuse one that overlaps another of the fellow's shifts.

    Returns the violations this shift newly causes in its academic year (ACGME CPR VI.F,
    via painfellow.core.duty_hours). They, the warnings it newly causes and the limits it
    brings the fellow close to (issue 5: "a warning before a breach") are sent to the
    fellow and the directors.
    """
    shift, new_violations = _stage_shift(session, program_id, fellow_id, form, now=now)
    session.commit()
    return shift, new_violations


def _stage_shift(
    session: Session, program_id: int, fellow_id: int, form: ShiftForm, *, now: datetime
) -> tuple[DutyShift, list[Finding]]:
    """log_shift without the commit (confirming a week stages several in one transaction)."""
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
    settings = get_calendar(session, program_id)
    start, end = settings.year_bounds(form.start.date())
    existing = _shifts_between(session, [fellow_id], start, end)
    before = {_key(f) for f in _judge(existing, start, end, settings)}
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
    after = _judge([*existing, shift], start, end, settings)
    new = [f for f in after if _key(f) not in before]
    new_violations = [f for f in new if f.severity == Severity.VIOLATION]
    new_warnings = [f for f in new if f.severity == Severity.WARNING]
    approaching = _new_pre_breach_alerts(existing, shift, settings)
    if new or approaching:
        _alert(session, program_id, fellow_id, new_violations, new_warnings, approaching, now)
    return shift, new_violations


def _new_pre_breach_alerts(
    existing: list[DutyShift], shift: DutyShift, settings: CalendarSettings
) -> list[PreBreachAlert]:
    """Limits the fellow is heading past once this shift is worked that they were not
    already heading past without it (core.duty_hours.breach_outlook at the shift's end)."""
    at = shift.end_local
    calendar = settings.periods(at.date() - timedelta(days=1), at.date() + timedelta(days=1))

    def alerts(shifts: list[DutyShift]) -> tuple[PreBreachAlert, ...]:
        outlooks = breach_outlook(_core(shifts), at, calendar)  # one fellow: one outlook
        return outlooks[0].alerts if outlooks else ()

    earlier = [s for s in existing if s.start_local < at]
    before = {(a.rule, a.topic) for a in alerts(earlier)}
    return [a for a in alerts([*earlier, shift]) if (a.rule, a.topic) not in before]


def _key(finding: Finding) -> tuple[str, str, datetime]:
    return (finding.rule.value, finding.fellow_id, finding.start)


def _alert(
    session: Session,
    program_id: int,
    fellow_id: int,
    violations: list[Finding],
    warnings: list[Finding],
    approaching: list[PreBreachAlert],
    now: datetime,
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
    sections = []
    if violations:
        sections.append("Violations of the ACGME work-hour rules:\n"
                        + "".join(f"- {f.detail}\n" for f in violations))  # fmt: skip
    if warnings:
        sections.append("Warnings:\n" + "".join(f"- {f.detail}\n" for f in warnings))
    if approaching:
        sections.append("Heading towards a limit (before a breach):\n"
                        + "".join(f"- {a.detail}\n" for a in approaching))  # fmt: skip
    what = "violation" if violations else "warning"
    for recipient in [fellow, *directors]:
        enqueue_email(
            session,
            recipient=recipient.email,
            subject=f"Duty-hour {what} logged by {fellow.full_name}",
            body=f"The shifts logged by {fellow.full_name}:\n\n" + "\n".join(sections),
            now=now,
        )


def delete_shift(session: Session, program_id: int, fellow_id: int, shift_id: int) -> None:
    shift = session.get(DutyShift, shift_id)
    if shift is None or shift.fellow_user_id != fellow_id or shift.program_id != program_id:
        raise NotFound("No such entry in your log.")
    session.delete(shift)
    session.commit()


def fellow_overview(
    session: Session, fellow_id: int, *, now: datetime, program_id: int | None = None
) -> FellowOverview:
    """The fellow's shifts of the last five weeks, this academic year's findings, where
    they stand in the current 4-week period (warnings before a breach) and their rolling
    28-day average. Periods follow the program's duty-hour calendar when ``program_id``
    is given, July 1 otherwise."""
    settings = get_calendar(session, program_id) if program_id else CalendarSettings()
    start, end = settings.year_bounds(now.date())
    shifts = _shifts_between(session, [fellow_id], start, end)
    findings = _judge(shifts, start, end, settings)
    calendar = settings.periods(start.date(), (end - timedelta(days=1)).date())
    outlooks = breach_outlook(_core(shifts), now, calendar)
    # the 28-day window may reach into the previous academic year
    window = _shifts_between(session, [fellow_id], now - timedelta(days=28), now)
    rolling = rolling_average(_core(window), str(fellow_id), now)
    recent = [s for s in shifts if s.end_local >= now - timedelta(days=35)]
    return FellowOverview(
        recent[::-1], findings, outlooks[0] if outlooks else None, _weekly_hours(shifts, now),
        rolling,
    )  # fmt: skip


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
    settings = get_calendar(session, program_id)
    year_start, _ = settings.year_bounds(first_day)
    _, year_end = settings.year_bounds(last_day)
    shifts = _shifts_between(session, list(fellows), year_start, year_end)
    findings = _judge(shifts, year_start, year_end, settings)
    report = compliance_report(findings, first_day, last_day, fellow_ids=[str(f) for f in fellows])
    return report, fellows


def rolling_averages(
    session: Session, program_id: int, *, now: datetime
) -> dict[int, RollingAverage]:
    """Each fellow's rolling 28-day average at ``now`` (warning from 75 h/week)."""
    fellows = members_with_role(session, program_id, Role.FELLOW)
    shifts = _core(_shifts_between(session, list(fellows), now - timedelta(days=28), now))
    return {fid: rolling_average(shifts, str(fid), now) for fid in fellows}


# -- shifts pre-filled from the block schedule ---------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A shift from the fellow's rotation hours; ``logged`` when the log already holds an
    overlapping entry (then it is not offered for confirmation)."""

    planned: PlannedShift
    logged: bool


def _spans(session: Session, program_id: int, fellow_id: int) -> list[RotationSpan]:
    from painfellow.schedules.service import fellow_blocks

    _, blocks = fellow_blocks(session, program_id, fellow_id)
    spans = []
    for b in blocks:
        r = b.rotation
        template = None
        if r is not None and r.shift_start is not None and r.shift_end is not None:
            days = frozenset(int(c) for c in r.shift_weekdays if c in "1234567")
            if days:
                template = ShiftTemplate(r.shift_start, r.shift_end, days, ShiftKind(r.shift_kind))
        spans.append(RotationSpan(b.start, b.end, r.name if r else "", template))
    return spans


def week_suggestions(
    session: Session, program_id: int, fellow_id: int, *, monday: date
) -> list[Suggestion]:
    """Shifts of the week from ``monday`` given by the rotation hours of the fellow's
    blocks in the program's current schedule."""
    planned = planned_shifts(
        _spans(session, program_id, fellow_id), monday, monday + timedelta(days=6)
    )
    if not planned:
        return []
    logged = _shifts_between(session, [fellow_id], planned[0].start, max(p.end for p in planned))
    return [
        Suggestion(p, any(s.start_local < p.end and s.end_local > p.start for s in logged))
        for p in planned
    ]


def confirm_week(
    session: Session, program_id: int, fellow_id: int, *, monday: date, now: datetime,
    local_now: datetime,
) -> tuple[list[DutyShift], list[Finding]]:  # fmt: skip
    """Log every not-yet-logged suggested shift of the week that has started by
    ``local_now``, in one transaction, through the same overlap checks and alerts as a
    shift logged by hand. Shifts still to come are not confirmed: the log attests hours
    worked."""
    shifts: list[DutyShift] = []
    violations: list[Finding] = []
    for suggestion in week_suggestions(session, program_id, fellow_id, monday=monday):
        p = suggestion.planned
        if suggestion.logged or p.start > local_now:
            continue
        form = ShiftForm(start=p.start, end=p.end, kind=p.kind)
        try:
            shift, found = _stage_shift(session, program_id, fellow_id, form, now=now)
        except InvalidInput as error:  # e.g. two rotations' shifts overlap at a block change
            session.rollback()
            reason = "; ".join(e.message for e in error.errors)
            raise InvalidInput(
                [
                    FieldError(
                        "week",
                        f"the {p.rotation} shift from {p.start:%a %Y-%m-%d %H:%M} {reason}; "
                        "nothing was saved: confirm the shifts one by one",
                    )
                ]
            ) from error
        shifts.append(shift)
        violations.extend(found)
    if not shifts:
        raise InvalidInput(
            [FieldError("week", "there is no unlogged shift to confirm in this week")]
        )
    session.commit()
    return shifts, violations
