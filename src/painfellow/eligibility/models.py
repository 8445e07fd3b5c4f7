"""The admin's copy of the eligibility rules, one row per core specialty.

A specialty without a row uses the default from ``painfellow.core.eligibility.DEFAULT_RULES``
(training-rules.md §9); saving a rule in the admin page stores a row that overrides it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from painfellow.db.base import Base, utcnow


class EligibilityRule(Base):
    __tablename__ = "eligibility_rules"
    __table_args__ = (
        CheckConstraint("eligible IN ('yes', 'no', 'uncertain')", name="eligible_value"),
        CheckConstraint("confidence IN ('C', 'C/S', 'S', 'U')", name="confidence_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    specialty: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    eligible: Mapped[str] = mapped_column(String(10))
    certifying_board: Mapped[str] = mapped_column(String(20), default="")
    min_prior_gme_years: Mapped[int | None]
    confidence: Mapped[str] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
