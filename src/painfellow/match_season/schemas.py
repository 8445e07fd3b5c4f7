"""Input forms of the match season pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from painfellow.core.matching.types import MAX_RANKS

#: The largest quota a program may offer (the largest pain program has 8 positions a year).
MAX_QUOTA = 50


class SeasonForm(BaseModel):
    """Times without an offset are local to the installation (the service attaches the zone).

    The order is the rule of the match calendar: lists open, then certification closes,
    then results are released.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    year: Annotated[int, Field(ge=2000, le=2100)]
    rol_opens_at: datetime
    certify_deadline: datetime
    release_at: datetime

    @field_validator("certify_deadline")
    @classmethod
    def _after_opening(cls, value: datetime, info: ValidationInfo) -> datetime:
        opens = info.data.get("rol_opens_at")
        if opens is not None and _naive(opens) != _naive(value):
            raise ValueError("give every time with an offset, or none")
        if opens is not None and value <= opens:
            raise ValueError("must be after the rank order list opening")
        return value

    @field_validator("release_at")
    @classmethod
    def _after_deadline(cls, value: datetime, info: ValidationInfo) -> datetime:
        deadline = info.data.get("certify_deadline")
        if deadline is not None and _naive(deadline) != _naive(value):
            raise ValueError("give every time with an offset, or none")
        if deadline is not None and value <= deadline:
            raise ValueError("must be after the certification deadline")
        return value


def _naive(moment: datetime) -> bool:
    return moment.tzinfo is None


class QuotaForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    quota: Annotated[int, Field(ge=1, le=MAX_QUOTA)]


class MoveForm(BaseModel):
    """The 1-based rank the entry moves to."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    position: Annotated[int, Field(ge=1, le=MAX_RANKS)]


class AddProgramForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    program_id: int


class AddApplicantForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    applicant_user_id: int
