from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from painfellow.core.eligibility import (
    Accreditation,
    BoardStatus,
    Confidence,
    TrainingStatus,
    Verdict,
)
from painfellow.errors import FieldError, InvalidInput


class QuestionnaireForm(BaseModel):
    """The applicant's answers; months are asked only of residents still in training.

    The cross-field check raises ``InvalidInput`` (which pydantic lets through) so that each
    missing field is named, as ``parse_form`` does for the others.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    specialty: Annotated[str, Field(min_length=1, max_length=60)]
    accreditation: Accreditation
    training_status: TrainingStatus
    board_status: BoardStatus
    pgy: Annotated[int, Field(ge=1, le=8)] | None = None
    months_left: Annotated[int, Field(ge=0, le=96)] | None = None
    months_to_start: Annotated[int, Field(ge=0, le=60)] | None = None

    @model_validator(mode="after")
    def _in_training_needs_months(self) -> Self:
        if self.training_status is TrainingStatus.IN_TRAINING:
            missing = [
                FieldError(name, "is required while you are in residency")
                for name in ("pgy", "months_left", "months_to_start")
                if getattr(self, name) is None
            ]
            if missing:
                raise InvalidInput(missing)
        return self


class RuleForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    specialty: Annotated[str, Field(min_length=2, max_length=60, pattern=r"^[a-z][a-z_]*$")]
    label: Annotated[str, Field(min_length=2, max_length=120)]
    eligible: Verdict
    certifying_board: Annotated[str, Field(max_length=20, pattern=r"^[A-Z]*$")] = ""
    min_prior_gme_years: Annotated[int, Field(ge=1, le=8)] | None = None
    confidence: Confidence
    source: Annotated[str, Field(min_length=2, max_length=300)]
