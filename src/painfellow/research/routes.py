"""A fellow's research and scholarly record; the program's accreditation export."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from painfellow.errors import FieldError, InvalidInput
from painfellow.programs.service import get_program
from painfellow.research import service
from painfellow.research.schemas import IrbStatus, ProjectForm, WorkForm, WorkKind
from painfellow.web.access import OwnFellow, ProgramManager
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
CHOICES = {
    "irb_statuses": {s.value: s.value.replace("_", " ").capitalize() for s in IrbStatus},
    "work_kinds": {k.value: k.value.capitalize() for k in WorkKind},
}


def _page(request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any) -> Response:
    assert caller.program_id is not None
    record = service.scholarly_record(db, caller.program_id, caller.signed_in.user_id)
    return render(
        request, "research/fellow.html", caller.principal, status,
        program=get_program(db, caller.program_id), record=record,
        errors=extra.pop("errors", {}), values=extra.pop("values", {}), form=extra.pop("form", ""),
        **CHOICES, **extra,
    )  # fmt: skip


def _milestones(text: str) -> list[dict[str, str]]:
    """Lines of ``YYYY-MM-DD name``; a leading ``x`` marks a milestone done."""
    result = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        done = line.lower().startswith("x ")
        day, _, name = line.removeprefix("x ").removeprefix("X ").partition(" ")
        try:
            date.fromisoformat(day)
        except ValueError as error:
            raise InvalidInput(
                [FieldError("milestones", f"line {number}: start with a date, YYYY-MM-DD")]
            ) from error
        result.append({"due": day, "name": name.strip(), "done": str(done).lower()})
    return result


@router.get("/programs/{program_id}/research", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def research_page(request: Request, program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    return _page(request, caller, db)


@router.post("/programs/{program_id}/research/projects", include_in_schema=False)
async def add_project(request: Request, program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    values = dict((await request.form()).items())
    try:
        data = {**values, "milestones": _milestones(str(values.get("milestones", "")))}
        service.add_project(db, program_id, caller.signed_in.user_id, parse_form(ProjectForm, data))
    except InvalidInput as error:
        return _page(request, caller, db, 422, errors=errors_by_field(error), values=values,
                     form="project")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/research?saved=1", status_code=303)


@router.post("/programs/{program_id}/research/works", include_in_schema=False)
async def add_work(request: Request, program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    values = dict((await request.form()).items())
    data = {k: (v or None) if k in ("amount_usd", "project_id", "doi") else v
            for k, v in values.items()}  # fmt: skip
    try:
        service.add_work(db, program_id, caller.signed_in.user_id, parse_form(WorkForm, data))
    except InvalidInput as error:
        return _page(request, caller, db, 422, errors=errors_by_field(error), values=values,
                     form="work")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/research?saved=1", status_code=303)


@router.post("/programs/{program_id}/research/works/{work_id}/delete", include_in_schema=False)
def delete_work(program_id: int, work_id: int, caller: OwnFellow, db: DbDep) -> Response:
    service.delete_work(db, caller.signed_in.user_id, work_id)
    return RedirectResponse(f"/programs/{program_id}/research?deleted=1", status_code=303)


@router.get("/programs/{program_id}/research/cv.txt", include_in_schema=False)
def cv_export(program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    record = service.scholarly_record(db, program_id, caller.signed_in.user_id)
    text = service.cv_list(record, caller.signed_in.full_name)
    return PlainTextResponse(
        text, headers={"Content-Disposition": 'attachment; filename="scholarly-activity.txt"'}
    )


@router.get("/programs/{program_id}/research/report.csv", include_in_schema=False)
def program_report(program_id: int, caller: ProgramManager, db: DbDep) -> Response:
    get_program(db, program_id)
    return Response(
        service.program_report_csv(db, program_id),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="scholarly-activity.csv"'},
    )
