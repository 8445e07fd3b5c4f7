"""Inputs of the evaluation pages: a form, an item, and a submitted evaluation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from painfellow.core.assessment import SCALES

MAX_COMMENTS = 4000


def _blank_to_none(data: Any, *names: str) -> Any:
    if isinstance(data, dict):
        data = {k: (None if k in names and v == "" else v) for k, v in data.items()}
    return data


class FormInput(BaseModel):
    """A new evaluation form: its name and, optionally, the rotation it is used for."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: Annotated[str, Field(min_length=3, max_length=200)]
    rotation_id: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return _blank_to_none(data, "rotation_id")


class ItemInput(BaseModel):
    """An item of a form: what is rated, on which scale, and the objectives it assesses."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    prompt: Annotated[str, Field(min_length=3, max_length=1000)]
    scale: str
    objective_ids: list[int] = []

    @field_validator("scale")
    @classmethod
    def _known_scale(cls, value: str) -> str:
        if value not in SCALES:
            raise ValueError("choose one of the rating scales")
        return value


class EvaluationInput(BaseModel):
    """A faculty member's evaluation of a fellow.

    ``answers`` maps an item id to the raw answer (a rating such as "3.5", or
    ``not_observed``); the service reads it on the item's scale. A page sends each answer as
    a field ``item_<id>``, and errors about an answer name that field. Missing fields are
    the service's to refuse, so that one submission reports every problem at once.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    form_id: int
    fellow_user_id: int | None = None
    rotation_id: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    comments: Annotated[str, Field(max_length=MAX_COMMENTS)] = ""
    supersedes_id: int | None = None
    answers: dict[int, str] = {}

    @model_validator(mode="before")
    @classmethod
    def _blanks_and_items(cls, data: Any) -> Any:
        data = _blank_to_none(
            data, "fellow_user_id", "rotation_id", "period_start", "period_end", "supersedes_id"
        )
        if isinstance(data, dict) and "answers" not in data:
            answers = {}
            for key, value in data.items():
                prefix, _, item_id = str(key).partition("_")
                if prefix == "item" and item_id.isdigit():
                    answers[int(item_id)] = value
            data = {**data, "answers": answers}
        return data
