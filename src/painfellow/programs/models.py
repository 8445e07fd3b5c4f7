"""Fellowship programs and their public profiles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, PortableJSON, utcnow
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES


class Program(Base):
    __tablename__ = "programs"
    __table_args__ = (
        CheckConstraint("length_months IN (12, 24)", name="length_months"),
        CheckConstraint("positions_per_year >= 0", name="positions_per_year"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    accreditation_number: Mapped[str] = mapped_column(String(20), unique=True)
    positions_per_year: Mapped[int]
    length_months: Mapped[int] = mapped_column(default=12)
    tracks: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    accepted_specialties: Mapped[list[str]] = mapped_column(
        PortableJSON, default=lambda: sorted(ELIGIBLE_PRIOR_SPECIALTIES)
    )
    features: Mapped[list[str]] = mapped_column(PortableJSON, default=list)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(PortableJSON, default=list)
    website_text: Mapped[str] = mapped_column(Text, default="")
    didactic_attendance_target: Mapped[int] = mapped_column(default=70, server_default="70")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_name(self) -> str:
        return f"{self.institution} — {self.name}"
