"""The match season: dates, program quotas, rank order lists and stored match runs.

A rank list belongs to exactly one applicant or one program of a season; its entries name
either ranked programs (an applicant's list) or ranked applicants (a program's list).
A match run keeps the exact engine input (JSON), its SHA-256, the engine version and the
result, so it can be reproduced and explained (architecture rule 6).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, PortableJSON, utcnow


class MatchSeason(Base):
    __tablename__ = "match_seasons"
    __table_args__ = (
        CheckConstraint("certify_deadline > rol_opens_at", name="deadline_after_opening"),
        CheckConstraint("release_at > certify_deadline", name="release_after_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    rol_opens_at: Mapped[datetime]
    certify_deadline: Mapped[datetime]
    release_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def label(self) -> str:
        return f"{self.year}–{(self.year + 1) % 100:02d}"


class MatchQuota(Base):
    """The positions a program offers in one season's match."""

    __tablename__ = "match_quotas"
    __table_args__ = (
        UniqueConstraint("season_id", "program_id"),
        CheckConstraint("quota > 0", name="quota_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(
        ForeignKey("match_seasons.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    quota: Mapped[int]


class RankList(Base):
    __tablename__ = "match_rank_lists"
    __table_args__ = (
        UniqueConstraint("season_id", "program_id"),
        UniqueConstraint("season_id", "applicant_user_id"),
        CheckConstraint("(program_id IS NULL) <> (applicant_user_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(
        ForeignKey("match_seasons.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    applicant_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    certified_at: Mapped[datetime | None]
    certified_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RankEntry(Base):
    """One rank (1 = first choice). Ranks are unique within a list: ties are impossible."""

    __tablename__ = "match_rank_entries"
    __table_args__ = (
        UniqueConstraint("list_id", "rank"),
        UniqueConstraint("list_id", "ranked_program_id"),
        UniqueConstraint("list_id", "ranked_applicant_id"),
        CheckConstraint(
            "(ranked_program_id IS NULL) <> (ranked_applicant_id IS NULL)", name="one_target"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("match_rank_lists.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int]
    ranked_program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE")
    )
    ranked_applicant_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )


class MatchRun(Base):
    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(
        ForeignKey("match_seasons.id", ondelete="CASCADE"), index=True
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    stats: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    violations: Mapped[list[str]] = mapped_column(PortableJSON)
    engine_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None]
    approved_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
