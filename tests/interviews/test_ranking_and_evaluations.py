from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.interviews import service
from painfellow.interviews.models import InterviewBooking, InterviewSlot
from painfellow.interviews.queries import interview_scores
from painfellow.interviews.schemas import EvaluationForm
from painfellow.outbox.models import OutboxMessage
from tests.builders import FIXED_NOW, make_program, make_user
from tests.interviews.helpers import applicant, day_with_slots, invitation, settings


def test_ranked_dates_then_one_fair_assignment_announced_to_all(db: Session) -> None:
    program = make_program(db)
    settings(
        db,
        program,
        mode="ranked_dates",
        change_cutoff_hours=24,
        assignment_seed="abc",
        ranking_opens_at=FIXED_NOW - timedelta(days=1),
        ranking_closes_at=FIXED_NOW + timedelta(days=1),
    )
    day1, (slot1,) = day_with_slots(db, program, days_ahead=10, capacities=(1,))
    day2, (slot2,) = day_with_slots(db, program, days_ahead=11, capacities=(2,))
    people = [applicant(db) for _ in range(3)]
    invitations = [invitation(db, program, p) for p in people]
    with pytest.raises(Conflict):  # no self-booking before the assignment
        service.book(
            db,
            invitation_id=invitations[0].id,
            applicant_user_id=people[0].id,
            slot_id=slot1.id,
            now=FIXED_NOW,
        )
    with pytest.raises(InvalidInput) as error:
        service.save_ranking(
            db,
            invitation_id=invitations[0].id,
            applicant_user_id=people[0].id,
            values={f"rank_{day1.id}": "1", f"rank_{day2.id}": "1"},
            now=FIXED_NOW,
        )
    assert "twice" in error.value.errors[0].message
    for person, inv in zip(people, invitations, strict=True):
        service.save_ranking(
            db,
            invitation_id=inv.id,
            applicant_user_id=person.id,
            values={f"rank_{day1.id}": "1", f"rank_{day2.id}": "2"},
            now=FIXED_NOW,
        )
    with pytest.raises(Conflict, match="still open"):
        service.run_assignment(db, program.id, now=FIXED_NOW)
    after = FIXED_NOW + timedelta(days=2)
    result = service.run_assignment(db, program.id, now=after)
    bookings = {b.applicant_user_id: b.slot_id for b in db.scalars(select(InterviewBooking))}
    assert bookings[result.order[0]] == slot1.id  # first in the published order: first choice
    assert sorted(bookings.values()) == sorted([slot1.id, slot2.id, slot2.id])
    db.refresh(slot1)
    db.refresh(slot2)
    assert (slot1.booked_count, slot2.booked_count) == (1, 2)
    emails = db.scalars(select(OutboxMessage.recipient)).all()
    assert sorted(emails) == sorted(p.email for p in people)
    with pytest.raises(Conflict, match="already ran"):
        service.run_assignment(db, program.id, now=after)


def test_ranking_outside_the_window_is_refused(db: Session) -> None:
    program = make_program(db)
    settings(
        db,
        program,
        mode="ranked_dates",
        assignment_seed="x",
        ranking_opens_at=FIXED_NOW + timedelta(days=1),
        ranking_closes_at=FIXED_NOW + timedelta(days=2),
    )
    day, _ = day_with_slots(db, program)
    person = applicant(db)
    inv = invitation(db, program, person)
    with pytest.raises(Conflict, match="not open"):
        service.save_ranking(
            db,
            invitation_id=inv.id,
            applicant_user_id=person.id,
            values={f"rank_{day.id}": "1"},
            now=FIXED_NOW,
        )


def _form(score: int, comment: str = "") -> EvaluationForm:
    return EvaluationForm(
        knowledge=score,
        communication=score,
        professionalism=score,
        program_fit=score,
        comment=comment,
    )


def test_evaluations_one_per_faculty_editable_and_averaged(db: Session) -> None:
    program = make_program(db)
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    _, (slot,) = day_with_slots(db, program, hours_from_now=-3)
    _, (future,) = day_with_slots(db, program, days_ahead=5)
    person, later = applicant(db), applicant(db)
    for who, where in ((person, slot), (later, future)):
        inv = invitation(db, program, who)
        db.add(
            InterviewBooking(
                invitation_id=inv.id,
                slot_id=where.id,
                program_id=program.id,
                applicant_user_id=who.id,
            )
        )
        db.get(InterviewSlot, where.id).booked_count = 1  # type: ignore[union-attr]
    db.commit()
    service.save_evaluation(db, program.id, person.id, faculty.id, _form(2), now=FIXED_NOW)
    service.save_evaluation(
        db, program.id, person.id, faculty.id, _form(4, "better"), now=FIXED_NOW
    )
    service.save_evaluation(db, program.id, person.id, director.id, _form(5), now=FIXED_NOW)
    assert interview_scores(db, program.id) == {person.id: 4.5}
    mine = service.interviewee(db, program.id, person.id, faculty.id).mine
    assert mine is not None and mine.comment == "better"
    with pytest.raises(Conflict, match="begun"):
        service.save_evaluation(db, program.id, later.id, faculty.id, _form(3), now=FIXED_NOW)
    with pytest.raises(NotFound):
        service.save_evaluation(
            db, make_program(db).id, person.id, faculty.id, _form(3), now=FIXED_NOW
        )
