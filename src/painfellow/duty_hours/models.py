"""Logged clinical and educational work periods (shifts) of fellows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, utcnow


class DutyShift(Base):
    """Start and end are local wall-clock times at the program (no time zone): the ACGME
    rules count calendar days and hours as the fellow lives them."""

    __tablename__ = "duty_shifts"
    __table_args__ = (
        CheckConstraint("end_local > start_local", name="ends_after_start"),
        Index("ix_duty_shifts_fellow_start", "fellow_user_id", "start_local"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    fellow_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    start_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    end_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DutyHourCalendar(Base):
    """A program's own duty-hour calendar (without a row: academic year from July 1, 4-week
    periods from July 1). ``period_anchor`` is any day a 4-week period starts on; periods
    repeat every 28 days from it, both ways, inside the academic year."""

    __tablename__ = "duty_hour_calendars"
    __table_args__ = (
        CheckConstraint("year_start_month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint("year_start_day BETWEEN 1 AND 28", name="day_range"),
    )

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    year_start_month: Mapped[int] = mapped_column(default=7)
    year_start_day: Mapped[int] = mapped_column(default=1)
    period_anchor: Mapped[date | None] = mapped_column(default=None)
