"""The program's competency framework: learning objectives and what serves each of them.

An objective belongs to one area of the training and one ACGME core competency. It links to
the rotations, didactic sessions and case-log categories that give fellows experience in it;
evaluation items name the objectives they assess in their own link table
(painfellow.evaluations.models.EvaluationItemObjective).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, utcnow


class CurriculumObjective(Base):
    __tablename__ = "curriculum_objectives"
    __table_args__ = (UniqueConstraint("program_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(40))
    competency: Mapped[str] = mapped_column(String(40))
    code: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ObjectiveRotation(Base):
    __tablename__ = "objective_rotations"
    __table_args__ = (UniqueConstraint("objective_id", "rotation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("curriculum_objectives.id", ondelete="CASCADE"), index=True
    )
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="CASCADE"), index=True
    )


class ObjectiveSession(Base):
    __tablename__ = "objective_sessions"
    __table_args__ = (UniqueConstraint("objective_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("curriculum_objectives.id", ondelete="CASCADE"), index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("didactic_sessions.id", ondelete="CASCADE"), index=True
    )


class ObjectiveCategory(Base):
    """A case-log category (painfellow.core.caselog.CATEGORIES) that serves the objective."""

    __tablename__ = "objective_categories"
    __table_args__ = (UniqueConstraint("objective_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("curriculum_objectives.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(40))
