"""Forms of the interview pages."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class Mode(StrEnum):
    FIRST_COME = "first_come"
    RANKED_DATES = "ranked_dates"


class DayFormat(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"


class SettingsForm(BaseModel):
    """Ranking-window times without an offset are local to the program; the service checks
    that ranked dates have a window."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    mode: Mode
    change_cutoff_hours: Annotated[int, Field(ge=0, le=720)]
    ranking_opens_at: datetime | None = None
    ranking_closes_at: datetime | None = None

    @field_validator("ranking_opens_at", "ranking_closes_at", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class DayForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    day: date
    format: DayFormat
    location: Annotated[str, Field(max_length=300)] = ""
    video_link: Annotated[str, Field(max_length=500)] = ""
    itinerary: Annotated[str, Field(max_length=10000)] = ""

    @field_validator("video_link")
    @classmethod
    def _link(cls, value: str, info: ValidationInfo) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https://")
        if info.data.get("format") == DayFormat.VIRTUAL and not value:
            raise ValueError("a virtual interview day needs a video link")
        return value


class SlotForm(BaseModel):
    """The start is a local wall-clock time on the day."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    start_time: time
    duration_minutes: Annotated[int, Field(ge=10, le=600)]
    capacity: Annotated[int, Field(ge=1, le=500)]


class InviteForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    emails: Annotated[str, Field(min_length=3, max_length=20000)]
    message: Annotated[str, Field(max_length=5000)] = ""


class BookForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    slot_id: int
    reschedule: bool = False


class EvaluationForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    knowledge: Annotated[int, Field(ge=1, le=5)]
    communication: Annotated[int, Field(ge=1, le=5)]
    professionalism: Annotated[int, Field(ge=1, le=5)]
    program_fit: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, Field(max_length=5000)] = ""


CRITERIA = {
    "knowledge": "Clinical knowledge",
    "communication": "Communication",
    "professionalism": "Professionalism",
    "program_fit": "Fit with the program",
}
