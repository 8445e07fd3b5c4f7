"""The race-free mode: applicants rank the days they can attend while the window is open;
after it closes the manager runs one fair assignment and everyone is told at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.core.interviews.assignment import Assignment, Seat, assign
from painfellow.db.engine import begin_write
from painfellow.errors import Conflict, FieldError, InvalidInput
from painfellow.interviews.booking import (
    CLOSED_STATUSES,
    _email_booked,
    _take_seat,
    own_invitation,
    program_settings,
)
from painfellow.interviews.invitations import invitation_url
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDatePreference,
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
)
from painfellow.outbox.service import enqueue_email


def window_open(settings: InterviewSettings, now: datetime) -> bool:
    opens, closes = settings.ranking_opens_at, settings.ranking_closes_at
    return opens is not None and closes is not None and opens <= now < closes


def my_ranking(session: Session, invitation_id: int) -> dict[int, int]:
    """Day id -> rank for one invitation."""
    rows = session.execute(
        select(InterviewDatePreference.day_id, InterviewDatePreference.rank).where(
            InterviewDatePreference.invitation_id == invitation_id
        )
    )
    return {day_id: rank for day_id, rank in rows}


def save_ranking(
    session: Session, *, invitation_id: int, applicant_user_id: int, values: dict[str, str],
    now: datetime,
) -> dict[int, int]:  # fmt: skip
    """Replace the applicant's ranking from fields ``rank_<day id>`` (blank = cannot attend)."""
    begin_write(session)
    try:
        invitation = own_invitation(session, invitation_id, applicant_user_id)
        settings = program_settings(session, invitation.program_id)
        if settings.mode != "ranked_dates" or not window_open(settings, now):
            raise Conflict("The ranking window of this program is not open.")
        if invitation.status in CLOSED_STATUSES:
            raise Conflict(f"This invitation is {invitation.status}.")
        days = set(session.scalars(select(InterviewDay.id).where(
            InterviewDay.program_id == invitation.program_id)))  # fmt: skip
        ranking: dict[int, int] = {}
        errors: list[FieldError] = []
        for day_id in sorted(days):
            raw = values.get(f"rank_{day_id}", "").strip()
            if not raw:
                continue
            if not raw.isdigit() or not 1 <= int(raw) <= len(days):
                errors.append(FieldError(f"rank_{day_id}", f"give a rank from 1 to {len(days)}"))
                continue
            ranking[day_id] = int(raw)
        seen: dict[int, int] = {}
        for day_id, rank in ranking.items():
            if rank in seen:
                errors.append(FieldError(f"rank_{day_id}", f"rank {rank} is given twice"))
            seen[rank] = day_id
        if not ranking and not errors:
            errors.append(FieldError("ranking", "rank at least one day you can attend"))
        if errors:
            raise InvalidInput(errors)
        session.execute(delete(InterviewDatePreference).where(
            InterviewDatePreference.invitation_id == invitation.id))  # fmt: skip
        for position, (day_id, _) in enumerate(sorted(ranking.items(), key=lambda i: i[1]), 1):
            session.add(InterviewDatePreference(invitation_id=invitation.id, day_id=day_id,
                                                rank=position))  # fmt: skip
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return my_ranking(session, invitation_id)


def run_assignment(session: Session, program_id: int, *, now: datetime) -> Assignment:
    """Assign seats to everyone who ranked, in one transaction, and announce every result
    (the emails leave together when it commits). Runs once, after the window closes."""
    begin_write(session)
    try:
        settings = session.get(InterviewSettings, program_id, with_for_update=True)
        if settings is None or settings.mode != "ranked_dates":
            raise Conflict("This program does not use ranked dates.")
        if settings.assigned_at is not None:
            raise Conflict("The assignment already ran.")
        if settings.ranking_closes_at is None or now < settings.ranking_closes_at:
            raise Conflict("The ranking window is still open.")
        assert settings.assignment_seed is not None
        rankings: dict[int, list[int]] = {}
        invitation_of: dict[int, InterviewInvitation] = {}
        rows = session.execute(
            select(InterviewInvitation, InterviewDatePreference.day_id)
            .join(InterviewDatePreference,
                  InterviewDatePreference.invitation_id == InterviewInvitation.id)
            .outerjoin(InterviewBooking, InterviewBooking.invitation_id == InterviewInvitation.id)
            .where(InterviewInvitation.program_id == program_id,
                   InterviewInvitation.status.not_in(CLOSED_STATUSES),
                   InterviewBooking.id.is_(None))
            .order_by(InterviewDatePreference.rank)
        )  # fmt: skip
        for invitation, day_id in rows:
            rankings.setdefault(invitation.applicant_user_id, []).append(day_id)
            invitation_of[invitation.applicant_user_id] = invitation
        slots = {s.id: s for s in session.scalars(select(InterviewSlot).where(
            InterviewSlot.program_id == program_id, InterviewSlot.starts_at > now))}  # fmt: skip
        seats = [Seat(s.id, s.day_id, int(s.starts_at.timestamp()), s.capacity - s.booked_count)
                 for s in slots.values()]  # fmt: skip
        result = assign(settings.assignment_seed, rankings, seats)
        for placement in result.placements:
            invitation = invitation_of[placement.applicant_id]
            if not _take_seat(session, placement.slot_id):  # seats were read in this transaction
                raise Conflict("A slot filled while assigning; run the assignment again.")
            session.add(InterviewBooking(invitation_id=invitation.id, slot_id=placement.slot_id,
                                         program_id=program_id,
                                         applicant_user_id=placement.applicant_id,
                                         booked_at=now))  # fmt: skip
            invitation.status = "booked"
            _email_booked(session, invitation, slots[placement.slot_id], now,
                          "Interview dates are assigned: you are booked")  # fmt: skip
        for applicant_id in result.unplaced:
            _email_unplaced(session, invitation_of[applicant_id], now)
        settings.assigned_at = now
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return result


def _email_unplaced(session: Session, invitation: InterviewInvitation, now: datetime) -> None:
    user = session.get(User, invitation.applicant_user_id)
    assert user is not None
    enqueue_email(
        session,
        recipient=user.email,
        subject="Interview dates are assigned",
        body=(
            f"Hello {user.full_name},\n\nInterview dates were assigned today, and every seat "
            "was taken before your turn in the published random order. You may join the "
            f"waitlist here:\n{invitation_url(invitation.id)}\n"
        ),
        now=now,
    )
