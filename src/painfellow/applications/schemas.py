"""Input forms of the applications domain."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from painfellow.core.eligibility import BoardStatus
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, US_STATES


class DocumentKind(StrEnum):
    CV = "cv"
    PERSONAL_STATEMENT = "personal_statement"
    TRANSCRIPT = "transcript"
    PHOTO = "photo"

    @property
    def label(self) -> str:
        return {"cv": "CV", "photo": "Photo"}.get(self.value, self.value.replace("_", " ").title())


def _blank_to_none(value: object) -> object:
    return None if value == "" else value


class ProfileForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    medical_school: Annotated[str, Field(max_length=200)] = ""
    graduation_year: Annotated[int | None, Field(ge=1950, le=2100)] = None
    residency_program: Annotated[str, Field(max_length=200)] = ""
    residency_specialty: str = ""
    residency_expected_completion: date | None = None
    license_state: str = ""
    license_number: Annotated[str, Field(max_length=40)] = ""
    board_status: BoardStatus = BoardStatus.NEITHER
    usmle_step1: str = ""
    usmle_step2_score: Annotated[int | None, Field(ge=1, le=300)] = None
    usmle_step3_score: Annotated[int | None, Field(ge=1, le=300)] = None
    experiences: Annotated[str, Field(max_length=10000)] = ""
    publications: Annotated[str, Field(max_length=10000)] = ""

    _blanks = field_validator(
        "graduation_year",
        "residency_expected_completion",
        "usmle_step2_score",
        "usmle_step3_score",
        mode="before",
    )(_blank_to_none)

    @field_validator("residency_specialty")
    @classmethod
    def _known_specialty(cls, value: str) -> str:
        if value and value not in ELIGIBLE_PRIOR_SPECIALTIES:
            raise ValueError("choose a specialty from the list")
        return value

    @field_validator("license_state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        value = value.upper()
        if value and value not in US_STATES:
            raise ValueError("give a two-letter US state code, e.g. MI")
        return value

    @field_validator("usmle_step1")
    @classmethod
    def _pass_fail(cls, value: str) -> str:
        if value not in ("", "pass", "fail"):
            raise ValueError("is pass or fail")
        return value


class LetterRequestForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    writer_name: Annotated[str, Field(min_length=2, max_length=200)]
    writer_email: EmailStr
    writer_title: Annotated[str, Field(max_length=200)] = ""
    waive: bool

    @field_validator("waive", mode="before")
    @classmethod
    def _choice(cls, value: object) -> object:
        if value in ("", None):
            raise ValueError("choose whether you waive your right to see the letter")
        return value


class AssignmentForm(BaseModel):
    """Which letters and which personal statement go to one program."""

    model_config = ConfigDict(extra="ignore")

    letter_ids: list[int] = []
    personal_statement_id: int | None = None

    _blank = field_validator("personal_statement_id", mode="before")(_blank_to_none)


class SubmitForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)
    note: Annotated[str, Field(max_length=2000)] = ""
