"""Areas, competencies and the forms of the curriculum."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from painfellow.core.caselog import CATEGORY_LABELS


class Area(StrEnum):
    """The areas of the training the program groups its objectives in (issue 5)."""

    COMPREHENSIVE_PAIN_CARE = "comprehensive_pain_care"
    DIAGNOSTICS = "diagnostics"
    MEDICAL_MANAGEMENT = "medical_management"
    NON_PHARMACOLOGICAL_CARE = "non_pharmacological_care"
    INTERVENTIONAL_TECHNIQUES = "interventional_techniques"
    MINIMALLY_INVASIVE_SAFETY = "minimally_invasive_safety"
    PATIENT_CENTERED_CARE = "patient_centered_care"
    MULTIDISCIPLINARY_COLLABORATION = "multidisciplinary_collaboration"
    RESEARCH = "research"
    PATIENT_OUTCOMES = "patient_outcomes"


AREA_LABELS: dict[str, str] = {
    Area.COMPREHENSIVE_PAIN_CARE: "Comprehensive pain care",
    Area.DIAGNOSTICS: "Diagnostics",
    Area.MEDICAL_MANAGEMENT: "Medical management",
    Area.NON_PHARMACOLOGICAL_CARE: "Non-pharmacological care",
    Area.INTERVENTIONAL_TECHNIQUES: "Interventional techniques",
    Area.MINIMALLY_INVASIVE_SAFETY: "Minimally invasive practice and safety",
    Area.PATIENT_CENTERED_CARE: "Patient-centered care",
    Area.MULTIDISCIPLINARY_COLLABORATION: "Multidisciplinary collaboration",
    Area.RESEARCH: "Research",
    Area.PATIENT_OUTCOMES: "Patient outcomes",
}


class Competency(StrEnum):
    """The six ACGME core competencies (training-rules.md §3.2)."""

    PATIENT_CARE = "patient_care"
    MEDICAL_KNOWLEDGE = "medical_knowledge"
    SYSTEMS_BASED_PRACTICE = "systems_based_practice"
    PRACTICE_BASED_LEARNING = "practice_based_learning_and_improvement"
    PROFESSIONALISM = "professionalism"
    COMMUNICATION = "interpersonal_and_communication_skills"


COMPETENCY_LABELS: dict[str, str] = {
    Competency.PATIENT_CARE: "Patient care (PC)",
    Competency.MEDICAL_KNOWLEDGE: "Medical knowledge (MK)",
    Competency.SYSTEMS_BASED_PRACTICE: "Systems-based practice (SBP)",
    Competency.PRACTICE_BASED_LEARNING: "Practice-based learning and improvement (PBLI)",
    Competency.PROFESSIONALISM: "Professionalism (PROF)",
    Competency.COMMUNICATION: "Interpersonal and communication skills (ICS)",
}


class ObjectiveForm(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    area: Area
    competency: Competency
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9.\-]+$")]
    text: Annotated[str, Field(min_length=3, max_length=1000)]


class LinkForm(BaseModel):
    """Exactly one of a rotation, a didactic session or a case-log category.

    A page may send it as one ``target`` such as ``rotation:12``, ``session:7`` or
    ``category:scs_trial``; the prefix names the field.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    rotation_id: int | None = None
    session_id: int | None = None
    category: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _split_target(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if v not in ("", None)}
        kind, _, value = str(data.pop("target", "")).partition(":")
        names = {"rotation": "rotation_id", "session": "session_id", "category": "category"}
        if kind in names and value:
            data[names[kind]] = value
        return data

    @field_validator("category")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in CATEGORY_LABELS:
            raise ValueError("is not a case-log category")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> LinkForm:
        given = [v for v in (self.rotation_id, self.session_id, self.category) if v is not None]
        if len(given) != 1:
            raise ValueError("choose one rotation, session or case-log category")
        return self
