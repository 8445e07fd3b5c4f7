"""What the applicant sees of their invitations, and the itinerary of an interview day."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.errors import NotFound
from painfellow.interviews.booking import own_invitation, program_settings, waitlist_position
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
)
from painfellow.interviews.ranking import my_ranking
from painfellow.interviews.setup import DayRow, days_with_slots, get_day
from painfellow.programs.models import Program


@dataclass(frozen=True)
class InvitationView:
    invitation: InterviewInvitation
    program: Program
    settings: InterviewSettings
    booking: InterviewBooking | None
    slot: InterviewSlot | None
    day: InterviewDay | None
    days: list[DayRow]
    waitlist_position: int | None
    ranking: dict[int, int]


def my_invitations(
    session: Session, user_id: int
) -> list[tuple[InterviewInvitation, Program, InterviewSlot | None]]:
    rows = session.execute(
        select(InterviewInvitation, Program, InterviewSlot)
        .join(Program, Program.id == InterviewInvitation.program_id)
        .outerjoin(InterviewBooking, InterviewBooking.invitation_id == InterviewInvitation.id)
        .outerjoin(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .where(InterviewInvitation.applicant_user_id == user_id)
        .order_by(InterviewInvitation.invited_at.desc(), InterviewInvitation.id)
    )
    return list(rows)


def invitation_view(session: Session, invitation_id: int, user_id: int) -> InvitationView:
    invitation = own_invitation(session, invitation_id, user_id)
    program = session.get(Program, invitation.program_id)
    assert program is not None
    booking = session.scalar(
        select(InterviewBooking).where(InterviewBooking.invitation_id == invitation.id)
    )
    slot = session.get(InterviewSlot, booking.slot_id) if booking else None
    day = session.get(InterviewDay, slot.day_id) if slot else None
    return InvitationView(
        invitation=invitation,
        program=program,
        settings=program_settings(session, program.id),
        booking=booking,
        slot=slot,
        day=day,
        days=days_with_slots(session, program.id, names=False),
        waitlist_position=waitlist_position(session, invitation),
        ranking=my_ranking(session, invitation.id),
    )


@dataclass(frozen=True)
class Itinerary:
    program: Program
    day: DayRow


def staff_itinerary(
    session: Session, program_id: int, day_id: int, viewer_id: int | None = None
) -> Itinerary:
    """The day with every slot and who is booked in it (the program's own staff only), but
    the ``viewer_id`` themselves, a member booked there as an applicant."""
    day = get_day(session, program_id, day_id)
    program = session.get(Program, program_id)
    assert program is not None
    days = days_with_slots(session, program_id, names=True, viewer_id=viewer_id)
    rows = [row for row in days if row.day.id == day.id]
    return Itinerary(program, rows[0])


def applicant_itinerary(session: Session, invitation_id: int, user_id: int) -> Itinerary:
    """The day the applicant is booked on: its slots, without the other applicants' names."""
    view = invitation_view(session, invitation_id, user_id)
    if view.day is None:
        raise NotFound("You are not booked on an interview day of this program.")
    row = next(r for r in view.days if r.day.id == view.day.id)
    return Itinerary(view.program, row)
