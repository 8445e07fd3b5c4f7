from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from painfellow.core.caselog import MAX_NOTE_LENGTH


class EntryForm(BaseModel):
    """What a fellow submits; the procedure-specific rules are the core's validate_entry."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    procedure_id: Annotated[str, Field(min_length=1, max_length=60)]
    role: Annotated[str, Field(min_length=1, max_length=30)]
    guidance: Annotated[str, Field(min_length=1, max_length=20)]
    supervisor_user_id: int | None = None
    complications: Annotated[list[str], Field(max_length=20)] = []
    age_band: Annotated[str, Field(min_length=1, max_length=8)]
    sex: Annotated[str, Field(min_length=1, max_length=10)]
    region: str | None = None
    levels: Annotated[list[str], Field(max_length=12)] = []
    laterality: str | None = None
    intent: str | None = None
    note: Annotated[str, Field(max_length=MAX_NOTE_LENGTH)] = ""


class EntryView(BaseModel):
    """A case-log entry as the JSON API returns it (no patient identifiers are stored)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    procedure_id: str
    role: str
    guidance: str
    supervisor_user_id: int | None
    complications: list[str]
    age_band: str
    sex: str
    region: str | None
    levels: list[str]
    laterality: str | None
    intent: str | None
    cpt_codes: list[str]
    note: str
    logged_on: date
    status: str
    verified_at: datetime | None
    supersedes_id: int | None
