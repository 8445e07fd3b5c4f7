"""Evaluations of fellows: the program's forms, their items, and submitted evaluations.

An item rates one thing on one scale (painfellow.core.assessment) and names the curriculum
objectives it assesses, so the curriculum's coverage counts evaluation evidence. Submitted
evaluations are final: a correction is a new version by the same author that supersedes
the original, which is kept.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, utcnow


class EvaluationForm(Base):
    __tablename__ = "evaluation_forms"
    __table_args__ = (UniqueConstraint("program_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    rotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="SET NULL")
    )
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvaluationItem(Base):
    __tablename__ = "evaluation_items"
    __table_args__ = (UniqueConstraint("form_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    form_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    prompt: Mapped[str] = mapped_column(Text)
    scale: Mapped[str] = mapped_column(String(20))  # a key of core.assessment.SCALES


class EvaluationItemObjective(Base):
    """A curriculum objective the item assesses."""

    __tablename__ = "evaluation_item_objectives"
    __table_args__ = (UniqueConstraint("item_id", "objective_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_items.id", ondelete="CASCADE"), index=True
    )
    objective_id: Mapped[int] = mapped_column(
        ForeignKey("curriculum_objectives.id", ondelete="CASCADE"), index=True
    )


class FellowEvaluation(Base):
    __tablename__ = "fellow_evaluations"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_order"),
        Index("ix_fellow_evaluations_fellow", "program_id", "fellow_user_id", "status"),
        Index("ix_fellow_evaluations_evaluator", "program_id", "evaluator_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    form_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True
    )
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    evaluator_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    rotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="SET NULL")
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    comments: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="submitted")  # | superseded
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("fellow_evaluations.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[datetime]


class EvaluationAnswer(Base):
    """One item's answer: a rating in half-points (core.assessment), or None: not observed."""

    __tablename__ = "evaluation_answers"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "item_id"),
        CheckConstraint("rating_halves BETWEEN 2 AND 10", name="rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("fellow_evaluations.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_items.id", ondelete="CASCADE"), index=True
    )
    rating_halves: Mapped[int | None]
