"""Checking and storing uploaded files: PDFs by parsing them, photos by their magic bytes.

Files are stored under ``upload_dir`` named by their SHA-256 (``ab/abcdef…``), never with the
uploader's name, and are only ever sent back as attachments: nothing here executes or renders
them. A blob is written before the row that names it is committed, so a row never points to a
missing file; a blob whose transaction rolled back is an orphan that harms nothing.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from pathlib import Path

from painfellow.errors import FieldError, InvalidInput, NotFound

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
_MAGIC = {b"\xff\xd8\xff": JPEG, b"\x89PNG\r\n\x1a\n": PNG}


class UploadTooLarge(InvalidInput):
    """A file over ``MAX_UPLOAD_BYTES``: answered with 413."""


def too_large(field: str) -> UploadTooLarge:
    limit = MAX_UPLOAD_BYTES // (1024 * 1024)
    return UploadTooLarge([FieldError(field, f"is larger than the {limit} MB limit")])


def check_pdf(data: bytes, field: str) -> None:
    """Refuse anything that is not a readable, unencrypted PDF with at least one page,
    whatever its name says."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large(field)
    if not data:
        raise InvalidInput([FieldError(field, "is empty")])
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise InvalidInput([FieldError(field, "is not a PDF file (its content is not PDF)")])
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed files are refused, not logged
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InvalidInput(
                [FieldError(field, "is a password-protected PDF; upload it unlocked")]
            )
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise InvalidInput([FieldError(field, "is a damaged PDF that cannot be read")]) from error
    if pages < 1:
        raise InvalidInput([FieldError(field, "is a PDF without pages")])


def check_photo(data: bytes, field: str) -> str:
    """A JPEG or PNG by its magic bytes, which Pillow can also decode; its content type."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large(field)
    content_type = next((t for magic, t in _MAGIC.items() if data.startswith(magic)), None)
    if content_type is None:
        raise InvalidInput([FieldError(field, "is not a JPEG or PNG image")])
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise InvalidInput([FieldError(field, "is a damaged image that cannot be read")]) from error
    return content_type


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def blob_path(upload_dir: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256 hex digest")
    return upload_dir / sha256[:2] / sha256


def store_blob(upload_dir: Path, data: bytes) -> str:
    """Write ``data`` under its hash (atomically, not executable); return the hash."""
    digest = sha256_of(data)
    target = blob_path(upload_dir, digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o640)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def read_blob(upload_dir: Path, sha256: str) -> bytes:
    path = blob_path(upload_dir, sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise NotFound("The stored file is missing.") from error
    if sha256_of(data) != sha256:  # a file changed on disk is never handed out
        raise NotFound("The stored file does not match its record.")
    return data
