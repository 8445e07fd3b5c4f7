"""Turning pydantic validation errors into field-level messages (API and forms alike)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from painfellow.errors import FieldError, InvalidInput

M = TypeVar("M", bound=BaseModel)

_LOCATION_PREFIXES = ("body", "query", "path", "header", "cookie")


def field_errors(errors: Sequence[Any]) -> list[FieldError]:
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] in _LOCATION_PREFIXES and len(location) > 1:
            location = location[1:]
        message = str(error.get("msg", "is invalid"))
        message = message.removeprefix("Value error, ")
        result.append(FieldError(".".join(location) or "body", message))
    return result


def parse_form(model: type[M], data: dict[str, Any]) -> M:
    """Validate submitted form data; raise InvalidInput naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(field_errors(error.errors())) from error


def errors_by_field(error: InvalidInput) -> dict[str, str]:
    return {e.field: e.message for e in error.errors}
