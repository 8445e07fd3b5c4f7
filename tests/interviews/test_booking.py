from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.audit.models import AuditEntry
from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.interviews import service
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewInvitation,
    InterviewWaitlistEntry,
)
from painfellow.outbox.models import OutboxMessage
from tests.builders import FIXED_NOW, make_program, make_user
from tests.interviews.helpers import applicant, day_with_slots, invitation, settings


def _outbox(db: Session) -> list[OutboxMessage]:
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_invite_creates_invitations_once_and_emails_a_link(db: Session) -> None:
    program = make_program(db)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    first, second = applicant(db), applicant(db)
    created = service.invite(
        db,
        program_id=program.id,
        applicant_user_ids=[first.id, second.id],
        invited_by=coordinator.id,
        now=FIXED_NOW,
        message="Welcome!",
    )
    assert [i.applicant_user_id for i in created] == [first.id, second.id]
    again = service.invite(
        db,
        program_id=program.id,
        applicant_user_ids=[first.id],
        invited_by=coordinator.id,
        now=FIXED_NOW,
    )
    assert again == []
    messages = _outbox(db)
    assert [m.recipient for m in messages] == [first.email, second.email]
    assert f"/interviews/invitations/{created[0].id}" in messages[0].body
    assert "Welcome!" in messages[0].body


def test_invite_refuses_non_applicants_and_stores_nothing(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    good = applicant(db)
    with pytest.raises(InvalidInput) as error:
        service.invite(
            db,
            program_id=program.id,
            applicant_user_ids=[good.id, fellow.id],
            invited_by=fellow.id,
            now=FIXED_NOW,
        )
    assert error.value.errors[0].field == "applicant_user_ids"
    assert db.scalar(select(func.count()).select_from(InterviewInvitation)) == 0
    assert _outbox(db) == []


def test_book_takes_a_seat_and_full_slot_answers_full(db: Session) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    first, second = applicant(db), applicant(db)
    inv1, inv2 = invitation(db, program, first), invitation(db, program, second)
    outcome = service.book(
        db, invitation_id=inv1.id, applicant_user_id=first.id, slot_id=slot.id, now=FIXED_NOW
    )
    assert outcome.status == "booked"
    full = service.book(
        db, invitation_id=inv2.id, applicant_user_id=second.id, slot_id=slot.id, now=FIXED_NOW
    )
    assert full.status == "full"
    db.refresh(slot)
    assert slot.booked_count == 1
    assert db.scalar(select(func.count()).select_from(InterviewBooking)) == 1
    db.refresh(inv2)
    assert inv2.status == "invited"


def _audit_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_full_slot_answer_writes_nothing(db: Session) -> None:
    """A loser of the race stores no booking, no counter change and no audit entry."""
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    first, second = applicant(db), applicant(db)
    inv1, inv2 = invitation(db, program, first), invitation(db, program, second)
    service.book(db, invitation_id=inv1.id, applicant_user_id=first.id, slot_id=slot.id,
                 now=FIXED_NOW)  # fmt: skip
    audits, bookings = _audit_count(db), db.scalar(select(func.count(InterviewBooking.id)))
    full = service.book(
        db, invitation_id=inv2.id, applicant_user_id=second.id, slot_id=slot.id, now=FIXED_NOW
    )
    assert full == service.BookingOutcome("full", slot.id)
    assert _audit_count(db) == audits
    assert db.scalar(select(func.count(InterviewBooking.id))) == bookings == 1
    db.refresh(slot)
    db.refresh(inv2)
    assert (slot.booked_count, inv2.status) == (1, "invited")


def test_reschedule_into_a_full_slot_keeps_the_booking_and_writes_nothing(db: Session) -> None:
    program = make_program(db)
    _, (a, b) = day_with_slots(db, program, capacities=(1, 1))
    mover, holder = applicant(db), applicant(db)
    inv, inv_holder = invitation(db, program, mover), invitation(db, program, holder)
    service.book(db, invitation_id=inv.id, applicant_user_id=mover.id, slot_id=a.id, now=FIXED_NOW)
    service.book(db, invitation_id=inv_holder.id, applicant_user_id=holder.id, slot_id=b.id,
                 now=FIXED_NOW)  # fmt: skip
    audits = _audit_count(db)
    outcome = service.book(db, invitation_id=inv.id, applicant_user_id=mover.id, slot_id=b.id,
                           now=FIXED_NOW, reschedule=True)  # fmt: skip
    assert outcome == service.BookingOutcome("full", b.id)
    db.expire_all()
    bookings = {x.applicant_user_id: x.slot_id for x in db.scalars(select(InterviewBooking))}
    assert bookings == {mover.id: a.id, holder.id: b.id}
    assert (a.booked_count, b.booked_count) == (1, 1)
    assert _audit_count(db) == audits


def test_second_booking_at_same_program_is_refused(db: Session) -> None:
    program = make_program(db)
    _, (a, b) = day_with_slots(db, program, capacities=(2, 2))
    person = applicant(db)
    inv = invitation(db, program, person)
    service.book(db, invitation_id=inv.id, applicant_user_id=person.id, slot_id=a.id, now=FIXED_NOW)
    with pytest.raises(Conflict):
        service.book(
            db, invitation_id=inv.id, applicant_user_id=person.id, slot_id=b.id, now=FIXED_NOW
        )
    db.refresh(b)
    assert b.booked_count == 0


def test_past_slot_and_other_programs_slot_are_refused(db: Session) -> None:
    program, other = make_program(db), make_program(db)
    _, (past,) = day_with_slots(db, program, hours_from_now=-1)
    _, (foreign,) = day_with_slots(db, other)
    person = applicant(db)
    inv = invitation(db, program, person)
    for slot_id in (past.id, foreign.id, 999999):
        with pytest.raises(InvalidInput) as error:
            service.book(
                db,
                invitation_id=inv.id,
                applicant_user_id=person.id,
                slot_id=slot_id,
                now=FIXED_NOW,
            )
        assert error.value.errors[0].field == "slot_id"
    assert db.scalar(select(func.count()).select_from(InterviewBooking)) == 0


def test_someone_elses_invitation_is_not_found(db: Session) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    owner, intruder = applicant(db), applicant(db)
    inv = invitation(db, program, owner)
    with pytest.raises(NotFound):
        service.book(
            db, invitation_id=inv.id, applicant_user_id=intruder.id, slot_id=slot.id, now=FIXED_NOW
        )


def test_reschedule_moves_the_seat_and_frees_the_old_one_for_the_waitlist(db: Session) -> None:
    program = make_program(db)
    _, (a, b) = day_with_slots(db, program, capacities=(1, 1))
    mover, waiting, later = applicant(db), applicant(db), applicant(db)
    inv = invitation(db, program, mover)
    inv_wait, inv_later = invitation(db, program, waiting), invitation(db, program, later)
    service.book(db, invitation_id=inv.id, applicant_user_id=mover.id, slot_id=a.id, now=FIXED_NOW)
    service.join_waitlist(
        db, invitation_id=inv_wait.id, applicant_user_id=waiting.id, now=FIXED_NOW
    )
    service.join_waitlist(
        db,
        invitation_id=inv_later.id,
        applicant_user_id=later.id,
        now=FIXED_NOW + timedelta(minutes=1),
    )
    outcome = service.book(
        db,
        invitation_id=inv.id,
        applicant_user_id=mover.id,
        slot_id=b.id,
        now=FIXED_NOW,
        reschedule=True,
    )
    assert outcome.status == "rescheduled"
    bookings = {x.applicant_user_id: x.slot_id for x in db.scalars(select(InterviewBooking))}
    assert bookings == {mover.id: b.id, waiting.id: a.id}
    db.refresh(a)
    db.refresh(b)
    assert (a.booked_count, b.booked_count) == (1, 1)
    remaining = list(db.scalars(select(InterviewWaitlistEntry.invitation_id)))
    assert remaining == [inv_later.id]
    assert _outbox(db)[-1].recipient == waiting.email


def test_cancel_frees_the_seat_and_the_cutoff_is_enforced(db: Session) -> None:
    program = make_program(db)
    settings(db, program, mode="first_come", change_cutoff_hours=48)
    _, (soon,) = day_with_slots(db, program, hours_from_now=24, capacities=(1,))
    _, (later,) = day_with_slots(db, program, days_ahead=10, capacities=(1,))
    early, late = applicant(db), applicant(db)
    inv_early, inv_late = invitation(db, program, early), invitation(db, program, late)
    service.book(
        db, invitation_id=inv_early.id, applicant_user_id=early.id, slot_id=later.id, now=FIXED_NOW
    )
    service.book(
        db, invitation_id=inv_late.id, applicant_user_id=late.id, slot_id=soon.id, now=FIXED_NOW
    )
    with pytest.raises(Conflict, match="48 hours"):
        service.cancel(db, invitation_id=inv_late.id, applicant_user_id=late.id, now=FIXED_NOW)
    with pytest.raises(Conflict, match="48 hours"):
        service.book(
            db,
            invitation_id=inv_late.id,
            applicant_user_id=late.id,
            slot_id=later.id,
            now=FIXED_NOW,
            reschedule=True,
        )
    service.cancel(db, invitation_id=inv_early.id, applicant_user_id=early.id, now=FIXED_NOW)
    db.refresh(later)
    db.refresh(soon)
    assert (later.booked_count, soon.booked_count) == (0, 1)
    assert {b.applicant_user_id for b in db.scalars(select(InterviewBooking))} == {late.id}


def test_waitlist_needs_no_booking_and_only_once(db: Session) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    person = applicant(db)
    inv = invitation(db, program, person)
    service.join_waitlist(db, invitation_id=inv.id, applicant_user_id=person.id, now=FIXED_NOW)
    with pytest.raises(Conflict):
        service.join_waitlist(db, invitation_id=inv.id, applicant_user_id=person.id, now=FIXED_NOW)
    service.leave_waitlist(db, invitation_id=inv.id, applicant_user_id=person.id)
    service.book(
        db, invitation_id=inv.id, applicant_user_id=person.id, slot_id=slot.id, now=FIXED_NOW
    )
    with pytest.raises(Conflict):
        service.join_waitlist(db, invitation_id=inv.id, applicant_user_id=person.id, now=FIXED_NOW)
