"""Interview days, slots, invitations, bookings and the waitlist of one program.

A slot's ``booked_count`` is the number of live bookings in it; booking raises it with one
conditional UPDATE (``booked_count < capacity``), which is what keeps two applicants from
taking the last seat together. One booking per invitation (a unique constraint) keeps an
applicant from holding two slots at one program.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, utcnow


class InterviewSettings(Base):
    __tablename__ = "interview_settings"
    __table_args__ = (
        CheckConstraint("mode IN ('first_come', 'ranked_dates')", name="mode_known"),
        CheckConstraint("change_cutoff_hours >= 0", name="cutoff_not_negative"),
    )

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(20), default="first_come")
    change_cutoff_hours: Mapped[int] = mapped_column(default=48)
    ranking_opens_at: Mapped[datetime | None]
    ranking_closes_at: Mapped[datetime | None]
    assignment_seed: Mapped[str | None] = mapped_column(String(64))
    assigned_at: Mapped[datetime | None]


class InterviewDay(Base):
    __tablename__ = "interview_days"
    __table_args__ = (
        UniqueConstraint("program_id", "day"),
        CheckConstraint("format IN ('in_person', 'virtual')", name="format_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date]
    format: Mapped[str] = mapped_column(String(10), default="in_person")
    location: Mapped[str] = mapped_column(String(300), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    itinerary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InterviewSlot(Base):
    __tablename__ = "interview_slots"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("booked_count >= 0 AND booked_count <= capacity", name="not_overbooked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(
        ForeignKey("interview_days.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    capacity: Mapped[int]
    booked_count: Mapped[int] = mapped_column(default=0)


class InterviewInvitation(Base):
    __tablename__ = "interview_invitations"
    __table_args__ = (UniqueConstraint("program_id", "applicant_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    applicant_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # invited | booked | waitlisted | declined | withdrawn
    status: Mapped[str] = mapped_column(String(12), default="invited")
    message: Mapped[str] = mapped_column(Text, default="")
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)


class InterviewBooking(Base):
    __tablename__ = "interview_bookings"
    __table_args__ = (UniqueConstraint("invitation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("interview_invitations.id", ondelete="CASCADE")
    )
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("interview_slots.id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    applicant_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    booked_at: Mapped[datetime] = mapped_column(default=utcnow)


class InterviewWaitlistEntry(Base):
    __tablename__ = "interview_waitlist"
    __table_args__ = (UniqueConstraint("invitation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("interview_invitations.id", ondelete="CASCADE")
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)


class InterviewDatePreference(Base):
    """Ranked-dates mode: an invited applicant's rank of one interview day (1 = first)."""

    __tablename__ = "interview_date_preferences"
    __table_args__ = (
        UniqueConstraint("invitation_id", "day_id"),
        UniqueConstraint("invitation_id", "rank"),
        CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("interview_invitations.id", ondelete="CASCADE")
    )
    day_id: Mapped[int] = mapped_column(ForeignKey("interview_days.id", ondelete="CASCADE"))
    rank: Mapped[int]


class InterviewEvaluation(Base):
    """One faculty member's scores (1-5 per criterion) for one interviewed applicant."""

    __tablename__ = "interview_evaluations"
    __table_args__ = (
        UniqueConstraint(
            "program_id",
            "applicant_user_id",
            "evaluator_user_id",
            name="uq_interview_evaluations_one_per_evaluator",
        ),
        CheckConstraint(
            "knowledge BETWEEN 1 AND 5 AND communication BETWEEN 1 AND 5"
            " AND professionalism BETWEEN 1 AND 5 AND program_fit BETWEEN 1 AND 5",
            name="scores_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    applicant_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    evaluator_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    knowledge: Mapped[int]
    communication: Mapped[int]
    professionalism: Mapped[int]
    program_fit: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeedToken(Base):
    """The secret behind a person's interview calendar feed URL (only its SHA-256 is kept)."""

    __tablename__ = "interview_calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
