"""The letter writer's page: reached only through the signed link emailed to them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from painfellow.accounts.models import User
from painfellow.applications import letters, storage
from painfellow.applications.models import LetterRequest
from painfellow.applications.uploads import SizeLimited, read_upload
from painfellow.errors import InvalidInput, NotFound
from painfellow.web.access import Public
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.errors import error_response
from painfellow.web.forms import errors_by_field
from painfellow.web.templating import render

router = APIRouter(include_in_schema=False)


def _page(
    request: Request, caller: Public, db: DbDep, letter: LetterRequest, token: str,
    status: int = 200, errors: dict[str, str] | None = None, done: bool = False,
) -> Response:  # fmt: skip
    applicant = db.get(User, letter.applicant_user_id)
    return render(
        request, "applications/writer_upload.html", caller.principal, status,
        letter=letter, applicant_name=applicant.full_name if applicant else "the applicant",
        token=token, errors=errors or {}, done=done,
        max_mb=storage.MAX_UPLOAD_BYTES // (1024 * 1024),
    )  # fmt: skip


@router.get("/letters/{token}", response_class=HTMLResponse)
def writer_page(
    request: Request, token: str, caller: Public, db: DbDep, now: NowDep, settings: SettingsDep
) -> Response:
    try:
        letter = letters.letter_for_link(db, settings.secret_key, token, now=now)
    except letters.LinkGone as error:
        return error_response(request, 410, error.message)
    return _page(request, caller, db, letter, token)


@router.post("/letters/{token}")
async def writer_upload(
    request: Request, token: str, _size: SizeLimited, caller: Public, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    try:
        letter = letters.letter_for_link(db, settings.secret_key, token, now=now)
    except (letters.LinkGone, NotFound) as error:
        await (await request.form()).close()  # the spooled upload nobody will read
        if isinstance(error, NotFound):
            raise
        return error_response(request, 410, error.message)
    try:
        upload = await read_upload(request, letters.LETTER_FIELD)
        letter = letters.receive_letter(
            db, settings.upload_dir, settings.secret_key, token, upload.data, now=now
        )
    except letters.LinkGone as error:
        return error_response(request, 410, error.message)
    except InvalidInput as error:
        status = 413 if isinstance(error, storage.UploadTooLarge) else 422
        return _page(request, caller, db, letter, token, status, errors_by_field(error))
    return _page(request, caller, db, letter, token, done=True)
