from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from painfellow.core.duty_hours import ShiftKind

MAX_BLOCKS = 60


class RequirementKind(StrEnum):
    BLOCK_COUNT = "block_count"
    VACATION = "vacation"
    PRECEDENCE = "precedence"
    FIXED = "fixed"
    UNAVAILABLE = "unavailable"
    CONTIGUOUS = "contiguous"


class CalendarForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    first_day: date
    n_blocks: Annotated[int, Field(ge=1, le=MAX_BLOCKS)]
    block_days: Annotated[int, Field(ge=1, le=92)]


class RotationForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=1, max_length=120)]
    sites: Annotated[str, Field(max_length=300)] = ""
    capacity_per_block: Annotated[int, Field(ge=0, le=100)]
    min_per_block: Annotated[int, Field(ge=0, le=100)] = 0
    objectives: Annotated[str, Field(max_length=5000)] = ""
    shift_start: time | None = None
    shift_end: time | None = None
    shift_weekdays: str = ""
    shift_kind: ShiftKind = ShiftKind.IN_HOUSE
    off_site: bool = False  # an unticked checkbox is simply absent from the form

    @field_validator("min_per_block")
    @classmethod
    def _within_capacity(cls, value: int, info: ValidationInfo) -> int:
        capacity = info.data.get("capacity_per_block")
        if capacity is not None and value > capacity:
            raise ValueError("must not exceed the capacity per block")
        return value

    @field_validator("shift_start", "shift_end", mode="before")
    @classmethod
    def _blank_time(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("shift_weekdays", mode="before")
    @classmethod
    def _weekdays(cls, value: object) -> object:
        """Accept "12345" or "1, 2, 3" (ISO weekdays, 1 = Monday); store sorted digits."""
        if not isinstance(value, str):
            return value
        digits = value.replace(",", "").replace(" ", "")
        if any(c not in "1234567" for c in digits):
            raise ValueError("use weekday numbers 1 (Monday) to 7 (Sunday), e.g. 12345")
        return "".join(sorted(set(digits)))

    def shift_hour_errors(self) -> list[tuple[str, str]]:
        """Start, end and weekdays go together: (field, message) for each one missing."""
        given = {
            "shift_start": self.shift_start is not None,
            "shift_end": self.shift_end is not None,
            "shift_weekdays": bool(self.shift_weekdays),
        }
        if not any(given.values()):
            return []
        return [
            (name, "is needed with the other shift hours") for name, ok in given.items() if not ok
        ]


class RequirementForm(BaseModel):
    """Which fields a kind needs is checked by the service (it knows the calendar)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: RequirementKind
    rotation_id: int
    after_rotation_id: int | None = None
    fellow_user_id: int | None = None
    min_blocks: Annotated[int | None, Field(ge=0, le=MAX_BLOCKS)] = None
    max_blocks: Annotated[int | None, Field(ge=0, le=MAX_BLOCKS)] = None
    block: Annotated[int | None, Field(ge=1, le=MAX_BLOCKS)] = None
    blocked_blocks: list[int] = []
    source: Annotated[str, Field(max_length=300)] = ""

    @field_validator("blocked_blocks", mode="before")
    @classmethod
    def _block_list(cls, value: object) -> object:
        """Accept "1, 2, 26" from a text field."""
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ValueError("list block numbers separated by commas, e.g. 1, 13, 26")
            return [int(p) for p in parts]
        return value

    @field_validator("max_blocks")
    @classmethod
    def _max_not_below_min(cls, value: int | None, info: ValidationInfo) -> int | None:
        low = info.data.get("min_blocks")
        if value is not None and low is not None and value < low:
            raise ValueError("must not be below the minimum")
        return value


class RequestForm(BaseModel):
    model_config = ConfigDict(extra="ignore")

    fellow_user_id: int
    block: Annotated[int, Field(ge=1, le=MAX_BLOCKS)]
    rotation_id: int
    wants: bool = True
    weight: Annotated[int, Field(ge=1, le=10)] = 1


#: The most weight a fellow may give their own request (managers may give up to 10), so a
#: fellow's priorities rank among their own wishes without outbidding the program's.
FELLOW_MAX_WEIGHT = 3


class OwnRequestForm(BaseModel):
    """A fellow's own request: a rotation they want (or want to avoid) in a block; time off
    is a request for the program's vacation rotation."""

    model_config = ConfigDict(extra="ignore")

    block: Annotated[int, Field(ge=1, le=MAX_BLOCKS)]
    rotation_id: int
    wants: bool = True
    weight: Annotated[int, Field(ge=1, le=FELLOW_MAX_WEIGHT)] = 1


class CellForm(BaseModel):
    """A manual edit of one cell of the current schedule."""

    model_config = ConfigDict(extra="ignore")

    fellow_user_id: int
    block: Annotated[int, Field(ge=1, le=MAX_BLOCKS)]
    rotation_id: int


class RotationOut(BaseModel):
    id: int
    name: str
    sites: str


class BlockOut(BaseModel):
    block: int
    start: date
    end: date  # inclusive


class FellowRowOut(BaseModel):
    fellow_user_id: int
    fellow_name: str
    rotation_ids: list[int | None]  # one per block, block 1 first


class ScheduleOut(BaseModel):
    """The program's current block schedule (``schedule_id`` null before one is generated),
    with the broken requirements of any manual edits, in words."""

    schedule_id: int | None
    status: str | None
    generated_at: datetime | None
    rotations: list[RotationOut]
    blocks: list[BlockOut]
    rows: list[FellowRowOut]
    violations: list[str]
