"""A program member who is also an applicant to the program never evaluates, scores or reads
the staff-only data of their own interview (issue 4); their colleagues see it as usual."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.errors import PermissionDenied
from painfellow.interviews import service
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewEvaluation,
    InterviewInvitation,
    InterviewSlot,
)
from painfellow.interviews.queries import interview_scores
from painfellow.interviews.schemas import EvaluationForm
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW, make_program, make_user, sign_in
from tests.interviews.helpers import applicant, day_with_slots, invitation

SCORES = {"knowledge": "4", "communication": "4", "professionalism": "4", "program_fit": "4"}


def _book(db: Session, program: Program, who: User, slot: InterviewSlot) -> None:
    inv = invitation(db, program, who)
    db.add(
        InterviewBooking(
            invitation_id=inv.id,
            slot_id=slot.id,
            program_id=program.id,
            applicant_user_id=who.id,
            booked_at=FIXED_NOW - timedelta(days=1),
        )
    )
    slot.booked_count += 1
    db.commit()


def _form(score: int) -> EvaluationForm:
    return EvaluationForm(
        knowledge=score, communication=score, professionalism=score, program_fit=score
    )


def _interviewed_member(db: Session, role: Role = Role.FACULTY) -> tuple[Program, User, User, int]:
    """A program whose member (``role``) and another applicant were both interviewed there
    (their interviews have begun); returns the program, the member, the other, the day id."""
    program = make_program(db)
    member = make_user(
        db, [(None, Role.APPLICANT), (program.id, role)], full_name="Morgan Memberapplicant"
    )
    other = applicant(db, full_name="Olive Otherapplicant")
    day, (slot,) = day_with_slots(db, program, hours_from_now=-2, capacities=(2,))
    _book(db, program, member, slot)
    _book(db, program, other, slot)
    return program, member, other, day.id


def test_a_member_never_evaluates_or_reads_scores_of_their_own_interview(db: Session) -> None:
    program, member, other, _ = _interviewed_member(db)
    colleague = make_user(db, [(program.id, Role.FACULTY)])
    # an evaluation of oneself written before this rule: never counted anywhere
    db.add(
        InterviewEvaluation(
            program_id=program.id, applicant_user_id=member.id, evaluator_user_id=member.id,
            knowledge=5, communication=5, professionalism=5, program_fit=5, comment="me",
            updated_at=FIXED_NOW,
        )
    )  # fmt: skip
    db.commit()

    assert [row.user_id for row in service.interviewees(db, program.id, member.id)] == [other.id]
    with pytest.raises(PermissionDenied, match="your own interview"):
        service.interviewee(db, program.id, member.id, member.id)
    with pytest.raises(PermissionDenied, match="your own interview"):
        service.save_evaluation(db, program.id, member.id, member.id, _form(5), now=FIXED_NOW)
    # the member still evaluates the other applicant
    service.save_evaluation(db, program.id, other.id, member.id, _form(3), now=FIXED_NOW)
    service.save_evaluation(db, program.id, member.id, colleague.id, _form(2), now=FIXED_NOW)

    assert interview_scores(db, program.id) == {other.id: 3.0, member.id: 2.0}
    assert interview_scores(db, program.id, viewer_id=member.id) == {other.id: 3.0}
    seen = {row.user_id: row for row in service.interviewees(db, program.id, colleague.id)}
    assert set(seen) == {member.id, other.id}
    assert (seen[member.id].mean, seen[member.id].evaluations) == (2.0, 1)
    own = db.scalar(
        select(func.count())
        .select_from(InterviewEvaluation)
        .where(
            InterviewEvaluation.evaluator_user_id == member.id,
            InterviewEvaluation.applicant_user_id == member.id,
        )
    )
    assert own == 1  # the refused save wrote nothing of its own


def test_evaluation_and_itinerary_pages_leave_the_members_own_interview_out(
    client: TestClient, db: Session
) -> None:
    program, member, other, day_id = _interviewed_member(db)
    csrf = sign_in(client, db, member)
    db.commit()
    base = f"/programs/{program.id}/interviews/evaluations"
    page = client.get(base)
    assert page.status_code == 200
    assert other.full_name in page.text and member.full_name not in page.text
    assert f'id="applicant-{member.id}"' not in page.text
    refused = client.post(f"{base}/{member.id}", data={"csrf_token": csrf, **SCORES})
    assert refused.status_code == 403
    assert "You cannot evaluate or read the evaluations of your own interview." in refused.text
    assert db.scalars(select(InterviewEvaluation)).all() == []
    ok = client.post(
        f"{base}/{other.id}", data={"csrf_token": csrf, **SCORES}, follow_redirects=False
    )
    assert ok.status_code == 303
    itinerary = client.get(f"/programs/{program.id}/interviews/days/{day_id}")
    assert itinerary.status_code == 200
    assert other.full_name in itinerary.text and member.full_name not in itinerary.text

    colleague = make_user(db, [(program.id, Role.FACULTY)])
    client.cookies.clear()
    sign_in(client, db, colleague)
    db.commit()
    assert member.full_name in client.get(base).text
    itinerary = client.get(f"/programs/{program.id}/interviews/days/{day_id}")
    assert member.full_name in itinerary.text and other.full_name in itinerary.text


def test_a_manager_who_applied_neither_sees_nor_invites_themselves(
    client: TestClient, db: Session
) -> None:
    program, member, other, _ = _interviewed_member(db, Role.PROGRAM_COORDINATOR)
    rows = service.invitation_rows(db, program.id, member.id)
    assert [row.invitation.applicant_user_id for row in rows] == [other.id]
    assert len(service.invitation_rows(db, program.id)) == 2
    (day,) = service.days_with_slots(db, program.id, names=True, viewer_id=member.id)
    assert [slot.applicants for slot in day.slots] == [[other.full_name]]

    csrf = sign_in(client, db, member)
    db.commit()
    page = client.get(f"/programs/{program.id}/interviews")
    assert page.status_code == 200
    assert other.email in page.text and member.email not in page.text
    assert member.full_name not in page.text
    before = db.scalar(select(func.count()).select_from(InterviewInvitation))
    fresh = applicant(db, full_name="Fresh Applicant")
    refused = client.post(
        f"/programs/{program.id}/interviews/invitations",
        data={"csrf_token": csrf, "emails": f"{fresh.email}\n{member.email}"},
    )
    assert refused.status_code == 403
    assert "You cannot invite yourself" in refused.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(InterviewInvitation)) == before
