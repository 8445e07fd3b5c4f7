from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

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
