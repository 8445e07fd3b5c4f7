"""Read-only questions other domains ask about interviews (the match asks who interviewed)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.interviews.evaluations import counts, evaluation_mean
from painfellow.interviews.models import InterviewBooking, InterviewEvaluation, InterviewSlot


def interviewed_pairs(
    session: Session,
    now: datetime,
    *,
    program_id: int | None = None,
    applicant_user_id: int | None = None,
) -> set[tuple[int, int]]:
    """(program id, applicant user id) of every booking whose interview has begun by ``now``."""
    query = (
        select(InterviewBooking.program_id, InterviewBooking.applicant_user_id)
        .join(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .where(InterviewSlot.starts_at <= now)
    )
    if program_id is not None:
        query = query.where(InterviewBooking.program_id == program_id)
    if applicant_user_id is not None:
        query = query.where(InterviewBooking.applicant_user_id == applicant_user_id)
    return {(row[0], row[1]) for row in session.execute(query)}


def interview_scores(
    session: Session, program_id: int, *, viewer_id: int | None = None
) -> dict[int, float]:
    """Mean interview evaluation per applicant user id at the program (each evaluation counts
    once, as the mean of its criteria; one an applicant wrote of themselves never counts).
    ``viewer_id``, a member of the program reading the scores, never gets their own."""
    query = select(InterviewEvaluation).where(InterviewEvaluation.program_id == program_id)
    if viewer_id is not None:
        query = query.where(InterviewEvaluation.applicant_user_id != viewer_id)
    totals: dict[int, list[float]] = {}
    for evaluation in filter(counts, session.scalars(query)):
        totals.setdefault(evaluation.applicant_user_id, []).append(evaluation_mean(evaluation))
    return {user_id: sum(means) / len(means) for user_id, means in totals.items()}
