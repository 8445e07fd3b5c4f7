"""Interview pages: the program sets up days and invites; applicants book, rank and export;
faculty read itineraries and evaluate. Plus the booking API and the calendar feed."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from painfellow.errors import Conflict, FieldError, InvalidInput
from painfellow.interviews import service
from painfellow.interviews.booking import BOOKING_CONTEXT_WITH_PRINCIPAL
from painfellow.interviews.schemas import (
    CRITERIA,
    BookForm,
    DayForm,
    EvaluationForm,
    InviteForm,
    SettingsForm,
    SlotForm,
)
from painfellow.programs.service import get_program
from painfellow.web.access import (
    CaseSupervisor,
    OwnApplicant,
    OwnApplicantInRoute,
    ProgramManager,
    ProgramReviewer,
    Public,
    SignedIn,
)
from painfellow.web.authz import Caller, InRouteCaller
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
ICS = "text/calendar; charset=utf-8"


async def _form(request: Request) -> dict[str, Any]:
    return dict((await request.form()).items())


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.local_timezone)


# ---- program managers -------------------------------------------------------------------


def _manage_page(
    request: Request, caller: Caller, db: DbDep, now: Any, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    settings = service.program_settings(db, program.id)
    return render(
        request, "interviews/manage.html", caller.signed_in, status,
        program=program, settings=settings, now=now,
        days=service.days_with_slots(db, program.id, names=True,
                                     viewer_id=caller.signed_in.user_id),
        invitations=service.invitation_rows(db, program.id, caller.signed_in.user_id),
        waitlist=service.waitlist_size(db, program.id),
        window_open=service.window_open(settings, now),
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        failed=extra.pop("failed", None), **extra,
    )  # fmt: skip


@router.get("/programs/{program_id}/interviews", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def manage_page(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    return _manage_page(request, caller, db, now)


@router.post("/programs/{program_id}/interviews/settings", include_in_schema=False)
async def save_settings(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(SettingsForm, values)
        service.save_settings(db, program_id, form, zone=_zone(request))
    except InvalidInput as error:
        return _manage_page(request, caller, db, now, 422, errors=errors_by_field(error),
                            values=values, failed="settings")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/interviews?saved=settings", 303)


@router.post("/programs/{program_id}/interviews/days", include_in_schema=False)
async def create_day(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        service.create_day(db, program_id, parse_form(DayForm, values))
    except InvalidInput as error:
        return _manage_page(request, caller, db, now, 422, errors=errors_by_field(error),
                            values=values, failed="day")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/interviews?saved=day", 303)


@router.post("/programs/{program_id}/interviews/days/{day_id}/slots", include_in_schema=False)
async def add_slot(
    request: Request, program_id: int, day_id: int, caller: ProgramManager, db: DbDep,
    now: NowDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        form = parse_form(SlotForm, values)
        service.add_slot(db, program_id, day_id, form, zone=_zone(request), now=now)
    except InvalidInput as error:
        return _manage_page(request, caller, db, now, 422, errors=errors_by_field(error),
                            values=values, failed=f"slot-{day_id}")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/interviews?saved=slot#day-{day_id}", 303)


@router.post("/programs/{program_id}/interviews/invitations", include_in_schema=False)
async def invite(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        created = service.invite_by_emails(
            db,
            program_id,
            parse_form(InviteForm, values),
            invited_by=caller.signed_in.user_id,
            now=now,
        )
    except InvalidInput as error:
        return _manage_page(request, caller, db, now, 422, errors=errors_by_field(error),
                            values=values, failed="invite")  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}/interviews?invited={len(created)}", 303)


@router.post("/programs/{program_id}/interviews/assignment", include_in_schema=False)
def run_assignment(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    try:
        result = service.run_assignment(db, program_id, now=now)
    except Conflict as error:
        return _manage_page(request, caller, db, now, 409, problem=error.message)
    return RedirectResponse(
        f"/programs/{program_id}/interviews?assigned={len(result.placements)}", 303
    )


# ---- faculty ------------------------------------------------------------------------------


@router.get("/programs/{program_id}/interviews/days/{day_id}", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def staff_itinerary(
    request: Request, program_id: int, day_id: int, caller: ProgramReviewer, db: DbDep
) -> Response:
    itinerary = service.staff_itinerary(db, program_id, day_id, caller.signed_in.user_id)
    return render(request, "interviews/itinerary.html", caller.signed_in,
                  itinerary=itinerary, staff=True)  # fmt: skip


def _evaluations_page(
    request: Request, caller: Caller, db: DbDep, now: Any, status: int = 200, **extra: Any
) -> Response:
    assert caller.program_id is not None
    program = get_program(db, caller.program_id)
    return render(
        request, "interviews/evaluations.html", caller.signed_in, status,
        program=program, now=now, criteria=CRITERIA,
        interviewees=service.interviewees(db, program.id, caller.signed_in.user_id),
        errors=extra.pop("errors", {}), failed=extra.pop("failed", None), **extra,
    )  # fmt: skip


@router.get("/programs/{program_id}/interviews/evaluations", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def evaluations_page(
    request: Request, program_id: int, caller: CaseSupervisor, db: DbDep, now: NowDep
) -> Response:
    return _evaluations_page(request, caller, db, now)


@router.post("/programs/{program_id}/interviews/evaluations/{applicant_user_id}",
             include_in_schema=False)  # fmt: skip
async def save_evaluation(
    request: Request, program_id: int, applicant_user_id: int, caller: CaseSupervisor,
    db: DbDep, now: NowDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        form = parse_form(EvaluationForm, values)
        service.save_evaluation(db, program_id, applicant_user_id, caller.signed_in.user_id,
                                form, now=now)  # fmt: skip
    except InvalidInput as error:
        return _evaluations_page(request, caller, db, now, 422, errors=errors_by_field(error),
                                 failed=applicant_user_id)  # fmt: skip
    return RedirectResponse(
        f"/programs/{program_id}/interviews/evaluations?saved=1#applicant-{applicant_user_id}", 303
    )


# ---- applicants ---------------------------------------------------------------------------


@router.get("/interviews", response_class=HTMLResponse, include_in_schema=False)
def my_invitations(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    rows = service.my_invitations(db, caller.signed_in.user_id)
    return render(request, "interviews/mine.html", caller.signed_in, rows=rows, now=now)


def _invitation_page(
    request: Request, caller: Caller, db: DbDep, now: Any, invitation_id: int,
    status: int = 200, **extra: Any,
) -> Response:  # fmt: skip
    view = service.invitation_view(db, invitation_id, caller.signed_in.user_id)
    return render(
        request, "interviews/invitation.html", caller.signed_in, status,
        view=view, now=now, window_open=service.window_open(view.settings, now),
        errors=extra.pop("errors", {}), **extra,
    )  # fmt: skip


@router.get("/interviews/invitations/{invitation_id}", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def invitation_page(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    return _invitation_page(request, caller, db, now, invitation_id)


@router.post("/interviews/invitations/{invitation_id}/booking", include_in_schema=False)
async def book(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(BookForm, values)
        outcome = service.book(db, invitation_id=invitation_id,
                               applicant_user_id=caller.signed_in.user_id, slot_id=form.slot_id,
                               now=now, reschedule=form.reschedule)  # fmt: skip
    except InvalidInput as error:
        return _invitation_page(request, caller, db, now, invitation_id, 422,
                                errors=errors_by_field(error))  # fmt: skip
    except Conflict as error:
        return _invitation_page(request, caller, db, now, invitation_id, 409,
                                problem=error.message)  # fmt: skip
    if outcome.status == "full":
        return _invitation_page(request, caller, db, now, invitation_id, 409, full=True)
    return RedirectResponse(f"/interviews/invitations/{invitation_id}?{outcome.status}=1", 303)


@router.post("/interviews/invitations/{invitation_id}/cancel", include_in_schema=False)
def cancel(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    try:
        service.cancel(db, invitation_id=invitation_id,
                       applicant_user_id=caller.signed_in.user_id, now=now)  # fmt: skip
    except Conflict as error:
        return _invitation_page(request, caller, db, now, invitation_id, 409,
                                problem=error.message)  # fmt: skip
    return RedirectResponse(f"/interviews/invitations/{invitation_id}?cancelled=1", 303)


@router.post("/interviews/invitations/{invitation_id}/waitlist", include_in_schema=False)
def join_waitlist(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    try:
        service.join_waitlist(db, invitation_id=invitation_id,
                              applicant_user_id=caller.signed_in.user_id, now=now)  # fmt: skip
    except Conflict as error:
        return _invitation_page(request, caller, db, now, invitation_id, 409,
                                problem=error.message)  # fmt: skip
    return RedirectResponse(f"/interviews/invitations/{invitation_id}?waitlisted=1", 303)


@router.post("/interviews/invitations/{invitation_id}/waitlist/leave", include_in_schema=False)
def leave_waitlist(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    try:
        service.leave_waitlist(db, invitation_id=invitation_id,
                               applicant_user_id=caller.signed_in.user_id)  # fmt: skip
    except Conflict as error:
        return _invitation_page(request, caller, db, now, invitation_id, 409,
                                problem=error.message)  # fmt: skip
    return RedirectResponse(f"/interviews/invitations/{invitation_id}?left=1", 303)


@router.post("/interviews/invitations/{invitation_id}/ranking", include_in_schema=False)
async def save_ranking(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        service.save_ranking(db, invitation_id=invitation_id,
                             applicant_user_id=caller.signed_in.user_id,
                             values={k: str(v) for k, v in values.items()}, now=now)  # fmt: skip
    except InvalidInput as error:
        return _invitation_page(request, caller, db, now, invitation_id, 422,
                                errors=errors_by_field(error), values=values)  # fmt: skip
    except Conflict as error:
        return _invitation_page(request, caller, db, now, invitation_id, 409,
                                problem=error.message)  # fmt: skip
    return RedirectResponse(f"/interviews/invitations/{invitation_id}?ranked=1", 303)


@router.get("/interviews/invitations/{invitation_id}/booking.ics", include_in_schema=False)
def booking_ics(invitation_id: int, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    text = service.booking_ics(db, invitation_id=invitation_id,
                               applicant_user_id=caller.signed_in.user_id, now=now)  # fmt: skip
    return Response(
        text,
        media_type=ICS,
        headers={"Content-Disposition": f'attachment; filename="interview-{invitation_id}.ics"'},
    )


@router.get("/interviews/invitations/{invitation_id}/itinerary", response_class=HTMLResponse,
            include_in_schema=False)  # fmt: skip
def applicant_itinerary(
    request: Request, invitation_id: int, caller: OwnApplicant, db: DbDep
) -> Response:
    itinerary = service.applicant_itinerary(db, invitation_id, caller.signed_in.user_id)
    return render(request, "interviews/itinerary.html", caller.signed_in,
                  itinerary=itinerary, staff=False, invitation_id=invitation_id)  # fmt: skip


class BookingRequest(BaseModel):
    slot_id: int
    reschedule: bool = False


class BookingAnswer(BaseModel):
    status: str
    slot_id: int
    waitlist_url: str | None = None


@router.post(
    "/api/v1/interviews/invitations/{invitation_id}/booking",
    tags=["interviews"],
    response_model=BookingAnswer,
    status_code=201,
    responses={
        409: {
            "description": 'The slot is full (status "full", with the '
            "waitlist's address) or you already hold a booking here"
        }
    },
    # the body is validated in the route, after the caller is checked (see api_book)
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": BookingRequest.model_json_schema()}}}},
)  # fmt: skip
async def api_book(request: Request, invitation_id: int, caller: OwnApplicantInRoute) -> Response:
    """Book a seat (or move the booking with ``reschedule``). A full slot answers 409 with
    ``status: "full"``; joining the waitlist is then a POST to ``waitlist_url``."""
    # One worker-thread call for the session, the caller's lookup and the booking (see
    # AuthorizeInRoute). The body is read here and parsed in that call, not by FastAPI.
    outcome = await caller.run(_book_as, invitation_id, await request.body())
    # (the BookingAnswer shape, built directly: a pydantic round trip per answer is CPU a
    # rush does not have)
    if outcome.status == "full":
        waitlist_url = f"/interviews/invitations/{invitation_id}/waitlist"
        full = {"status": "full", "slot_id": outcome.slot_id, "waitlist_url": waitlist_url}
        return JSONResponse(full, status_code=409)
    answer = {"status": outcome.status, "slot_id": outcome.slot_id, "waitlist_url": None}
    return JSONResponse(answer, status_code=201)


def _booking_request(raw: bytes) -> BookingRequest:
    try:
        payload = json.loads(raw) if raw else None
    except ValueError as error:
        raise InvalidInput([FieldError("body", f"not valid JSON ({error})")]) from error
    if not isinstance(payload, dict):
        raise InvalidInput([FieldError("body", 'send a JSON object: {"slot_id": 12}')])
    return parse_form(BookingRequest, payload)


def _book_as(caller: InRouteCaller, invitation_id: int, raw: bytes) -> service.BookingOutcome:
    # The caller first: who may not call this route learns 401/403, never how a body is
    # shaped (as with the routes whose rule FastAPI checks before validating the body). The
    # body is parsed before, for the slot that the caller's lookup reads in the same round
    # trip, outside a transaction (most of a rush ends at that read: "full").
    try:
        body: BookingRequest | None = _booking_request(raw)
        invalid: InvalidInput | None = None
    except InvalidInput as error:
        body, invalid = None, error
    checked, context = caller.resolve_along(
        BOOKING_CONTEXT_WITH_PRINCIPAL,
        {"invitation_id": invitation_id, "slot_id": body.slot_id if body else None},
    )
    if body is None:
        assert invalid is not None
        raise invalid
    user_id = checked.signed_in.user_id
    answer = service.answer_from_read(context, applicant_user_id=user_id, slot_id=body.slot_id,
                                      now=caller.now, reschedule=body.reschedule)  # fmt: skip
    if answer is not None:
        return answer  # no session opened
    return service.book(caller.db, invitation_id=invitation_id, applicant_user_id=user_id,
                        slot_id=body.slot_id, now=caller.now, reschedule=body.reschedule,
                        context=context)  # fmt: skip


# ---- calendar feeds -----------------------------------------------------------------------


@router.get("/interviews/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(request: Request, caller: SignedIn, db: DbDep) -> Response:
    return render(
        request,
        "interviews/calendar.html",
        caller.signed_in,
        has_feed=service.has_feed(db, caller.signed_in.user_id),
        feed_url=None,
    )


@router.post("/interviews/calendar", response_class=HTMLResponse, include_in_schema=False)
def issue_feed(
    request: Request, caller: SignedIn, db: DbDep, now: NowDep, settings: SettingsDep
) -> Response:
    token = service.issue_feed_token(db, caller.signed_in.user_id, now=now)
    url = f"{settings.base_url.rstrip('/')}/interviews/calendar/{token}.ics"
    return render(request, "interviews/calendar.html", caller.signed_in,
                  has_feed=True, feed_url=url)  # fmt: skip


@router.get("/interviews/calendar/{token}.ics", include_in_schema=False)
def calendar_feed(token: str, caller: Public, db: DbDep, now: NowDep) -> Response:
    return Response(service.feed_ics(db, token, now=now), media_type=ICS,
                    headers={"Cache-Control": "private, max-age=300"})  # fmt: skip
