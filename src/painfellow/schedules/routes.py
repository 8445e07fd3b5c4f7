"""Rotations and the block schedule: managers keep the catalogue, calendar, requirements and
requests, generate and edit the schedule; every program member sees the grid; each fellow
sees (and exports) their own rotations."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.core.duty_hours import ShiftKind
from painfellow.errors import InvalidInput
from painfellow.programs.service import get_program
from painfellow.schedules import service
from painfellow.schedules.models import Rotation
from painfellow.schedules.schemas import (
    FELLOW_MAX_WEIGHT,
    BlockOut,
    CalendarForm,
    CellForm,
    FellowRowOut,
    OwnRequestForm,
    RequestForm,
    RequirementForm,
    RequirementKind,
    RotationForm,
    RotationOut,
    ScheduleOut,
)
from painfellow.web.access import PROGRAM_MANAGERS, OwnFellow, ProgramManager, ProgramMember
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep, local_wall_clock
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
KINDS = {
    RequirementKind.BLOCK_COUNT.value: "Blocks on a rotation",
    RequirementKind.VACATION.value: "Vacation rule",
    RequirementKind.PRECEDENCE.value: "Order (first rotation before second)",
    RequirementKind.FIXED.value: "Fixed assignment",
    RequirementKind.UNAVAILABLE.value: "Fellow unavailable for a rotation in blocks",
    RequirementKind.CONTIGUOUS.value: "Rotation's blocks consecutive",
}
DUTY_KINDS = {kind.value: kind.value.replace("_", " ").capitalize() for kind in ShiftKind}


async def _form(request: Request) -> dict[str, Any]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _blank_to_none(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {**values, **{n: None for n in names if not str(values.get(n, "")).strip()}}


def _grid_page(
    request: Request, caller: Caller, db: DbDep, today: date, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    return render(
        request, "schedules/grid.html", caller.principal, status,
        program=program, view=service.schedule_view(db, program.id, today=today),
        is_manager=PROGRAM_MANAGERS.rule.admits(caller.principal, program.id),
        is_fellow=Role.FELLOW in caller.signed_in.roles_in(program.id),
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        failure=extra.pop("failure", None), **extra,
    )  # fmt: skip


def _setup_page(
    request: Request, caller: Caller, db: DbDep, today: date, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    rotations = service.list_rotations(db, program.id)
    return render(
        request, "schedules/setup.html", caller.principal, status,
        program=program, calendar=service.get_calendar(db, program.id, today=today),
        rotations=rotations, rotation_names={r.id: r.name for r in rotations},
        requirements=service.list_requirement_rows(db, program.id),
        texts=service.requirement_texts(db, program.id, today=today),
        requests=service.list_requests(db, program.id),
        fellows=members_with_role(db, program.id, Role.FELLOW), kinds=KINDS,
        kinds_dh=DUTY_KINDS,
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        failed=extra.pop("failed", None), **extra,
    )  # fmt: skip


@router.get("/programs/{program_id}/schedule", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def grid_page(
    request: Request, program_id: int, caller: ProgramMember, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    return _grid_page(request, caller, db, local_wall_clock(now, settings).date())


@router.get("/programs/{program_id}/schedule.csv", include_in_schema=False)
def grid_csv(
    program_id: int, caller: ProgramMember, db: DbDep, now: NowDep, settings: SettingsDep
) -> Response:
    get_program(db, program_id)
    text = service.grid_csv(db, program_id, today=local_wall_clock(now, settings).date())
    disposition = 'attachment; filename="block-schedule.csv"'
    return Response(text, media_type="text/csv", headers={"Content-Disposition": disposition})


@router.get("/programs/{program_id}/schedule/setup", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def setup_page(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    return _setup_page(request, caller, db, local_wall_clock(now, settings).date())


@router.post("/programs/{program_id}/schedule/calendar", include_in_schema=False)
async def save_calendar(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        service.set_calendar(db, program_id, parse_form(CalendarForm, values))
    except InvalidInput as error:
        today = local_wall_clock(now, settings).date()
        return _setup_page(request, caller, db, today, 422, errors=errors_by_field(error),
                           values=values, failed="calendar")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?saved=1", status_code=303)


@router.post("/programs/{program_id}/schedule/rotations", include_in_schema=False)
async def add_rotation(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        service.add_rotation(db, program_id, parse_form(RotationForm, values))
    except InvalidInput as error:
        today = local_wall_clock(now, settings).date()
        return _setup_page(request, caller, db, today, 422, errors=errors_by_field(error),
                           values=values, failed="rotation")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?saved=1", status_code=303)


def _rotation_values(rotation: Rotation) -> dict[str, str]:
    return {
        "name": rotation.name, "sites": rotation.sites,
        "capacity_per_block": str(rotation.capacity_per_block),
        "min_per_block": str(rotation.min_per_block), "objectives": rotation.objectives,
        "shift_start": rotation.shift_start.strftime("%H:%M") if rotation.shift_start else "",
        "shift_end": rotation.shift_end.strftime("%H:%M") if rotation.shift_end else "",
        "shift_weekdays": rotation.shift_weekdays, "shift_kind": rotation.shift_kind,
        **({"off_site": "on"} if rotation.off_site else {}),
    }  # fmt: skip


def _rotation_page(
    request: Request, caller: Caller, db: DbDep, rotation: Rotation, status: int = 200,
    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    return render(
        request, "schedules/rotation.html", caller.principal, status,
        program=get_program(db, rotation.program_id), rotation=rotation, kinds_dh=DUTY_KINDS,
        values=values if values is not None else _rotation_values(rotation), errors=errors or {},
    )  # fmt: skip


@router.get("/programs/{program_id}/schedule/rotations/{rotation_id}/edit",
            response_class=HTMLResponse, include_in_schema=False)  # fmt: skip
def edit_rotation_page(
    request: Request, program_id: int, rotation_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    rotation = service.get_rotation(db, program_id, rotation_id)
    return _rotation_page(request, caller, db, rotation)


@router.post("/programs/{program_id}/schedule/rotations/{rotation_id}", include_in_schema=False)
async def update_rotation(
    request: Request, program_id: int, rotation_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    rotation = service.get_rotation(db, program_id, rotation_id)
    values = await _form(request)
    try:
        service.update_rotation(db, program_id, rotation_id, parse_form(RotationForm, values))
    except InvalidInput as error:
        db.rollback()
        return _rotation_page(request, caller, db, rotation, 422, values, errors_by_field(error))
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?saved=1", status_code=303)


@router.post("/programs/{program_id}/schedule/rotations/{rotation_id}/delete",
             include_in_schema=False)  # fmt: skip
def delete_rotation(
    program_id: int, rotation_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    service.delete_rotation(db, program_id, rotation_id)
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?deleted=1", status_code=303)


@router.post("/programs/{program_id}/schedule/requirements", include_in_schema=False)
async def add_requirement(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    data = _blank_to_none(values, "after_rotation_id", "fellow_user_id", "min_blocks",
                          "max_blocks", "block")  # fmt: skip
    today = local_wall_clock(now, settings).date()
    try:
        service.add_requirement(db, program_id, parse_form(RequirementForm, data), today=today)
    except InvalidInput as error:
        return _setup_page(request, caller, db, today, 422, errors=errors_by_field(error),
                           values=values, failed="requirement")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?saved=1", status_code=303)


@router.post("/programs/{program_id}/schedule/requirements/{requirement_id}/delete",
             include_in_schema=False)  # fmt: skip
def delete_requirement(
    program_id: int, requirement_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    service.delete_requirement(db, program_id, requirement_id)
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?deleted=1", status_code=303)


@router.post("/programs/{program_id}/schedule/requests", include_in_schema=False)
async def add_request(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    today = local_wall_clock(now, settings).date()
    try:
        service.add_request(db, program_id, parse_form(RequestForm, values), today=today,
                            created_by=caller.signed_in.user_id)  # fmt: skip
    except InvalidInput as error:
        return _setup_page(request, caller, db, today, 422, errors=errors_by_field(error),
                           values=values, failed="request")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?saved=1", status_code=303)


@router.post("/programs/{program_id}/schedule/requests/{request_id}/delete",
             include_in_schema=False)  # fmt: skip
def delete_request(program_id: int, request_id: int, caller: ProgramManager, db: DbDep) -> Response:
    service.delete_request(db, program_id, request_id)
    return RedirectResponse(f"/programs/{program_id}/schedule/setup?deleted=1", status_code=303)


@router.post("/programs/{program_id}/schedule/generate", include_in_schema=False)
def generate(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    today = local_wall_clock(now, settings).date()
    try:
        service.generate_schedule(db, program_id, user_id=caller.signed_in.user_id, now=now,
                                  today=today)  # fmt: skip
    except InvalidInput as error:
        return _grid_page(request, caller, db, today, 422, failure=error)
    return RedirectResponse(f"/programs/{program_id}/schedule?generated=1", status_code=303)


@router.post("/programs/{program_id}/schedule/cells", include_in_schema=False)
async def edit_cell(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    today = local_wall_clock(now, settings).date()
    partial = request.headers.get("hx-request") == "true"
    try:
        view = service.edit_cell(db, program_id, parse_form(CellForm, values), today=today)
    except InvalidInput as error:
        return _grid_page(request, caller, db, today, 422, errors=errors_by_field(error),
                          values=values)  # fmt: skip
    if partial:
        return render(request, "schedules/_live.html", caller.principal,
                      program=get_program(db, program_id), view=view, is_manager=True,
                      edited=True)  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/schedule?edited=1", status_code=303)


@router.get("/programs/{program_id}/schedule/mine", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def my_rotations(
    request: Request, program_id: int, caller: OwnFellow, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    return _mine_page(request, caller, db, local_wall_clock(now, settings).date())


def _mine_page(
    request: Request, caller: Caller, db: DbDep, today: date, status: int = 200,
    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    assert caller.program_id is not None
    program_id, fellow_id = caller.program_id, caller.signed_in.user_id
    schedule, blocks = service.fellow_blocks(db, program_id, fellow_id)
    rotations = service.list_rotations(db, program_id)
    return render(
        request, "schedules/mine.html", caller.principal, status,
        program=get_program(db, program_id), schedule=schedule, blocks=blocks,
        requests=service.own_requests(db, program_id, fellow_id), rotations=rotations,
        rotation_names={r.id: r.name for r in rotations},
        calendar=service.get_calendar(db, program_id, today=today),
        max_weight=FELLOW_MAX_WEIGHT, values=values or {}, errors=errors or {},
    )  # fmt: skip


@router.post("/programs/{program_id}/schedule/mine/requests", include_in_schema=False)
async def add_own_request(
    request: Request, program_id: int, caller: OwnFellow, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    today = local_wall_clock(now, settings).date()
    try:
        form = parse_form(OwnRequestForm, values)
        service.add_own_request(db, program_id, caller.signed_in.user_id, form, today=today)
    except InvalidInput as error:
        return _mine_page(request, caller, db, today, 422, values, errors_by_field(error))
    return RedirectResponse(f"/programs/{program_id}/schedule/mine?saved=1", status_code=303)


@router.post("/programs/{program_id}/schedule/mine/requests/{request_id}/delete",
             include_in_schema=False)  # fmt: skip
def delete_own_request(program_id: int, request_id: int, caller: OwnFellow, db: DbDep) -> Response:
    service.delete_own_request(db, program_id, caller.signed_in.user_id, request_id)
    return RedirectResponse(f"/programs/{program_id}/schedule/mine?deleted=1", status_code=303)


@router.get("/programs/{program_id}/schedule/mine.ics", include_in_schema=False)
def my_rotations_ics(program_id: int, caller: OwnFellow, db: DbDep, now: NowDep) -> Response:
    get_program(db, program_id)
    text = service.fellow_ics(db, program_id, caller.signed_in.user_id, now=now)
    disposition = 'attachment; filename="my-rotations.ics"'
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": disposition})  # fmt: skip


@router.get("/api/v1/programs/{program_id}/schedule", response_model=ScheduleOut,
            tags=["schedule"])  # fmt: skip
def schedule_api(
    program_id: int, caller: ProgramMember, db: DbDep, now: NowDep, settings: SettingsDep
) -> ScheduleOut:
    """The current block schedule for every member of the program (as the grid page)."""
    get_program(db, program_id)
    view = service.schedule_view(db, program_id, today=local_wall_clock(now, settings).date())
    record = view.schedule
    return ScheduleOut(
        schedule_id=record.id if record else None,
        status=record.status if record else None,
        generated_at=record.generated_at if record else None,
        rotations=[RotationOut(id=r.id, name=r.name, sites=r.sites)
                   for r in view.rotations.values()],
        blocks=[BlockOut(block=b, start=view.calendar.start(b), end=view.calendar.end(b))
                for b in range(1, view.calendar.n_blocks + 1)],
        rows=[FellowRowOut(fellow_user_id=fid, fellow_name=view.fellows.get(fid, str(fid)),
                           rotation_ids=row) for fid, row in view.grid.items()],
        violations=[v.message for v in view.violations],
    )  # fmt: skip
