"""Booking, cancelling and rescheduling interview seats, and the waitlist.

Race safety: a seat is taken by one conditional UPDATE
(``booked_count = booked_count + 1 WHERE id = :slot AND booked_count < capacity``), so of
several transactions racing for the last seat exactly one changes the row (PostgreSQL
re-checks the condition after the first commits; SQLite serialises writers with
BEGIN IMMEDIATE). The unique booking per invitation stops one applicant from holding two
seats at a program even when two of their requests race. Each operation is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.service import AnyRow, principal_along
from painfellow.db.engine import begin_write
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound
from painfellow.interviews.invitations import invitation_url
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
    InterviewWaitlistEntry,
)
from painfellow.outbox.service import enqueue_email
from painfellow.programs.models import Program
from painfellow.settings import Settings

CLOSED_STATUSES = ("declined", "withdrawn")


def local_time_text(moment: datetime) -> str:
    zone = ZoneInfo(Settings().local_timezone)
    return f"{moment.astimezone(zone):%A %d %B %Y, %H:%M %Z}"


@dataclass(frozen=True)
class BookingOutcome:
    status: Literal["booked", "rescheduled", "full"]
    slot_id: int


class _MoveFull(Exception):
    """The slot a booking was being moved to filled up: the move is undone."""


DEFAULT_MODE = "first_come"
DEFAULT_CUTOFF_HOURS = 48


def program_settings(session: Session, program_id: int) -> InterviewSettings:
    """The program's settings, or the defaults (first come, 48 h cutoff) when never saved."""
    found = session.get(InterviewSettings, program_id)
    return found or InterviewSettings(program_id=program_id, mode=DEFAULT_MODE,
                                      change_cutoff_hours=DEFAULT_CUTOFF_HOURS)  # fmt: skip


def own_invitation(session: Session, invitation_id: int, user_id: int) -> InterviewInvitation:
    """The caller's own invitation; anyone else's answers 404 as if it did not exist."""
    invitation = session.get(InterviewInvitation, invitation_id)
    if invitation is None or invitation.applicant_user_id != user_id:
        raise NotFound("No such interview invitation.")
    return invitation


def _booking_of(session: Session, invitation_id: int, lock: bool) -> InterviewBooking | None:
    query = select(InterviewBooking).where(InterviewBooking.invitation_id == invitation_id)
    return session.scalar(query.with_for_update() if lock else query)


def _take_seat(session: Session, slot_id: int) -> bool:
    result = session.execute(
        update(InterviewSlot)
        .where(InterviewSlot.id == slot_id, InterviewSlot.booked_count < InterviewSlot.capacity)
        .values(booked_count=InterviewSlot.booked_count + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _release_seat(session: Session, slot_id: int) -> None:
    session.execute(
        update(InterviewSlot)
        .where(InterviewSlot.id == slot_id, InterviewSlot.booked_count > 0)
        .values(booked_count=InterviewSlot.booked_count - 1)
        .execution_options(synchronize_session=False)
    )


def _check_cutoff(cutoff_hours: int, slot: InterviewSlot, now: datetime) -> None:
    if now >= slot.starts_at - timedelta(hours=cutoff_hours):
        raise Conflict(
            f"Changes to this booking closed {cutoff_hours} hours before the interview; "
            "contact the program."
        )


def book(
    session: Session, *, invitation_id: int, applicant_user_id: int, slot_id: int,
    now: datetime, reschedule: bool = False, context: AnyRow | None = None,
) -> BookingOutcome:  # fmt: skip
    """Take a seat in ``slot_id``, or with ``reschedule`` move the applicant's booking there.

    Answers ``full`` (storing nothing) when the slot has no seat left. Refuses a slot that has
    begun (422), a second booking at the same program (409), and a reschedule after the
    program's cutoff (409).

    ``context`` is the booking's one read when the caller made it already, in the same round
    trip as its own lookup (``BOOKING_CONTEXT_WITH_PRINCIPAL``, read with the parameters
    ``invitation_id`` and ``slot_id``; None when it found nothing), possibly outside a
    transaction (``db.engine.autocommit_reads``): nothing is written before ``begin_write``.
    """
    if context is None:
        begin_write(session)
    try:
        if context is None:
            params = {"invitation_id": invitation_id, "slot_id": slot_id}
            context = session.execute(_BOOKING_CONTEXT, params).first()
        outcome = _book(session, context, invitation_id, applicant_user_id, slot_id, now,
                        reschedule)  # fmt: skip
        # Nothing was written when the slot was full; ending the read-only transaction with
        # COMMIT rather than ROLLBACK keeps psycopg's prepared statements: psycopg answers
        # every ROLLBACK by forgetting them (and a DEALLOCATE ALL round trip).
        session.commit()
    except _MoveFull:
        session.rollback()  # the booking was moved before the new seat proved taken
        return BookingOutcome("full", slot_id)
    except IntegrityError as error:  # the applicant's other request booked first
        session.rollback()
        raise Conflict("You already hold an interview booking at this program.") from error
    except BaseException:
        session.rollback()
        raise
    return outcome


# The one read a booking needs, as plain columns (no ORM entities to build): bookings come in
# bursts, and most of a burst's requests end at this read with "full".
_invitations = InterviewInvitation.__table__
_settings = InterviewSettings.__table__
_slots = InterviewSlot.__table__
_bookings = InterviewBooking.__table__
_BOOKING_CONTEXT = (
    select(
        _invitations.c.applicant_user_id, _invitations.c.program_id, _invitations.c.status,
        _settings.c.mode, _settings.c.assigned_at, _settings.c.change_cutoff_hours,
        _slots.c.id.label("slot_id"), _slots.c.starts_at, _slots.c.capacity,
        _slots.c.booked_count, _bookings.c.id.label("booking_id"),
    )
    .select_from(_invitations)
    .outerjoin(_settings, _settings.c.program_id == _invitations.c.program_id)
    .outerjoin(_slots, and_(_slots.c.id == bindparam("slot_id"),
                            _slots.c.program_id == _invitations.c.program_id))
    .outerjoin(_bookings, _bookings.c.invitation_id == _invitations.c.id)
    .where(_invitations.c.id == bindparam("invitation_id"))
)  # fmt: skip
# The same read joined to the caller's lookup, for the booking API (one round trip for both).
BOOKING_CONTEXT_WITH_PRINCIPAL = principal_along(_BOOKING_CONTEXT)


def answer_from_read(
    row: AnyRow | None, *, applicant_user_id: int, slot_id: int, now: datetime,
    reschedule: bool,
) -> BookingOutcome | None:  # fmt: skip
    """What a booking request gets from its one read alone (``_BOOKING_CONTEXT``'s row): an
    error, or "full" when the slot was full when read, or None when ``book`` must write.
    Reads nothing and writes nothing."""
    if row is None or row.applicant_user_id != applicant_user_id:
        raise NotFound("No such interview invitation.")
    if row.status in CLOSED_STATUSES:
        raise Conflict(f"This invitation is {row.status}.")
    mode = row.mode or DEFAULT_MODE
    if mode == "ranked_dates" and row.assigned_at is None:
        raise Conflict("This program assigns interview dates from your ranking of the days.")
    if row.slot_id is None:
        raise InvalidInput([FieldError("slot_id", "is not an interview slot of this program")])
    if row.starts_at <= now:
        raise InvalidInput([FieldError("slot_id", "has already begun; choose a later slot")])
    if row.booking_id is not None and not reschedule:
        raise Conflict(
            "You already hold an interview booking at this program; reschedule it instead."
        )
    if row.booking_id is None and row.booked_count >= row.capacity:
        return BookingOutcome("full", slot_id)  # full when read: answer without any lock
    return None


def _book(
    session: Session, row: AnyRow | None, invitation_id: int, user_id: int, slot_id: int,
    now: datetime, reschedule: bool,
) -> BookingOutcome:  # fmt: skip
    answer = answer_from_read(row, applicant_user_id=user_id, slot_id=slot_id, now=now,
                              reschedule=reschedule)  # fmt: skip
    if answer is not None:
        return answer
    assert row is not None  # answer_from_read answered None
    if row.booking_id is not None:
        begin_write(session)
        cutoff_hours = DEFAULT_CUTOFF_HOURS if row.mode is None else row.change_cutoff_hours
        moved = _move(session, invitation_id, row.program_id, slot_id, cutoff_hours, now)
        if moved is not None:
            return moved
    if row.booked_count >= row.capacity:  # full when read: answer without taking any lock
        return BookingOutcome("full", slot_id)
    begin_write(session)
    # The seat is taken before anything else is read or written: of the requests that raced
    # for it, the losers learn "full" from this one statement (once the winner commits) and
    # load and write nothing, where writing first had each of them insert a booking and
    # audit entries only to roll them back. The winner holds the slot's row lock through its
    # three writes.
    if not _take_seat(session, slot_id):
        return BookingOutcome("full", slot_id)
    invitation = session.get(InterviewInvitation, invitation_id)
    assert invitation is not None
    session.add(InterviewBooking(invitation_id=invitation_id, slot_id=slot_id,
                                 program_id=row.program_id, applicant_user_id=user_id,
                                 booked_at=now))  # fmt: skip
    if invitation.status == "waitlisted":
        session.execute(
            delete(InterviewWaitlistEntry).where(
                InterviewWaitlistEntry.invitation_id == invitation_id
            )
        )
    invitation.status = "booked"
    session.flush()
    return BookingOutcome("booked", slot_id)


def _move(
    session: Session, invitation_id: int, program_id: int, slot_id: int, cutoff_hours: int,
    now: datetime,
) -> BookingOutcome | None:  # fmt: skip
    """Reschedule: move the invitation's booking to ``slot_id`` (before the cutoff); None when
    the booking was cancelled since it was read, so there is nothing to move."""
    # locked, so two moves of one booking cannot both release its old seat
    existing = _booking_of(session, invitation_id, lock=True)
    if existing is None:
        return None
    if existing.slot_id == slot_id:
        return BookingOutcome("booked", slot_id)
    old_slot = session.get(InterviewSlot, existing.slot_id)
    assert old_slot is not None
    _check_cutoff(cutoff_hours, old_slot, now)
    freed = existing.slot_id
    existing.slot_id, existing.booked_at = slot_id, now
    session.flush()
    if not _take_seat(session, slot_id):
        raise _MoveFull
    _release_seat(session, freed)
    fill_from_waitlist(session, program_id, freed, now=now)
    return BookingOutcome("rescheduled", slot_id)


def cancel(session: Session, *, invitation_id: int, applicant_user_id: int, now: datetime) -> None:
    """Give up the booking (until the cutoff); the seat goes to the waitlist's first."""
    begin_write(session)
    try:
        invitation = own_invitation(session, invitation_id, applicant_user_id)
        booking = _booking_of(session, invitation.id, lock=True)
        if booking is None:
            raise Conflict("You hold no booking at this program.")
        slot = session.get(InterviewSlot, booking.slot_id)
        assert slot is not None
        cutoff_hours = program_settings(session, invitation.program_id).change_cutoff_hours
        _check_cutoff(cutoff_hours, slot, now)
        session.delete(booking)
        invitation.status = "invited"
        session.flush()
        _release_seat(session, slot.id)
        fill_from_waitlist(session, invitation.program_id, slot.id, now=now)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def join_waitlist(
    session: Session, *, invitation_id: int, applicant_user_id: int, now: datetime
) -> InterviewWaitlistEntry:
    begin_write(session)
    try:
        invitation = own_invitation(session, invitation_id, applicant_user_id)
        if invitation.status in CLOSED_STATUSES:
            raise Conflict(f"This invitation is {invitation.status}.")
        if _booking_of(session, invitation.id, lock=False) is not None:
            raise Conflict("You already hold an interview booking at this program.")
        entry = InterviewWaitlistEntry(invitation_id=invitation.id,
                                       program_id=invitation.program_id, joined_at=now)  # fmt: skip
        session.add(entry)
        invitation.status = "waitlisted"
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise Conflict("You are already on this program's waitlist.") from error
    except BaseException:
        session.rollback()
        raise
    return entry


def leave_waitlist(session: Session, *, invitation_id: int, applicant_user_id: int) -> None:
    begin_write(session)
    try:
        invitation = own_invitation(session, invitation_id, applicant_user_id)
        removed = session.execute(
            delete(InterviewWaitlistEntry).where(
                InterviewWaitlistEntry.invitation_id == invitation.id
            )
        )
        if not getattr(removed, "rowcount", 0):
            raise Conflict("You are not on this program's waitlist.")
        if invitation.status == "waitlisted":
            invitation.status = "invited"
        session.commit()
    except BaseException:
        session.rollback()
        raise


def waitlist_position(session: Session, invitation: InterviewInvitation) -> int | None:
    entries = list(
        session.scalars(
            select(InterviewWaitlistEntry.invitation_id)
            .where(InterviewWaitlistEntry.program_id == invitation.program_id)
            .order_by(InterviewWaitlistEntry.joined_at, InterviewWaitlistEntry.id)
        )
    )
    return entries.index(invitation.id) + 1 if invitation.id in entries else None


def fill_from_waitlist(session: Session, program_id: int, slot_id: int, *, now: datetime) -> int:
    """Book the program's waitlist, first come first served, into the seats free in a slot
    that has not begun; email each person booked. Runs inside the caller's transaction."""
    slot = session.get(InterviewSlot, slot_id)
    if slot is None or slot.starts_at <= now:
        return 0
    filled = 0
    while True:
        entry = session.scalar(
            select(InterviewWaitlistEntry)
            .where(InterviewWaitlistEntry.program_id == program_id)
            .order_by(InterviewWaitlistEntry.joined_at, InterviewWaitlistEntry.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if entry is None or not _take_seat(session, slot_id):
            return filled
        invitation = session.get(InterviewInvitation, entry.invitation_id)
        assert invitation is not None
        session.delete(entry)
        session.add(InterviewBooking(invitation_id=invitation.id, slot_id=slot_id,
                                     program_id=program_id,
                                     applicant_user_id=invitation.applicant_user_id,
                                     booked_at=now))  # fmt: skip
        invitation.status = "booked"
        session.flush()
        _email_booked(session, invitation, slot, now, "A seat opened: you are booked")
        filled += 1


def _email_booked(
    session: Session, invitation: InterviewInvitation, slot: InterviewSlot, now: datetime,
    headline: str,
) -> None:  # fmt: skip
    user = session.get(User, invitation.applicant_user_id)
    program = session.get(Program, invitation.program_id)
    assert user is not None and program is not None
    when = local_time_text(slot.starts_at)
    enqueue_email(
        session,
        recipient=user.email,
        subject=f"{headline}: {program.institution} interview",
        body=(
            f"Hello {user.full_name},\n\n{headline} for an interview at {program.institution} "
            f"— {program.name}, {when}.\n\nDetails, calendar file and changes:\n"
            f"{invitation_url(invitation.id)}\n"
        ),
        now=now,
    )
