"""Reading a multipart upload without taking more than the size limit into memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from painfellow.applications.storage import MAX_UPLOAD_BYTES, too_large
from painfellow.errors import FieldError, InvalidInput

# room for the multipart boundaries and the other small fields of the form
FORM_OVERHEAD = 64 * 1024
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Upload:
    fields: dict[str, str]
    filename: str
    data: bytes


def _declared_length(request: Request) -> int | None:
    raw = request.headers.get("content-length", "")
    return int(raw) if raw.isdigit() else None


async def refuse_oversized_body(request: Request) -> None:
    """Runs before the caller's rule (whose CSRF check parses the form): a body declared
    larger than the limit is answered 413 without being read at all."""
    declared = _declared_length(request)
    if declared is not None and declared > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise HTTPException(
            413, f"The upload is larger than the {limit} MB limit; nothing was stored."
        )


# declare it before ``caller`` so that it runs first
SizeLimited = Annotated[None, Depends(refuse_oversized_body)]


async def read_upload(request: Request, field: str) -> Upload:
    """The form's text fields and the file in ``field``. A body declared larger than the limit
    is refused before it is read; a file that turns out larger stops being read at the limit."""
    declared = _declared_length(request)
    if declared is not None and declared > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
        raise too_large(field)
    form = await request.form()
    try:
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        upload = form.get(field)
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput([FieldError(field, "choose a file to upload")])
        chunks: list[bytes] = []
        size = 0
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise too_large(field)
            chunks.append(chunk)
        return Upload(fields, upload.filename, b"".join(chunks))
    finally:
        await form.close()
