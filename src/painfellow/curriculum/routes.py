"""Curriculum pages: every program member reads the framework and its gaps; managers edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.curriculum import service
from painfellow.curriculum.schemas import AREA_LABELS, COMPETENCY_LABELS, LinkForm, ObjectiveForm
from painfellow.errors import InvalidInput
from painfellow.programs.service import get_program
from painfellow.web.access import PROGRAM_MANAGERS, ProgramManager, ProgramMember
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()


def _page(
    request: Request, caller: Caller, db: DbDep, now: Any, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    is_manager = PROGRAM_MANAGERS.rule.admits(caller.signed_in, program.id)
    rows = service.coverage(db, program.id, now=now)
    return render(
        request, "curriculum/page.html", caller.signed_in, status,
        program=program, rows=rows, gaps=[r for r in rows if r.lacks_experience],
        areas=AREA_LABELS, competencies=COMPETENCY_LABELS, is_manager=is_manager,
        targets=service.link_targets(db, program.id) if is_manager else {},
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        failed=extra.pop("failed", None), **extra,
    )  # fmt: skip


async def _form(request: Request) -> dict[str, Any]:
    return dict((await request.form()).items())


def _back(program_id: int, flag: str) -> Response:
    return RedirectResponse(f"/programs/{program_id}/curriculum?{flag}=1", status_code=303)


@router.get("/programs/{program_id}/curriculum", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def curriculum_page(
    request: Request, program_id: int, caller: ProgramMember, db: DbDep, now: NowDep
) -> Response:
    return _page(request, caller, db, now)


@router.post("/programs/{program_id}/curriculum", include_in_schema=False)
async def create_objective(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        service.create_objective(db, program_id, parse_form(ObjectiveForm, values))
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     values=values, failed="create")  # fmt: skip
    return _back(program_id, "saved")


@router.post("/programs/{program_id}/curriculum/{objective_id}/delete", include_in_schema=False)
def delete_objective(
    program_id: int, objective_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    service.delete_objective(db, program_id, objective_id)
    return _back(program_id, "deleted")


@router.post("/programs/{program_id}/curriculum/{objective_id}/links", include_in_schema=False)
async def link(
    request: Request, program_id: int, objective_id: int, caller: ProgramManager, db: DbDep,
    now: NowDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        service.link(db, program_id, objective_id, parse_form(LinkForm, values))
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     failed=f"link-{objective_id}")  # fmt: skip
    return _back(program_id, "saved")


@router.post("/programs/{program_id}/curriculum/{objective_id}/links/delete",
             include_in_schema=False)  # fmt: skip
async def unlink(
    request: Request, program_id: int, objective_id: int, caller: ProgramManager, db: DbDep,
    now: NowDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        service.unlink(db, program_id, objective_id, parse_form(LinkForm, values))
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     failed=f"link-{objective_id}")  # fmt: skip
    return _back(program_id, "deleted")
