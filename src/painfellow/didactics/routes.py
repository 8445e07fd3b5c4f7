"""Didactic sessions: the program schedules them; fellows check in, and rate what they attended."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.didactics import service
from painfellow.didactics.schemas import (
    CheckInForm,
    ExcuseForm,
    RatingForm,
    SessionForm,
    SessionKind,
)
from painfellow.errors import InvalidInput
from painfellow.programs.service import get_program
from painfellow.web.access import PROGRAM_MANAGERS, OwnFellow, ProgramManager, ProgramMember
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
KINDS = {k.value: k.value.replace("_", " ").capitalize() for k in SessionKind}


def _page(
    request: Request, caller: Caller, db: DbDep, now: Any, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    sessions = service.list_sessions(db, program.id)
    ids = [s.id for s in sessions]
    principal = caller.signed_in
    is_manager = PROGRAM_MANAGERS.rule.admits(principal, program.id)
    zone = ZoneInfo(request.app.state.settings.local_timezone)
    return render(
        request, "didactics/list.html", principal, status,
        program=program, sessions=sessions, kinds=KINDS, now=now,
        check_in_early=service.CHECKIN_EARLY,
        is_manager=is_manager, is_fellow=Role.FELLOW in principal.roles_in(program.id),
        mine=service.my_attendance(db, principal.user_id, ids),
        ratings=service.average_ratings(db, ids),
        rates=service.attendance_rates(db, program.id, now=now, zone=zone) if is_manager else [],
        fellows=members_with_role(db, program.id, Role.FELLOW) if is_manager else {},
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        failed=extra.pop("failed", None), **extra,
    )  # fmt: skip


async def _form(request: Request) -> dict[str, Any]:
    return dict((await request.form()).items())


@router.get("/programs/{program_id}/didactics", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def didactics_page(
    request: Request, program_id: int, caller: ProgramMember, db: DbDep, now: NowDep
) -> Response:
    return _page(request, caller, db, now)


@router.post("/programs/{program_id}/didactics", include_in_schema=False)
async def create_session(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    data = {**values, "materials_url": values.get("materials_url") or None}
    try:
        form = parse_form(SessionForm, data)
        service.create_session(db, program_id, form, zone=ZoneInfo(settings.local_timezone))
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     values=values, failed="create")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/didactics?saved=1", status_code=303)


@router.post("/programs/{program_id}/didactics/{session_id}/check-in", include_in_schema=False)
async def check_in(
    request: Request, program_id: int, session_id: int, caller: OwnFellow, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(CheckInForm, values)
        service.check_in(db, program_id, session_id, caller.signed_in.user_id, form, now=now)
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     failed=f"check-in-{session_id}")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/didactics?checked_in=1", status_code=303)


@router.post("/programs/{program_id}/didactics/{session_id}/excuse", include_in_schema=False)
async def excuse(
    request: Request, program_id: int, session_id: int, caller: ProgramManager, db: DbDep,
    now: NowDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        service.excuse(db, program_id, session_id, parse_form(ExcuseForm, values), now=now)
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     failed=f"excuse-{session_id}")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/didactics?saved=1", status_code=303)


@router.post("/programs/{program_id}/didactics/{session_id}/rating", include_in_schema=False)
async def rate(
    request: Request, program_id: int, session_id: int, caller: OwnFellow, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(RatingForm, values)
        service.rate(db, program_id, session_id, caller.signed_in.user_id, form)
    except InvalidInput as error:
        return _page(request, caller, db, now, 422, errors=errors_by_field(error),
                     failed=f"rating-{session_id}")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/didactics?rated=1", status_code=303)
