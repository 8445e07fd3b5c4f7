"""Comparing up to four programs side by side, each scored under the applicant's weights."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.core.discovery import Result
from painfellow.discovery.schemas import CompareParams, PlaceView
from painfellow.discovery.service import fit_scores
from painfellow.errors import FieldError, InvalidInput
from painfellow.programs.models import Program


@dataclass(frozen=True)
class Comparison:
    programs: list[Program]  # in the order the ids were given
    scores: dict[int, Result]
    place: PlaceView | None


def compare_programs(session: Session, params: CompareParams) -> Comparison:
    """The programs named by ``params.ids`` (at most four, checked by the schema), scored.

    An id that names no program is bad input (422 on ``ids``), not a missing page: the
    comparison is built from the query, and every id in it must be usable.
    """
    found = {p.id: p for p in session.scalars(select(Program).where(Program.id.in_(params.ids)))}
    unknown = [str(i) for i in params.ids if i not in found]
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise InvalidInput([FieldError("ids", f"no program with id{plural} {', '.join(unknown)}")])
    programs = [found[i] for i in params.ids]
    scores, place = fit_scores(programs, params)
    return Comparison(programs=programs, scores=scores, place=place)
