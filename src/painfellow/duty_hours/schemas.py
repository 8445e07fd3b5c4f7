from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from painfellow.core.duty_hours import ShiftKind

MAX_SHIFT = timedelta(hours=36)


class ShiftForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: datetime
    end: datetime
    kind: ShiftKind

    @field_validator("start", "end")
    @classmethod
    def _local(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError("give the local time without a time zone")
        return value

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("must be after the start")
        if start is not None and end - start > MAX_SHIFT:
            raise ValueError("a single entry may not be longer than 36 hours")
        return end


class ShiftView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    start_local: datetime
    end_local: datetime
    kind: ShiftKind


class CalendarForm(BaseModel):
    """A program's duty-hour calendar. Day 29-31 are refused so every year has the day."""

    model_config = ConfigDict(extra="ignore")

    year_start_month: Annotated[int, Field(ge=1, le=12)] = 7
    year_start_day: Annotated[int, Field(ge=1, le=28)] = 1
    period_anchor: date | None = None

    @field_validator("period_anchor", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value


class WeekForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    week: date

    @field_validator("week")
    @classmethod
    def _monday(cls, value: date) -> date:
        if value.weekday() != 0:
            raise ValueError("must be a Monday")
        return value
