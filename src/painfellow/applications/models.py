"""Tables of the applications domain.

Document and letter files live under ``settings.upload_dir`` with their SHA-256 as the name;
rows hold the hash. A submitted application is an ``ApplicationVersion`` whose ``snapshot`` is
the frozen profile, document hashes and letters the program received.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, PortableJSON, utcnow


class ApplicantProfile(Base):
    __tablename__ = "applicant_profiles"
    __table_args__ = (
        CheckConstraint(
            "board_status IN ('certified', 'eligible', 'neither')", name="board_status_known"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    medical_school: Mapped[str] = mapped_column(String(200), default="")
    graduation_year: Mapped[int | None]
    residency_program: Mapped[str] = mapped_column(String(200), default="")
    residency_specialty: Mapped[str] = mapped_column(String(60), default="")
    residency_expected_completion: Mapped[date | None]
    license_state: Mapped[str] = mapped_column(String(2), default="")
    license_number: Mapped[str] = mapped_column(String(40), default="")
    board_status: Mapped[str] = mapped_column(String(10), default="neither")
    usmle_step1: Mapped[str] = mapped_column(String(10), default="")  # pass | fail | ""
    usmle_step2_score: Mapped[int | None]
    usmle_step3_score: Mapped[int | None]
    experiences: Mapped[str] = mapped_column(Text, default="")
    publications: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApplicantDocument(Base):
    __tablename__ = "applicant_documents"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('cv', 'personal_statement', 'transcript', 'photo')", name="kind_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    # a personal statement written for one program; None means shared by every application
    program_id: Mapped[int | None] = mapped_column(ForeignKey("programs.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200), default="")
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LetterRequest(Base):
    __tablename__ = "letter_requests"
    __table_args__ = (CheckConstraint("status IN ('requested', 'received')", name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    writer_name: Mapped[str] = mapped_column(String(200))
    writer_email: Mapped[str] = mapped_column(String(254))
    writer_title: Mapped[str] = mapped_column(String(200), default="")
    waived: Mapped[bool]
    status: Mapped[str] = mapped_column(String(10), default="requested")
    # part of the signed link; a new nonce revokes every earlier link
    link_nonce: Mapped[str] = mapped_column(String(32))
    link_expires_at: Mapped[datetime]
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None]


class ApplicationSettings(Base):
    """A program's application window (the programs table has no deadline of its own)."""

    __tablename__ = "application_settings"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    accepting: Mapped[bool] = mapped_column(default=True)
    application_deadline: Mapped[datetime | None]


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("applicant_user_id", "program_id"),
        CheckConstraint(
            "status IN ('draft', 'submitted', 'under_review', 'invited', 'waitlisted', 'declined')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="draft")
    personal_statement_id: Mapped[int | None] = mapped_column(
        ForeignKey("applicant_documents.id", ondelete="SET NULL")
    )
    letter_ids: Mapped[list[int]] = mapped_column(PortableJSON, default=list)
    current_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]


class ApplicationVersion(Base):
    __tablename__ = "application_versions"
    __table_args__ = (UniqueConstraint("application_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    snapshot: Mapped[dict[str, Any]] = mapped_column(PortableJSON)
    changes: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime]


class RubricCriterion(Base):
    __tablename__ = "rubric_criteria"
    __table_args__ = (
        UniqueConstraint("program_id", "name"),
        CheckConstraint("weight BETWEEN 1 AND 10", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[int] = mapped_column(default=1)


class RubricScore(Base):
    __tablename__ = "rubric_scores"
    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id", "reviewer_user_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="CASCADE"))
    reviewer_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    score: Mapped[int]
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewNote(Base):
    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
