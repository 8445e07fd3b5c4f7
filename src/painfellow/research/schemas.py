"""Forms for research projects and scholarly work."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Crossref's recommended pattern for modern DOIs: "10." + registrant code + "/" + suffix.
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:a-z0-9<>\[\]]+$", re.IGNORECASE)


class IrbStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    PLANNED = "planned"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    EXEMPT = "exempt"
    CLOSED = "closed"


class WorkKind(StrEnum):
    ABSTRACT = "abstract"
    POSTER = "poster"
    PRESENTATION = "presentation"
    PUBLICATION = "publication"
    GRANT = "grant"
    CONFERENCE = "conference"


Title = Annotated[str, Field(min_length=1, max_length=300)]


class Milestone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    due: date
    done: bool = False


class ProjectForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: Title
    question: Annotated[str, Field(max_length=5000)] = ""
    mentor: Annotated[str, Field(max_length=200)] = ""
    irb_status: IrbStatus
    irb_number: Annotated[str, Field(max_length=60)] = ""
    milestones: Annotated[list[Milestone], Field(max_length=30)] = []
    data_location: Annotated[str, Field(max_length=300)] = ""


class WorkForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    kind: WorkKind
    title: Title
    venue: Annotated[str, Field(max_length=300)] = ""
    authors: Annotated[str, Field(max_length=1000)] = ""
    on_date: date
    doi: str | None = None
    amount_usd: Annotated[int | None, Field(ge=0, le=100_000_000)] = None
    project_id: int | None = None

    @field_validator("doi", mode="before")
    @classmethod
    def _doi_form(cls, value: object) -> str | None:
        if value in (None, ""):
            return None
        text = str(value).strip()
        for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
            if text.lower().startswith(prefix):
                text = text[len(prefix) :]
        if not DOI_PATTERN.match(text):
            raise ValueError("is not a DOI of the form 10.NNNN/suffix")
        return text
