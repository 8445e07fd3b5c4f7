"""Favourites: programs an applicant starred, once each, to come back to and compare."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.discovery.models import ProgramFavourite
from painfellow.errors import NotFound
from painfellow.programs.models import Program


def _require_program(session: Session, program_id: int) -> None:
    if session.get(Program, program_id) is None:
        raise NotFound("No such program.")


def star_program(session: Session, applicant_id: int, program_id: int) -> None:
    """Add a program to the applicant's favourites; starring it again changes nothing.

    One row per (applicant, program), enforced by a unique constraint: a second request
    racing this one finds the row, or loses on the constraint and is treated as done.
    """
    _require_program(session, program_id)
    exists = session.scalar(
        select(ProgramFavourite.id).where(
            ProgramFavourite.applicant_user_id == applicant_id,
            ProgramFavourite.program_id == program_id,
        )
    )
    if exists is not None:
        session.rollback()
        return
    session.add(ProgramFavourite(applicant_user_id=applicant_id, program_id=program_id))
    try:
        session.commit()
    except IntegrityError:  # the same star, sent twice at once: the other one stored it
        session.rollback()


def unstar_program(session: Session, applicant_id: int, program_id: int) -> None:
    """Remove a program from the applicant's favourites (nothing to do if it is not there)."""
    _require_program(session, program_id)
    session.execute(
        delete(ProgramFavourite).where(
            ProgramFavourite.applicant_user_id == applicant_id,
            ProgramFavourite.program_id == program_id,
        )
    )
    session.commit()


def starred_ids(session: Session, applicant_id: int, program_ids: list[int]) -> set[int]:
    """Which of these programs the applicant starred."""
    if not program_ids:
        return set()
    return set(
        session.scalars(
            select(ProgramFavourite.program_id).where(
                ProgramFavourite.applicant_user_id == applicant_id,
                ProgramFavourite.program_id.in_(program_ids),
            )
        )
    )


def list_favourites(session: Session, applicant_id: int) -> list[Program]:
    """The applicant's starred programs, most recently starred first."""
    return list(
        session.scalars(
            select(Program)
            .join(ProgramFavourite, ProgramFavourite.program_id == Program.id)
            .where(ProgramFavourite.applicant_user_id == applicant_id)
            .order_by(ProgramFavourite.created_at.desc(), ProgramFavourite.id.desc())
        )
    )
