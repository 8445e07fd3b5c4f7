"""Duty hours: a fellow's own log and standing; the program's compliance report."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.core.duty_hours import WARN_AVERAGE_HOURS, ShiftKind
from painfellow.duty_hours import service
from painfellow.duty_hours.schemas import CalendarForm, ShiftForm, ShiftView, WeekForm
from painfellow.errors import FieldError, InvalidInput
from painfellow.programs.service import get_program
from painfellow.web.access import OwnFellow, ProgramManager
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep, local_wall_clock
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
KINDS = {kind.value: kind.value.replace("_", " ").capitalize() for kind in ShiftKind}


def _page(
    request: Request, caller: Caller, db: DbDep, local_now: datetime, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    assert caller.program_id is not None
    program_id, fellow_id = caller.program_id, caller.signed_in.user_id
    overview = service.fellow_overview(db, fellow_id, now=local_now, program_id=program_id)
    this_monday = local_now.date() - timedelta(days=local_now.weekday())
    weeks = [
        (monday, service.week_suggestions(db, program_id, fellow_id, monday=monday))
        for monday in (
            this_monday - timedelta(weeks=1),
            this_monday,
            this_monday + timedelta(weeks=1),
        )
    ]
    return render(
        request, "duty_hours/fellow.html", caller.principal, status,
        program=get_program(db, program_id), overview=overview, kinds=KINDS,
        weeks=weeks, local_now=local_now, warn_average=WARN_AVERAGE_HOURS,
        values=extra.pop("values", {}), errors=extra.pop("errors", {}), **extra,
    )  # fmt: skip


@router.get("/programs/{program_id}/duty-hours", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def fellow_page(
    request: Request, program_id: int, caller: OwnFellow, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    return _page(request, caller, db, local_wall_clock(now, settings))


@router.post("/programs/{program_id}/duty-hours/shifts", include_in_schema=False)
async def log_shift_form(
    request: Request, program_id: int, caller: OwnFellow, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = dict((await request.form()).items())
    local_now = local_wall_clock(now, settings)
    try:
        form = parse_form(ShiftForm, values)
        _, violations = service.log_shift(db, program_id, caller.signed_in.user_id, form, now=now)
    except InvalidInput as error:
        return _page(request, caller, db, local_now, 422, values=values,
                     errors=errors_by_field(error))  # fmt: skip
    flag = "violation" if violations else "saved"
    return RedirectResponse(f"/programs/{program_id}/duty-hours?{flag}=1", status_code=303)


@router.post("/programs/{program_id}/duty-hours/confirm-week", include_in_schema=False)
async def confirm_week_form(
    request: Request, program_id: int, caller: OwnFellow, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = dict((await request.form()).items())
    local_now = local_wall_clock(now, settings)
    try:
        form = parse_form(WeekForm, values)
        _, violations = service.confirm_week(
            db, program_id, caller.signed_in.user_id, monday=form.week, now=now,
            local_now=local_now,
        )  # fmt: skip
    except InvalidInput as error:
        return _page(request, caller, db, local_now, 422, errors=errors_by_field(error))
    flag = "violation" if violations else "confirmed"
    return RedirectResponse(f"/programs/{program_id}/duty-hours?{flag}=1", status_code=303)


@router.post("/programs/{program_id}/duty-hours/shifts/{shift_id}/delete",
             include_in_schema=False)  # fmt: skip
def delete_shift_form(program_id: int, shift_id: int, caller: OwnFellow, db: DbDep) -> Response:
    service.delete_shift(db, program_id, caller.signed_in.user_id, shift_id)
    return RedirectResponse(f"/programs/{program_id}/duty-hours?deleted=1", status_code=303)


@router.get("/programs/{program_id}/duty-hours/report", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def report_page(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
    first_day: Annotated[date | None, Query()] = None,
    last_day: Annotated[date | None, Query()] = None,
) -> Response:  # fmt: skip
    local_now = local_wall_clock(now, settings)
    today = local_now.date()
    calendar = service.get_calendar(db, program_id)
    first = first_day or calendar.year_bounds(today)[0].date()
    last = last_day or today
    if last < first:
        raise InvalidInput([FieldError("last_day", "must not be before first_day")])
    if (last - first) > timedelta(days=731):
        raise InvalidInput([FieldError("last_day", "the range may span at most two years")])
    return _report(request, caller, db, program_id, local_now, first, last, calendar)


def _report(
    request: Request, caller: Caller, db: DbDep, program_id: int, local_now: datetime,
    first: date, last: date, calendar: service.CalendarSettings, status: int = 200,
    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
) -> Response:  # fmt: skip
    report, names = service.program_compliance(db, program_id, first_day=first, last_day=last)
    return render(
        request, "duty_hours/report.html", caller.principal, status,
        program=get_program(db, program_id), report=report, names=names,
        first_day=first, last_day=last, calendar=calendar,
        rolling=service.rolling_averages(db, program_id, now=local_now),
        warn_average=WARN_AVERAGE_HOURS, errors=errors or {}, values=values or {},
    )  # fmt: skip


@router.post("/programs/{program_id}/duty-hours/calendar", include_in_schema=False)
async def set_calendar_form(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = dict((await request.form()).items())
    try:
        form = parse_form(CalendarForm, values)
    except InvalidInput as error:
        local_now = local_wall_clock(now, settings)
        calendar = service.get_calendar(db, program_id)
        first = calendar.year_bounds(local_now.date())[0].date()
        return _report(request, caller, db, program_id, local_now, first, local_now.date(),
                       calendar, 422, errors_by_field(error), values)  # fmt: skip
    service.set_calendar(db, program_id, form)
    return RedirectResponse(f"/programs/{program_id}/duty-hours/report?saved=1", status_code=303)


@router.get("/api/v1/programs/{program_id}/duty-hours/shifts", response_model=list[ShiftView],
            tags=["duty hours"])  # fmt: skip
def my_shifts(
    program_id: int, caller: OwnFellow, db: DbDep, now: NowDep, settings: SettingsDep
) -> list[ShiftView]:
    overview = service.fellow_overview(
        db, caller.signed_in.user_id, now=local_wall_clock(now, settings), program_id=program_id
    )
    return [ShiftView.model_validate(s) for s in overview.shifts]


@router.post("/api/v1/programs/{program_id}/duty-hours/shifts", response_model=ShiftView,
             status_code=201, tags=["duty hours"])  # fmt: skip
def log_shift_api(
    program_id: int, body: ShiftForm, caller: OwnFellow, db: DbDep, now: NowDep
) -> ShiftView:
    shift, _ = service.log_shift(db, program_id, caller.signed_in.user_id, body, now=now)
    return ShiftView.model_validate(shift)
