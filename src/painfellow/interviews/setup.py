"""What a program manager sets up: the mode and cutoff, interview days and their slots."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import normalise_email
from painfellow.db.engine import begin_write
from painfellow.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from painfellow.interviews.booking import fill_from_waitlist, program_settings
from painfellow.interviews.invitations import invite
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
    InterviewWaitlistEntry,
)
from painfellow.interviews.schemas import DayForm, InviteForm, SettingsForm, SlotForm


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=zone)


def save_settings(
    session: Session, program_id: int, form: SettingsForm, *, zone: ZoneInfo
) -> InterviewSettings:
    """Save the mode, cutoff and ranking window; ranked mode gets its published seed now, so
    the random order is fixed before anyone ranks."""
    opens = _local(form.ranking_opens_at, zone)
    closes = _local(form.ranking_closes_at, zone)
    if form.mode.value == "ranked_dates" and (opens is None or closes is None):
        message = "ranked dates need a ranking window: give both times"
        raise InvalidInput([FieldError("ranking_closes_at", message)])
    if opens is not None and closes is not None and closes <= opens:
        raise InvalidInput([FieldError("ranking_closes_at", "must be after the opening")])
    begin_write(session)
    record = session.get(InterviewSettings, program_id)
    if record is None:
        record = InterviewSettings(program_id=program_id)
        session.add(record)
    if record.assigned_at is not None and form.mode.value != record.mode:
        session.rollback()
        raise InvalidInput([FieldError("mode", "dates were already assigned; it stays")])
    record.mode = form.mode.value
    record.change_cutoff_hours = form.change_cutoff_hours
    record.ranking_opens_at, record.ranking_closes_at = opens, closes
    if record.mode == "ranked_dates" and not record.assignment_seed:
        record.assignment_seed = secrets.token_hex(8)
    session.commit()
    return record


def create_day(session: Session, program_id: int, form: DayForm) -> InterviewDay:
    begin_write(session)
    day = InterviewDay(program_id=program_id, day=form.day, format=form.format.value,
                       location=form.location, video_link=form.video_link,
                       itinerary=form.itinerary)  # fmt: skip
    session.add(day)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise InvalidInput(
            [FieldError("day", "this program already has an interview day on it")]
        ) from error
    return day


def get_day(session: Session, program_id: int, day_id: int) -> InterviewDay:
    day = session.get(InterviewDay, day_id)
    if day is None or day.program_id != program_id:
        raise NotFound("No such interview day in this program.")
    return day


def add_slot(
    session: Session, program_id: int, day_id: int, form: SlotForm, *, zone: ZoneInfo,
    now: datetime,
) -> InterviewSlot:  # fmt: skip
    """Add a slot at a local wall-clock time on the day; its seats go to the waitlist first."""
    begin_write(session)
    try:
        day = get_day(session, program_id, day_id)
        starts_at = datetime.combine(day.day, form.start_time, tzinfo=zone)
        if starts_at <= now:
            raise InvalidInput([FieldError("start_time", "is in the past")])
        slot = InterviewSlot(day_id=day.id, program_id=program_id, starts_at=starts_at,
                             duration_minutes=form.duration_minutes, capacity=form.capacity,
                             booked_count=0)  # fmt: skip
        session.add(slot)
        session.flush()
        if program_settings(session, program_id).mode == "first_come":
            fill_from_waitlist(session, program_id, slot.id, now=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return slot


def invite_by_emails(
    session: Session, program_id: int, form: InviteForm, *, invited_by: int, now: datetime
) -> list[InterviewInvitation]:
    """Invite applicant accounts named by email (one per line or separated by commas); a
    member who applied never invites themselves (403)."""
    emails = [normalise_email(e) for e in form.emails.replace(",", "\n").split() if e.strip()]
    if not emails:
        raise InvalidInput([FieldError("emails", "give at least one email address")])
    found: dict[str, int] = {
        email: user_id
        for email, user_id in session.execute(
            select(User.email, User.id)
            .join(Membership, Membership.user_id == User.id)
            .where(
                User.email.in_(emails),
                Membership.role == Role.APPLICANT.value,
                Membership.program_id.is_(None),
            )
        )
    }
    if invited_by in found.values():
        session.rollback()
        raise PermissionDenied("You cannot invite yourself to interview at your own program.")
    unknown = [e for e in emails if e not in found]
    if unknown:
        session.rollback()
        raise InvalidInput(
            [FieldError("emails", f"no applicant account for: {', '.join(unknown)}")]
        )
    session.rollback()  # end the read so invite() begins its own write transaction
    return invite(session, program_id=program_id, applicant_user_ids=[found[e] for e in emails],
                  invited_by=invited_by, now=now, message=form.message)  # fmt: skip


@dataclass(frozen=True)
class SlotRow:
    slot: InterviewSlot
    applicants: list[str]  # names of those booked


@dataclass(frozen=True)
class DayRow:
    day: InterviewDay
    slots: list[SlotRow]


@dataclass(frozen=True)
class InvitationRow:
    invitation: InterviewInvitation
    name: str
    email: str
    slot: InterviewSlot | None


def days_with_slots(
    session: Session, program_id: int, *, names: bool, viewer_id: int | None = None
) -> list[DayRow]:
    """The program's days and slots; with ``names``, who is booked in each slot (staff only),
    but the ``viewer_id`` themselves, a member who is also booked there as an applicant."""
    days = list(session.scalars(select(InterviewDay).where(InterviewDay.program_id == program_id)
                                .order_by(InterviewDay.day)))  # fmt: skip
    slots = list(session.scalars(select(InterviewSlot).where(InterviewSlot.program_id == program_id)
                                 .order_by(InterviewSlot.starts_at, InterviewSlot.id)))  # fmt: skip
    booked: dict[int, list[str]] = {}
    if names:
        query = (
            select(InterviewBooking.slot_id, User.full_name)
            .join(User, User.id == InterviewBooking.applicant_user_id)
            .where(InterviewBooking.program_id == program_id)
            .order_by(User.full_name)
        )
        if viewer_id is not None:
            query = query.where(InterviewBooking.applicant_user_id != viewer_id)
        for slot_id, name in session.execute(query):
            booked.setdefault(slot_id, []).append(name)
    by_day: dict[int, list[SlotRow]] = {}
    for slot in slots:
        by_day.setdefault(slot.day_id, []).append(SlotRow(slot, booked.get(slot.id, [])))
    return [DayRow(day, by_day.get(day.id, [])) for day in days]


def invitation_rows(
    session: Session, program_id: int, viewer_id: int | None = None
) -> list[InvitationRow]:
    """The program's invitations, but the ``viewer_id``'s own (a member invited there)."""
    query = (
        select(InterviewInvitation, User.full_name, User.email, InterviewSlot)
        .join(User, User.id == InterviewInvitation.applicant_user_id)
        .outerjoin(InterviewBooking, InterviewBooking.invitation_id == InterviewInvitation.id)
        .outerjoin(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .where(InterviewInvitation.program_id == program_id)
        .order_by(User.full_name)
    )
    if viewer_id is not None:
        query = query.where(InterviewInvitation.applicant_user_id != viewer_id)
    rows = session.execute(query)
    return [InvitationRow(inv, name, email, slot) for inv, name, email, slot in rows]


def waitlist_size(session: Session, program_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(InterviewWaitlistEntry)
            .where(InterviewWaitlistEntry.program_id == program_id)
        )
        or 0
    )
