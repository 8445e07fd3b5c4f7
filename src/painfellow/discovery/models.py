"""Tables of program discovery: the programs an applicant starred."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, utcnow


class ProgramFavourite(Base):
    """A program an applicant starred while looking for a fellowship; once per program."""

    __tablename__ = "program_favourites"
    __table_args__ = (UniqueConstraint("applicant_user_id", "program_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
