"""Input forms and output views of program profiles."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES, US_STATES

TrackName = Annotated[str, Field(min_length=1, max_length=80)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: ShortText
    title: Annotated[str, Field(max_length=200)] = ""
    email: EmailStr | None = None
    phone: Annotated[str, Field(max_length=40)] = ""


class ProgramFields(BaseModel):
    """Fields a director or coordinator may edit."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    institution: ShortText
    name: ShortText
    city: Annotated[str, Field(min_length=1, max_length=100)]
    state: str
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    positions_per_year: Annotated[int, Field(ge=0, le=50)]
    length_months: int
    tracks: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=80)]], Field(max_length=10)
    ]
    # default: every eligible core residency (training-rules.md §1.2, editable per program)
    accepted_specialties: list[str] = Field(
        default_factory=lambda: sorted(ELIGIBLE_PRIOR_SPECIALTIES)
    )
    features: list[str]
    contacts: Annotated[list[Contact], Field(max_length=10)] = []
    website_text: Annotated[str, Field(max_length=10_000)] = ""
    didactic_attendance_target: Annotated[int, Field(ge=0, le=100)] = 70

    @field_validator("state")
    @classmethod
    def _known_state(cls, value: str) -> str:
        value = value.upper()
        if value not in US_STATES:
            raise ValueError("is not a US state or territory code")
        return value

    @field_validator("length_months")
    @classmethod
    def _known_length(cls, value: int) -> int:
        if value not in (12, 24):
            raise ValueError("must be 12 or 24 months")
        return value

    @field_validator("accepted_specialties")
    @classmethod
    def _known_specialties(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in ELIGIBLE_PRIOR_SPECIALTIES]
        if unknown:
            raise ValueError(f"unknown specialty: {', '.join(unknown)}")
        return sorted(set(value))

    @field_validator("features")
    @classmethod
    def _known_features(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in PROGRAM_FEATURES]
        if unknown:
            raise ValueError(f"unknown feature: {', '.join(unknown)}")
        return sorted(set(value))


class ProgramCreate(ProgramFields):
    accreditation_number: Annotated[str, Field(pattern=r"^\d{10}$")]


class ProgramUpdate(ProgramFields):
    version: Annotated[int, Field(ge=1, description="The version you edited; 409 if stale")]


class ProgramView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    institution: str
    name: str
    city: str
    state: str
    latitude: float
    longitude: float
    accreditation_number: str
    positions_per_year: int
    length_months: int
    tracks: list[str]
    # default: every eligible core residency (training-rules.md §1.2, editable per program)
    accepted_specialties: list[str] = Field(
        default_factory=lambda: sorted(ELIGIBLE_PRIOR_SPECIALTIES)
    )
    features: list[str]
    contacts: list[Contact]
    website_text: str
    didactic_attendance_target: int
    version: int


class ProgramSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, Field(max_length=100)] = ""
    state: str = ""
    feature: str = ""
    length_months: Literal[12, 24] | None = None
    page: Annotated[int, Field(ge=1, le=1000)] = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 50
