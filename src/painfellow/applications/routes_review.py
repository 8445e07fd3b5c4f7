"""The program's side: the applications table, one application's review, the rubric and
the application window."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.applications import review, storage, submissions
from painfellow.applications.routes_applicant import attachment
from painfellow.errors import Conflict, FieldError, InvalidInput
from painfellow.programs.service import get_program
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES
from painfellow.web.access import PROGRAM_MANAGERS, ProgramManager, ProgramReviewer
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.errors import error_response
from painfellow.web.forms import errors_by_field
from painfellow.web.templating import render

router = APIRouter(include_in_schema=False)
STATUS_LABELS = {s: s.replace("_", " ").capitalize() for s in review.REVIEW_STATUSES}


def _filters(request: Request) -> tuple[review.Filters, dict[str, str]]:
    """The filters of the query string, and the errors of those that are out of range (the
    table is then shown unfiltered by them, with the errors next to their fields)."""
    try:
        return review.parse_filters(request.query_params), {}
    except InvalidInput as error:
        valid = {
            k: v for k, v in request.query_params.items()
            if k not in {e.field for e in error.errors}
        }  # fmt: skip
        return review.parse_filters(valid), errors_by_field(error)


def _table_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    filters, filter_errors = _filters(request)
    if filter_errors and status == 200:
        status = 422
    return render(
        request, "applications/review_list.html", caller.principal, status,
        program=program, rows=review.list_program_applications(
            db, program.id, filters, caller.signed_in.user_id
        ),
        filters=filters, statuses=STATUS_LABELS, settable=review.SETTABLE_STATUSES,
        specialties=ELIGIBLE_PRIOR_SPECIALTIES, query=request.url.query,
        is_manager=PROGRAM_MANAGERS.rule.admits(caller.principal, program.id),
        window=submissions.application_window(db, program.id),
        errors=extra.pop("errors", {}), failure=extra.pop("failure", ""),
        filter_errors=filter_errors,
    )  # fmt: skip


@router.get("/programs/{program_id}/applications", response_class=HTMLResponse)
def applications_table(
    request: Request, program_id: int, caller: ProgramReviewer, db: DbDep
) -> Response:
    return _table_page(request, caller, db)


@router.get("/programs/{program_id}/applications/export.csv")
def export_applications(
    request: Request, program_id: int, caller: ProgramReviewer, db: DbDep
) -> Response:
    try:
        filters = review.parse_filters(request.query_params)
    except InvalidInput as error:
        return error_response(request, 422, "Nothing was exported: " + "; ".join(
            f"{e.field}: {e.message}" for e in error.errors), error.errors)  # fmt: skip
    rows = review.list_program_applications(db, program_id, filters, caller.signed_in.user_id)
    return Response(
        review.export_csv(rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="applications-{program_id}.csv"'},
    )


@router.post("/programs/{program_id}/applications/status")
async def bulk_status(
    request: Request, program_id: int, caller: ProgramReviewer, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    form = await request.form()
    raw_ids = [v for v in form.getlist("application_ids") if isinstance(v, str)]
    status = str(form.get("status", ""))
    try:
        if not all(raw.isdigit() for raw in raw_ids):
            raise InvalidInput([FieldError("application_ids", "select applications from the list")])
        count = review.set_status(
            db, program_id, [int(raw) for raw in raw_ids], status,
            reviewer_id=caller.signed_in.user_id, now=now, base_url=settings.base_url,
        )  # fmt: skip
    except InvalidInput as error:
        return _table_page(request, caller, db, 422, errors=errors_by_field(error))
    except Conflict as error:
        return _table_page(request, caller, db, 409, failure=error.message)
    back = str(form.get("back", ""))
    target = f"/programs/{program_id}/applications?moved={count}"
    if back and back.startswith(f"/programs/{program_id}/applications"):
        target = back + ("&" if "?" in back else "?") + f"moved={count}"
    return RedirectResponse(target, status_code=303)


def _settings_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    zone = ZoneInfo(request.app.state.settings.local_timezone)
    window = submissions.application_window(db, program.id)
    deadline = (
        window.deadline.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if window.deadline else ""
    )
    return render(
        request, "applications/review_settings.html", caller.principal, status,
        program=program, window=window, deadline=deadline, zone=zone.key,
        criteria=review.list_criteria(db, program.id),
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
    )  # fmt: skip


@router.get("/programs/{program_id}/applications/settings", response_class=HTMLResponse)
def settings_page(request: Request, program_id: int, caller: ProgramManager, db: DbDep) -> Response:
    return _settings_page(request, caller, db)


@router.post("/programs/{program_id}/applications/settings")
async def save_window(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, settings: SettingsDep
) -> Response:
    values = dict((await request.form()).items())
    raw = str(values.get("deadline", "")).strip()
    try:
        deadline = None
        if raw:
            try:
                local = datetime.fromisoformat(raw)
            except ValueError as error:
                raise InvalidInput([FieldError("deadline", "give a date and time")]) from error
            if local.tzinfo is None:
                local = local.replace(tzinfo=ZoneInfo(settings.local_timezone))
            deadline = local
        accepting = values.get("accepting") == "yes"
        submissions.set_application_window(db, program_id, accepting=accepting, deadline=deadline)
    except InvalidInput as error:
        return _settings_page(request, caller, db, 422, errors=errors_by_field(error),
                              values=values)  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/applications/settings?saved=1", 303)


@router.post("/programs/{program_id}/applications/rubric")
async def add_criterion(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    values = dict((await request.form()).items())
    try:
        review.add_criterion(db, program_id, str(values.get("name", "")),
                             str(values.get("weight", "")))  # fmt: skip
    except InvalidInput as error:
        return _settings_page(request, caller, db, 422, errors=errors_by_field(error),
                              values=values)  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/applications/settings?added=1", 303)


def _review_page(
    request: Request, caller: Caller, db: DbDep, application_id: int, status: int = 200,
    **extra: Any,
) -> Response:  # fmt: skip
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    details = review.get_review(db, program.id, application_id, caller.signed_in.user_id)
    return render(
        request, "applications/review_detail.html", caller.principal, status,
        program=program, review=details, statuses=STATUS_LABELS,
        settable=review.SETTABLE_STATUSES, specialties=ELIGIBLE_PRIOR_SPECIALTIES,
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
    )  # fmt: skip


@router.get("/programs/{program_id}/applications/{application_id}", response_class=HTMLResponse)
def review_page(
    request: Request, program_id: int, application_id: int, caller: ProgramReviewer, db: DbDep
) -> Response:
    return _review_page(request, caller, db, application_id)


@router.post("/programs/{program_id}/applications/{application_id}/scores")
async def save_scores(
    request: Request, program_id: int, application_id: int, caller: ProgramReviewer, db: DbDep,
    now: NowDep,
) -> Response:  # fmt: skip
    values = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        review.save_scores(db, program_id, application_id, caller.signed_in.user_id, values,
                           now=now)  # fmt: skip
    except InvalidInput as error:
        return _review_page(request, caller, db, application_id, 422,
                            errors=errors_by_field(error), values=values)  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/applications/{application_id}?scored=1", 303)


@router.post("/programs/{program_id}/applications/{application_id}/notes")
async def add_note(
    request: Request, program_id: int, application_id: int, caller: ProgramReviewer, db: DbDep,
    now: NowDep,
) -> Response:  # fmt: skip
    values = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    try:
        review.add_note(db, program_id, application_id, caller.signed_in.user_id,
                        values.get("body", ""), now=now)  # fmt: skip
    except InvalidInput as error:
        return _review_page(request, caller, db, application_id, 422,
                            errors=errors_by_field(error), values=values)  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/applications/{application_id}?noted=1", 303)


@router.get("/programs/{program_id}/applications/{application_id}/documents/{document_id}")
def received_document(
    program_id: int, application_id: int, document_id: int, caller: ProgramReviewer, db: DbDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    entry = review.received_document(
        db, program_id, application_id, document_id, caller.signed_in.user_id
    )
    data = storage.read_blob(settings.upload_dir, entry["sha256"])
    return attachment(data, entry["content_type"], entry["filename"])


@router.get("/programs/{program_id}/applications/{application_id}/letters/{letter_id}")
def received_letter(
    request: Request, program_id: int, application_id: int, letter_id: int,
    caller: ProgramReviewer, db: DbDep, settings: SettingsDep,
) -> Response:  # fmt: skip
    letter = review.received_letter(
        db, program_id, application_id, letter_id, caller.signed_in.user_id
    )
    if letter.sha256 is None:
        return error_response(request, 404, "This letter has no file.")
    data = storage.read_blob(settings.upload_dir, letter.sha256)
    return attachment(data, storage.PDF, f"letter-{letter.id}-{letter.writer_name}.pdf")
