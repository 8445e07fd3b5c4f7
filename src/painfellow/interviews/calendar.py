"""Interview calendars: an .ics file per booking and a per-person feed behind a secret URL.

The RFC 5545 text escaping and line folding are the shared ones of ``painfellow.ics``."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership
from painfellow.accounts.roles import Role
from painfellow.accounts.service import token_digest
from painfellow.db.engine import begin_write
from painfellow.errors import NotFound
from painfellow.ics import calendar_text, escape_text
from painfellow.interviews.booking import own_invitation
from painfellow.interviews.invitations import invitation_url
from painfellow.interviews.models import (
    CalendarFeedToken,
    InterviewBooking,
    InterviewDay,
    InterviewSlot,
)
from painfellow.programs.models import Program

STAFF_ROLES = (Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR, Role.FACULTY)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _calendar(name: str, events: Iterable[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//painfellow//interviews//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape_text(name)}"]  # fmt: skip
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return calendar_text(lines)


def _booking_event(
    booking: InterviewBooking, slot: InterviewSlot, day: InterviewDay, program: Program,
    now: datetime,
) -> list[str]:  # fmt: skip
    where = day.video_link if day.format == "virtual" else day.location
    details = "\n\n".join(
        part for part in (day.itinerary, f"Invitation: {invitation_url(booking.invitation_id)}")
        if part
    )  # fmt: skip
    event = [
        f"UID:interview-booking-{booking.id}@painfellow",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(slot.starts_at)}",
        f"DTEND:{_stamp(slot.starts_at + timedelta(minutes=slot.duration_minutes))}",
        f"SUMMARY:{escape_text(f'Fellowship interview: {program.institution}')}",
        f"DESCRIPTION:{escape_text(details)}",
    ]
    if where:
        event.append(f"LOCATION:{escape_text(where)}")
    return event


def booking_ics(
    session: Session, *, invitation_id: int, applicant_user_id: int, now: datetime
) -> str:
    invitation = own_invitation(session, invitation_id, applicant_user_id)
    row = session.execute(
        select(InterviewBooking, InterviewSlot, InterviewDay, Program)
        .join(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .join(InterviewDay, InterviewDay.id == InterviewSlot.day_id)
        .join(Program, Program.id == InterviewBooking.program_id)
        .where(InterviewBooking.invitation_id == invitation.id)
    ).first()  # fmt: skip
    if row is None:
        raise NotFound("You hold no booking at this program.")
    return _calendar("Fellowship interview", [_booking_event(*row, now)])


def issue_feed_token(session: Session, user_id: int, *, now: datetime) -> str:
    """A new secret feed token for the person (the previous link stops working)."""
    begin_write(session)
    token = secrets.token_urlsafe(24)
    record = session.get(CalendarFeedToken, user_id)
    if record is None:
        session.add(CalendarFeedToken(user_id=user_id, token_hash=token_digest(token),
                                      created_at=now))  # fmt: skip
    else:
        record.token_hash, record.created_at = token_digest(token), now
    session.commit()
    return token


def has_feed(session: Session, user_id: int) -> bool:
    return session.get(CalendarFeedToken, user_id) is not None


def feed_ics(session: Session, token: str, *, now: datetime) -> str:
    """The feed of the token's owner: their bookings, and the interview days of every program
    where they direct, coordinate or teach."""
    user_id = session.scalar(
        select(CalendarFeedToken.user_id).where(CalendarFeedToken.token_hash == token_digest(token))
    )
    if user_id is None:
        raise NotFound("No such calendar feed.")
    events: list[list[str]] = []
    bookings = session.execute(
        select(InterviewBooking, InterviewSlot, InterviewDay, Program)
        .join(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .join(InterviewDay, InterviewDay.id == InterviewSlot.day_id)
        .join(Program, Program.id == InterviewBooking.program_id)
        .where(InterviewBooking.applicant_user_id == user_id)
        .order_by(InterviewSlot.starts_at)
    )  # fmt: skip
    events += [_booking_event(*row, now) for row in bookings]
    staff_programs = select(Membership.program_id).where(
        Membership.user_id == user_id, Membership.role.in_([r.value for r in STAFF_ROLES])
    )
    days = session.execute(
        select(InterviewDay, Program)
        .join(Program, Program.id == InterviewDay.program_id)
        .where(InterviewDay.program_id.in_(staff_programs))
        .order_by(InterviewDay.day)
    )
    for day, program in days:
        mode = "virtual" if day.format == "virtual" else day.location or "in person"
        events.append([
            f"UID:interview-day-{day.id}@painfellow",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART;VALUE=DATE:{day.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(f'Interview day, {program.institution} ({mode})')}",
            f"DESCRIPTION:{escape_text(day.itinerary)}",
        ])  # fmt: skip
    return _calendar("painfellow interviews", events)
