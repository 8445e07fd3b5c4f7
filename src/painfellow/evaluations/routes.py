"""Evaluation pages: managers keep the forms, faculty evaluate fellows, each reads their own."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.accounts.roles import Role
from painfellow.core.assessment import NOT_OBSERVED, SCALES
from painfellow.errors import InvalidInput
from painfellow.evaluations import service
from painfellow.evaluations.schemas import EvaluationInput, FormInput, ItemInput
from painfellow.programs.service import get_program
from painfellow.web.access import (
    EVALUATORS,
    PROGRAM_MANAGERS,
    EvaluationReader,
    Evaluator,
    ProgramManager,
)
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep, local_wall_clock
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
SCALE_NAMES = {key: scale.name for key, scale in SCALES.items()}


def _viewer(caller: Caller) -> service.Viewer:
    assert caller.program_id is not None
    principal = caller.signed_in
    return service.Viewer(
        principal.user_id, PROGRAM_MANAGERS.rule.admits(principal, caller.program_id)
    )


async def _values(request: Request) -> dict[str, Any]:
    """The submitted fields; a field sent several times (checkboxes) becomes a list."""
    form = await request.form()
    values: dict[str, Any] = {}
    for key in form:
        many = [v for v in form.getlist(key) if isinstance(v, str)]
        values[key] = many if key == "objective_ids" else (many[0] if many else "")
    return values


@router.get("/programs/{program_id}/evaluations", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def evaluations_page(
    request: Request, program_id: int, caller: EvaluationReader, db: DbDep
) -> Response:
    viewer = _viewer(caller)
    principal = caller.signed_in
    return render(
        request, "evaluations/list.html", principal,
        program=get_program(db, program_id), viewer=viewer,
        rows=service.list_evaluations(db, program_id, viewer),
        is_evaluator=EVALUATORS.rule.admits(principal, program_id),
        is_fellow=Role.FELLOW in principal.roles_in(program_id),
        forms=service.list_forms(db, program_id, active_only=True),
    )  # fmt: skip


# ------------------------------------------------------------------ forms (managers)


def _forms_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program_id = caller.program_id
    _, rotations = service.fellows_and_rotations(db, program_id)
    return render(
        request, "evaluations/forms.html", caller.signed_in, status,
        program=get_program(db, program_id), forms=service.list_forms(db, program_id),
        rotations=rotations, scales=SCALE_NAMES,
        objectives=service.objectives_of(db, program_id),
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        failed=extra.pop("failed", None), **extra,
    )  # fmt: skip


@router.get("/programs/{program_id}/evaluations/forms", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def forms_page(request: Request, program_id: int, caller: ProgramManager, db: DbDep) -> Response:
    return _forms_page(request, caller, db)


@router.post("/programs/{program_id}/evaluations/forms", include_in_schema=False)
async def create_form(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    values = await _values(request)
    try:
        form = service.create_form(db, program_id, parse_form(FormInput, values))
    except InvalidInput as error:
        return _forms_page(request, caller, db, 422, errors=errors_by_field(error),
                           values=values, failed="create")  # fmt: skip
    return RedirectResponse(
        f"/programs/{program_id}/evaluations/forms?saved=1#form-{form.id}", status_code=303
    )


@router.post("/programs/{program_id}/evaluations/forms/{form_id}/items", include_in_schema=False)
async def add_item(
    request: Request, program_id: int, form_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    values = await _values(request)
    try:
        service.add_item(db, program_id, form_id, parse_form(ItemInput, values))
    except InvalidInput as error:
        return _forms_page(request, caller, db, 422, errors=errors_by_field(error),
                           values=values, failed=f"item-{form_id}")  # fmt: skip
    return RedirectResponse(
        f"/programs/{program_id}/evaluations/forms?saved=1#form-{form_id}", status_code=303
    )


@router.post("/programs/{program_id}/evaluations/forms/{form_id}/items/{item_id}/delete",
             include_in_schema=False)  # fmt: skip
def remove_item(
    program_id: int, form_id: int, item_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    service.remove_item(db, program_id, form_id, item_id)
    return RedirectResponse(
        f"/programs/{program_id}/evaluations/forms?deleted=1#form-{form_id}", status_code=303
    )


@router.post("/programs/{program_id}/evaluations/forms/{form_id}/retire",
             include_in_schema=False)  # fmt: skip
def retire_form(
    program_id: int, form_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    service.retire_form(db, program_id, form_id, now=now)
    return RedirectResponse(f"/programs/{program_id}/evaluations/forms?retired=1",
                            status_code=303)  # fmt: skip


# ------------------------------------------------------------- evaluating (faculty)


def _new_page(
    request: Request, caller: Caller, db: DbDep, values: dict[str, Any], status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    assert caller.program_id is not None
    program_id = caller.program_id
    forms = service.list_forms(db, program_id)
    chosen = next((f for f in forms if str(f.id) == str(values.get("form_id", ""))), None)
    if chosen is not None and chosen.retired and not values.get("supersedes_id"):
        chosen = None
    fellows, rotations = service.fellows_and_rotations(db, program_id)
    fellows.pop(caller.signed_in.user_id, None)
    return render(
        request, "evaluations/new.html", caller.signed_in, status,
        program=get_program(db, program_id), forms=[f for f in forms if not f.retired],
        chosen=chosen, fellows=fellows, rotations=rotations, values=values,
        errors=errors or {}, not_observed=NOT_OBSERVED,
    )  # fmt: skip


@router.get("/programs/{program_id}/evaluations/new", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def new_evaluation_page(
    request: Request, program_id: int, caller: Evaluator, db: DbDep,
    form_id: str = "", fellow_id: str = "", correct: int | None = None,
) -> Response:  # fmt: skip
    if correct is not None:
        values = service.correction_of(db, program_id, caller.signed_in.user_id, correct)
    else:
        values = {"form_id": form_id, "fellow_user_id": fellow_id}
    return _new_page(request, caller, db, values)


@router.post("/programs/{program_id}/evaluations", include_in_schema=False)
async def submit_evaluation(
    request: Request, program_id: int, caller: Evaluator, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _values(request)
    try:
        evaluation = service.submit_evaluation(
            db, program_id, caller.signed_in.user_id, parse_form(EvaluationInput, values),
            now=now, today=local_wall_clock(now, settings).date(),
        )  # fmt: skip
    except InvalidInput as error:
        return _new_page(request, caller, db, values, 422, errors_by_field(error))
    return RedirectResponse(
        f"/programs/{program_id}/evaluations/{evaluation.id}?submitted=1", status_code=303
    )


@router.get("/programs/{program_id}/evaluations/{evaluation_id}", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def evaluation_page(
    request: Request, program_id: int, evaluation_id: int, caller: EvaluationReader, db: DbDep
) -> Response:
    viewer = _viewer(caller)
    detail = service.get_evaluation(db, program_id, evaluation_id, viewer)
    return render(
        request, "evaluations/detail.html", caller.signed_in,
        program=get_program(db, program_id), detail=detail,
        can_correct=detail.row.status == service.SUBMITTED
        and detail.row.evaluator_id == viewer.user_id
        and EVALUATORS.rule.admits(caller.signed_in, program_id),
    )  # fmt: skip
