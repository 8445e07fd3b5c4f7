"""The applicant's own pages: profile, documents, letter requests, applications, receipts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.applications import documents, letters, profile, storage, submissions
from painfellow.applications.schemas import (
    AssignmentForm,
    DocumentKind,
    LetterRequestForm,
    ProfileForm,
    SubmitForm,
)
from painfellow.applications.uploads import SizeLimited, read_upload
from painfellow.core.applications import MAX_LETTERS_PER_PROGRAM
from painfellow.core.eligibility import BoardStatus
from painfellow.errors import Conflict, FieldError, InvalidInput
from painfellow.programs.models import Program
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES
from painfellow.web.access import OwnApplicant
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter(include_in_schema=False)
BOARD_STATUSES = {
    BoardStatus.CERTIFIED.value: "Board certified",
    BoardStatus.ELIGIBLE.value: "Board eligible",
    BoardStatus.NEITHER.value: "Neither yet",
}


def _user(db: Session, caller: Caller) -> User:
    user = db.get(User, caller.signed_in.user_id)
    assert user is not None
    return user


def attachment(data: bytes, content_type: str, filename: str) -> Response:
    """A stored file, always as a download: never rendered or sniffed by the browser."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename) or "document"
    return Response(
        data,
        media_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


async def _form(request: Request) -> dict[str, Any]:
    return dict((await request.form()).items())


# --- profile ------------------------------------------------------------------------------


def _profile_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    values = extra.pop("values", None) or profile.profile_values(
        profile.get_profile(db, caller.signed_in.user_id)
    )
    return render(
        request, "applications/profile.html", caller.principal, status,
        values=values, errors=extra.pop("errors", {}), specialties=ELIGIBLE_PRIOR_SPECIALTIES,
        board_statuses=BOARD_STATUSES, section="profile",
    )  # fmt: skip


@router.get("/applicant/profile", response_class=HTMLResponse)
def profile_page(request: Request, caller: OwnApplicant, db: DbDep) -> Response:
    return _profile_page(request, caller, db)


@router.post("/applicant/profile")
async def save_profile(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    values = await _form(request)
    try:
        form = parse_form(ProfileForm, values)
        profile.save_profile(db, caller.signed_in.user_id, form, now=now)
    except InvalidInput as error:
        return _profile_page(request, caller, db, 422, errors=errors_by_field(error), values=values)
    return RedirectResponse("/applicant/profile?saved=1", status_code=303)


# --- documents ----------------------------------------------------------------------------


def _documents_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    programs = db.execute(select(Program.id, Program.institution).order_by(Program.institution))
    return render(
        request, "applications/documents.html", caller.principal, status,
        documents=documents.list_documents(db, caller.signed_in.user_id),
        kinds={k.value: k.label for k in DocumentKind}, programs=list(programs),
        max_mb=storage.MAX_UPLOAD_BYTES // (1024 * 1024), section="documents",
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
    )  # fmt: skip


@router.get("/applicant/documents", response_class=HTMLResponse)
def documents_page(request: Request, caller: OwnApplicant, db: DbDep) -> Response:
    return _documents_page(request, caller, db)


@router.post("/applicant/documents")
async def upload_document(
    request: Request, _size: SizeLimited, caller: OwnApplicant, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values: dict[str, str] = {}
    try:
        upload = await read_upload(request, documents.FILE_FIELD)
        values = upload.fields
        raw_program = values.get("program_id", "")
        if raw_program and not raw_program.isdigit():
            raise InvalidInput([FieldError("program_id", "choose a program")])
        documents.upload_document(
            db, settings.upload_dir, caller.signed_in.user_id,
            kind=values.get("kind", ""), filename=upload.filename, data=upload.data,
            title=values.get("title", "").strip(),
            program_id=int(raw_program) if raw_program else None, now=now,
        )  # fmt: skip
    except InvalidInput as error:
        status = 413 if isinstance(error, storage.UploadTooLarge) else 422
        return _documents_page(request, caller, db, status, errors=errors_by_field(error),
                               values=values)  # fmt: skip
    return RedirectResponse("/applicant/documents?uploaded=1", status_code=303)


@router.get("/applicant/documents/{document_id}")
def download_own_document(
    document_id: int, caller: OwnApplicant, db: DbDep, settings: SettingsDep
) -> Response:
    document = documents.get_own_document(db, caller.signed_in.user_id, document_id)
    data = storage.read_blob(settings.upload_dir, document.sha256)
    return attachment(data, document.content_type, document.filename)


# --- letters ------------------------------------------------------------------------------


def _letters_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    return render(
        request, "applications/letters.html", caller.principal, status,
        letters=letters.list_requests(db, caller.signed_in.user_id), section="letters",
        errors=extra.pop("errors", {}), values=extra.pop("values", {}),
    )  # fmt: skip


@router.get("/applicant/letters", response_class=HTMLResponse)
def letters_page(request: Request, caller: OwnApplicant, db: DbDep) -> Response:
    return _letters_page(request, caller, db)


@router.post("/applicant/letters")
async def request_letter(
    request: Request, caller: OwnApplicant, db: DbDep, now: NowDep, settings: SettingsDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(LetterRequestForm, {**values, "waive": values.get("waive", "")})
        letters.request_letter(db, _user(db, caller), form, secret_key=settings.secret_key,
                               base_url=settings.base_url, now=now)  # fmt: skip
    except InvalidInput as error:
        return _letters_page(request, caller, db, 422, errors=errors_by_field(error), values=values)
    return RedirectResponse("/applicant/letters?requested=1", status_code=303)


@router.post("/applicant/letters/{letter_id}/resend")
def resend_letter_link(
    letter_id: int, caller: OwnApplicant, db: DbDep, now: NowDep, settings: SettingsDep
) -> Response:
    letters.resend_link(db, _user(db, caller), letter_id, secret_key=settings.secret_key,
                        base_url=settings.base_url, now=now)  # fmt: skip
    return RedirectResponse("/applicant/letters?resent=1", status_code=303)


@router.get("/applicant/letters/{letter_id}")
def download_own_letter(
    letter_id: int, caller: OwnApplicant, db: DbDep, settings: SettingsDep
) -> Response:
    letter = letters.readable_by_applicant(db, caller.signed_in.user_id, letter_id)
    assert letter.sha256 is not None
    data = storage.read_blob(settings.upload_dir, letter.sha256)
    return attachment(data, storage.PDF, f"letter-{letter.id}.pdf")


# --- applications -------------------------------------------------------------------------


def _applications_page(
    request: Request, caller: Caller, db: DbDep, now: Any, status: int = 200, **extra: Any
) -> Response:
    mine = submissions.list_own_applications(db, caller.signed_in.user_id)
    programs = submissions.open_programs(db, caller.signed_in.user_id, now)
    checklists = submissions.checklists_of(db, [a for a, _ in mine])
    return render(
        request, "applications/applications.html", caller.principal, status,
        mine=[(a, p, checklists[a.id]) for a, p in mine],
        programs=[(p.id, p.display_name) for p in programs],
        section="applications", errors=extra.pop("errors", {}), values=extra.pop("values", {}),
        chosen=request.query_params.get("program_id", ""),
    )  # fmt: skip


@router.get("/applicant/applications", response_class=HTMLResponse)
def applications_page(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    return _applications_page(request, caller, db, now)


@router.post("/applicant/applications")
async def start_application(
    request: Request, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    raw = str(values.get("program_id", ""))
    try:
        if not raw.isdigit():
            raise InvalidInput([FieldError("program_id", "choose a program")])
        application = submissions.start_application(db, caller.signed_in.user_id, int(raw), now=now)
    except (InvalidInput, Conflict) as error:
        errors = (
            errors_by_field(error)
            if isinstance(error, InvalidInput)
            else {"program_id": error.message}
        )
        status = 422 if isinstance(error, InvalidInput) else 409
        return _applications_page(request, caller, db, now, status, errors=errors, values=values)
    return RedirectResponse(f"/applicant/applications/{application.id}", status_code=303)


def _application_page(
    request: Request, caller: Caller, db: DbDep, application_id: int, now: Any,
    status: int = 200, **extra: Any,
) -> Response:  # fmt: skip
    applicant_id = caller.signed_in.user_id
    application = submissions.get_own_application(db, applicant_id, application_id)
    program = db.get(Program, application.program_id)
    statements = [
        d for d in documents.list_documents(db, applicant_id)
        if d.kind == DocumentKind.PERSONAL_STATEMENT.value
        and d.program_id in (None, application.program_id)
    ]  # fmt: skip
    window = submissions.application_window(db, application.program_id)
    return render(
        request, "applications/application.html", caller.principal, status,
        application=application, program=program, statements=statements,
        letters=letters.list_requests(db, applicant_id), max_letters=MAX_LETTERS_PER_PROGRAM,
        checklist=submissions.checklist_of(db, application), window=window,
        closed=window.closed_reason(now), versions=submissions.list_versions(db, application.id),
        section="applications", errors=extra.pop("errors", {}),
    )  # fmt: skip


@router.get("/applicant/applications/{application_id}", response_class=HTMLResponse)
def application_page(
    request: Request, application_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    return _application_page(request, caller, db, application_id, now)


@router.post("/applicant/applications/{application_id}")
async def assign_to_application(
    request: Request, application_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    form_data = await request.form()
    values = {
        "letter_ids": [v for v in form_data.getlist("letter_ids") if isinstance(v, str)],
        "personal_statement_id": form_data.get("personal_statement_id", ""),
    }
    try:
        form = parse_form(AssignmentForm, values)
        submissions.assign(db, caller.signed_in.user_id, application_id, form)
    except InvalidInput as error:
        return _application_page(request, caller, db, application_id, now, 422,
                                 errors=errors_by_field(error))  # fmt: skip
    return RedirectResponse(f"/applicant/applications/{application_id}?saved=1", status_code=303)


@router.post("/applicant/applications/{application_id}/submit")
async def submit_application(
    request: Request, application_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(SubmitForm, values)
        submissions.submit(db, _user(db, caller), application_id, form, now=now)
    except InvalidInput as error:
        return _application_page(request, caller, db, application_id, now, 422,
                                 errors=errors_by_field(error))  # fmt: skip
    except Conflict as error:
        return _application_page(request, caller, db, application_id, now, 409,
                                 errors={"note": error.message})  # fmt: skip
    return RedirectResponse(f"/applicant/applications/{application_id}/receipt", status_code=303)


@router.get("/applicant/applications/{application_id}/receipt", response_class=HTMLResponse)
def receipt_page(
    request: Request, application_id: int, caller: OwnApplicant, db: DbDep
) -> Response:
    receipt = submissions.receipt(db, caller.signed_in.user_id, application_id)
    return render(request, "applications/receipt.html", caller.principal, receipt=receipt,
                  section="applications")  # fmt: skip
