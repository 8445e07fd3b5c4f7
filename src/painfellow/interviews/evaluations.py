"""Faculty interview evaluations: one per faculty member per interviewed applicant, editable
by its author; their means feed the program's rank list. A member of the program who is also
an applicant to it never evaluates, nor reads the evaluations of, their own interview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.db.engine import begin_write
from painfellow.errors import Conflict, NotFound, PermissionDenied
from painfellow.interviews.models import InterviewBooking, InterviewEvaluation, InterviewSlot
from painfellow.interviews.schemas import CRITERIA, EvaluationForm


@dataclass(frozen=True)
class Interviewee:
    user_id: int
    name: str
    starts_at: datetime
    mean: float | None  # over every evaluation of this applicant at this program
    evaluations: int
    mine: InterviewEvaluation | None


OWN_INTERVIEW = "You cannot evaluate or read the evaluations of your own interview."


def refuse_own_interview(applicant_user_id: int, viewer_id: int | None) -> None:
    """403 when the program member acting is the interviewed applicant themselves."""
    if viewer_id is not None and viewer_id == applicant_user_id:
        raise PermissionDenied(OWN_INTERVIEW)


def counts(evaluation: InterviewEvaluation) -> bool:
    """Whether an evaluation enters the means: never one an applicant wrote of themselves."""
    return evaluation.evaluator_user_id != evaluation.applicant_user_id


def evaluation_mean(evaluation: InterviewEvaluation) -> float:
    scores: list[int] = [getattr(evaluation, name) for name in CRITERIA]
    return sum(scores) / len(scores)


def interviewees(session: Session, program_id: int, evaluator_id: int) -> list[Interviewee]:
    """Everyone booked at the program (interviewed or upcoming) with the evaluations so far,
    but the evaluator themselves, should they have an interview there too."""
    rows = session.execute(
        select(User.id, User.full_name, InterviewSlot.starts_at)
        .join(InterviewBooking, InterviewBooking.applicant_user_id == User.id)
        .join(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .where(InterviewBooking.program_id == program_id,
               InterviewBooking.applicant_user_id != evaluator_id)
        .order_by(InterviewSlot.starts_at, User.full_name)
    )  # fmt: skip
    evaluations = list(session.scalars(select(InterviewEvaluation).where(
        InterviewEvaluation.program_id == program_id)))  # fmt: skip
    by_applicant: dict[int, list[InterviewEvaluation]] = {}
    for evaluation in filter(counts, evaluations):
        by_applicant.setdefault(evaluation.applicant_user_id, []).append(evaluation)
    result = []
    for user_id, name, starts_at in rows:
        mine = [e for e in by_applicant.get(user_id, []) if e.evaluator_user_id == evaluator_id]
        means = [evaluation_mean(e) for e in by_applicant.get(user_id, [])]
        result.append(Interviewee(user_id, name, starts_at,
                                  sum(means) / len(means) if means else None, len(means),
                                  mine[0] if mine else None))  # fmt: skip
    return result


def interviewee(
    session: Session, program_id: int, applicant_user_id: int, evaluator_id: int
) -> Interviewee:
    refuse_own_interview(applicant_user_id, evaluator_id)
    for row in interviewees(session, program_id, evaluator_id):
        if row.user_id == applicant_user_id:
            return row
    raise NotFound("No interview booking of this applicant at this program.")


def save_evaluation(
    session: Session, program_id: int, applicant_user_id: int, evaluator_id: int,
    form: EvaluationForm, *, now: datetime,
) -> InterviewEvaluation:  # fmt: skip
    """Create or edit the evaluator's own evaluation of an applicant whose interview began
    (never of their own interview: 403)."""
    refuse_own_interview(applicant_user_id, evaluator_id)
    begin_write(session)
    try:
        slot_start = session.scalar(
            select(InterviewSlot.starts_at)
            .join(InterviewBooking, InterviewBooking.slot_id == InterviewSlot.id)
            .where(InterviewBooking.program_id == program_id,
                   InterviewBooking.applicant_user_id == applicant_user_id)
        )  # fmt: skip
        if slot_start is None:
            raise NotFound("No interview booking of this applicant at this program.")
        if slot_start > now:
            raise Conflict("Evaluate an applicant once their interview has begun.")
        record = session.scalar(select(InterviewEvaluation).where(
            InterviewEvaluation.program_id == program_id,
            InterviewEvaluation.applicant_user_id == applicant_user_id,
            InterviewEvaluation.evaluator_user_id == evaluator_id))  # fmt: skip
        if record is None:
            record = InterviewEvaluation(program_id=program_id,
                                         applicant_user_id=applicant_user_id,
                                         evaluator_user_id=evaluator_id)  # fmt: skip
            session.add(record)
        for name in CRITERIA:
            setattr(record, name, getattr(form, name))
        record.comment, record.updated_at = form.comment, now
        session.commit()
    except IntegrityError as error:  # the same evaluator saved twice at once
        session.rollback()
        raise Conflict("Your evaluation was saved meanwhile; reload and edit it.") from error
    except BaseException:
        session.rollback()
        raise
    return record
