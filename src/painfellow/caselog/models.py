"""Procedure case-log entries and program minimums.

No patient identifiers: age band and sex only, and free text is screened. The entry keeps
the day it was logged (for pace and projections), not a procedure date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, PortableJSON, utcnow


class CaseLogEntry(Base):
    __tablename__ = "case_log_entries"
    __table_args__ = (
        Index("ix_case_log_entries_fellow", "program_id", "fellow_user_id", "status"),
        Index("ix_case_log_entries_supervisor", "supervisor_user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    supervisor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    procedure_id: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(30))
    guidance: Mapped[str] = mapped_column(String(20))
    complications: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    age_band: Mapped[str] = mapped_column(String(8))
    sex: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(20))
    levels: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    laterality: Mapped[str | None] = mapped_column(String(10))
    intent: Mapped[str | None] = mapped_column(String(15))
    cpt_codes: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    logged_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(12), default="pending")
    verified_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    verified_at: Mapped[datetime | None]
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_log_entries.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseLogMinimum(Base):
    __tablename__ = "case_log_minimums"
    __table_args__ = (UniqueConstraint("program_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(40))
    minimum: Mapped[int]


class CaseLogFavourite(Base):
    """A procedure a fellow starred: listed first on the entry page."""

    __tablename__ = "case_log_favourites"
    __table_args__ = (UniqueConstraint("program_id", "fellow_user_id", "procedure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    procedure_id: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
