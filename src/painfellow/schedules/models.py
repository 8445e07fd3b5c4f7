"""Rotations, the block calendar, scheduling requirements and requests, and block schedules.

Blocks are numbered from 1 in every column here (``block``), as people say them; the pure
core (painfellow.core.scheduling) uses 0-based indices and the service converts.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, PortableJSON, utcnow


class ScheduleCalendar(Base):
    """The program's academic-year block calendar: ``n_blocks`` blocks of ``block_days`` days."""

    __tablename__ = "schedule_calendars"
    __table_args__ = (
        UniqueConstraint("program_id"),
        CheckConstraint("n_blocks >= 1 AND block_days >= 1", name="positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    first_day: Mapped[date]
    n_blocks: Mapped[int]
    block_days: Mapped[int]


class Rotation(Base):
    __tablename__ = "schedule_rotations"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint(
            "min_per_block >= 0 AND capacity_per_block >= min_per_block", name="staffing_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    sites: Mapped[str] = mapped_column(String(300), default="")
    capacity_per_block: Mapped[int]
    min_per_block: Mapped[int] = mapped_column(default=0)
    objectives: Mapped[str] = mapped_column(Text, default="")
    # Default shift hours, offered to fellows on this rotation for confirmation in their
    # duty-hour log: local start/end (an end at or before the start ends the next day),
    # ISO weekdays as digits 1 (Monday)..7, and the duty-hour kind.
    shift_start: Mapped[time | None] = mapped_column(default=None)
    shift_end: Mapped[time | None] = mapped_column(default=None)
    shift_weekdays: Mapped[str] = mapped_column(String(7), default="")
    shift_kind: Mapped[str] = mapped_column(String(30), default="in_house")
    # Off site (another hospital, an outside elective): didactic sessions a fellow misses
    # while on this rotation are excused (issue 5, "excused absences tied to the schedule").
    off_site: Mapped[bool] = mapped_column(default=False, server_default=false())


class ScheduleRequirement(Base):
    """One hard requirement. ``kind`` says which columns apply:

    block_count: rotation, min_blocks/max_blocks, fellow (empty: every fellow);
    unavailable: fellow not on rotation in blocked_blocks;
    contiguous: rotation's blocks consecutive, fellow (empty: every fellow);
    vacation: rotation, min_blocks..max_blocks, blocked_blocks, fellow (empty: every fellow);
    precedence: rotation before after_rotation, fellow (empty: every fellow);
    fixed: fellow on rotation in block.
    """

    __tablename__ = "schedule_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="CASCADE")
    )
    after_rotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="CASCADE")
    )
    fellow_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    min_blocks: Mapped[int | None]
    max_blocks: Mapped[int | None]
    block: Mapped[int | None]
    blocked_blocks: Mapped[list[int]] = mapped_column(PortableJSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")


class ScheduleRequest(Base):
    """A fellow's wish (``wants``) or objection (not ``wants``) for a rotation in a block."""

    __tablename__ = "schedule_requests"
    __table_args__ = (CheckConstraint("weight >= 1", name="positive_weight"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    block: Mapped[int]
    rotation_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="CASCADE")
    )
    wants: Mapped[bool] = mapped_column(default=True)
    weight: Mapped[int] = mapped_column(default=1)
    # Who entered it: the fellow themself or a manager (None for rows from before 0013).
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )


class BlockSchedule(Base):
    """A generated schedule with the solver's status and objective, and the inputs it was
    generated from (architecture rule 6). The newest one of a program is the current one."""

    __tablename__ = "block_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[int | None]
    total_request_weight: Mapped[int] = mapped_column(default=0)
    first_day: Mapped[date]
    n_blocks: Mapped[int]
    block_days: Mapped[int]
    inputs: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    rules_version: Mapped[str] = mapped_column(String(100))
    generated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    generated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScheduleAssignment(Base):
    __tablename__ = "schedule_assignments"
    __table_args__ = (UniqueConstraint("schedule_id", "fellow_user_id", "block"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("block_schedules.id", ondelete="CASCADE"), index=True
    )
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    block: Mapped[int]
    rotation_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_rotations.id", ondelete="SET NULL")
    )
