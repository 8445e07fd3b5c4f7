from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

MAX_BLOCKS = 60


class RequirementKind(StrEnum):
    BLOCK_COUNT = "block_count"
    VACATION = "vacation"
    PRECEDENCE = "precedence"
    FIXED = "fixed"


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

    @field_validator("min_per_block")
    @classmethod
    def _within_capacity(cls, value: int, info: ValidationInfo) -> int:
        capacity = info.data.get("capacity_per_block")
        if capacity is not None and value > capacity:
            raise ValueError("must not exceed the capacity per block")
        return value


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


class CellForm(BaseModel):
    """A manual edit of one cell of the current schedule."""

    model_config = ConfigDict(extra="ignore")

    fellow_user_id: int
    block: Annotated[int, Field(ge=1, le=MAX_BLOCKS)]
    rotation_id: int
