from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class SessionKind(StrEnum):
    LECTURE = "lecture"
    JOURNAL_CLUB = "journal_club"
    CASE_CONFERENCE = "case_conference"
    MORBIDITY_MORTALITY = "morbidity_mortality"
    SIMULATION = "simulation"
    CADAVER_LAB = "cadaver_lab"


class SessionForm(BaseModel):
    """Times without an offset are local to the program (the service attaches the zone)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: SessionKind
    title: Annotated[str, Field(min_length=1, max_length=300)]
    presenter: Annotated[str, Field(max_length=200)] = ""
    objectives: Annotated[str, Field(max_length=5000)] = ""
    materials_url: AnyHttpUrl | None = None
    starts_at: datetime
    ends_at: datetime

    @field_validator("ends_at")
    @classmethod
    def _after(cls, value: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("starts_at")
        if start is not None and (start.tzinfo is None) != (value.tzinfo is None):
            raise ValueError("give both times with an offset, or both without")
        if start is not None and value <= start:
            raise ValueError("must be after the start")
        return value


class CheckInForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    code: Annotated[str, Field(min_length=1, max_length=12)]


class ExcuseForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    fellow_user_id: int
    reason: Annotated[str, Field(min_length=3, max_length=300)]


class RatingForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    score: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=2000)] = ""
