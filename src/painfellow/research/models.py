"""Research projects and scholarly work of fellows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, PortableJSON, utcnow


class ResearchProject(Base):
    __tablename__ = "research_projects"
    __table_args__ = (Index("ix_research_projects_fellow", "program_id", "fellow_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text, default="")
    mentor: Mapped[str] = mapped_column(String(200), default="")
    irb_status: Mapped[str] = mapped_column(String(20))
    irb_number: Mapped[str] = mapped_column(String(60), default="")
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(PortableJSON, default=list)
    data_location: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScholarlyWork(Base):
    """An abstract, poster, presentation, publication, grant or conference attended."""

    __tablename__ = "scholarly_works"
    __table_args__ = (Index("ix_scholarly_works_fellow", "program_id", "fellow_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("research_projects.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300), default="")
    authors: Mapped[str] = mapped_column(String(1000), default="")
    on_date: Mapped[date]
    doi: Mapped[str | None] = mapped_column(String(200))
    amount_usd: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
