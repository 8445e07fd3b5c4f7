"""Applicant documents: CV, personal statements, transcript, photo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.applications import storage
from painfellow.applications.models import ApplicantDocument
from painfellow.applications.schemas import DocumentKind
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.programs.models import Program

FILE_FIELD = "file"


def upload_document(
    session: Session,
    upload_dir: Path,
    applicant_id: int,
    *,
    kind: str,
    filename: str,
    data: bytes,
    title: str = "",
    program_id: int | None = None,
    now: datetime,
) -> ApplicantDocument:
    """Check the file by its content (PDF for documents, JPEG/PNG for the photo), store it
    under its hash and record it. Only a personal statement may be meant for one program."""
    try:
        document_kind = DocumentKind(kind)
    except ValueError as error:
        raise InvalidInput([FieldError("kind", "choose a document type")]) from error
    if program_id is not None:
        if document_kind is not DocumentKind.PERSONAL_STATEMENT:
            raise InvalidInput(
                [FieldError("program_id", "only a personal statement is per program")]
            )
        if session.get(Program, program_id) is None:
            raise InvalidInput([FieldError("program_id", "is not a known program")])
    if document_kind is DocumentKind.PHOTO:
        content_type = storage.check_photo(data, FILE_FIELD)
    else:
        storage.check_pdf(data, FILE_FIELD)
        content_type = storage.PDF
    if len(title) > 200:
        raise InvalidInput([FieldError("title", "is longer than 200 characters")])
    digest = storage.store_blob(upload_dir, data)
    extension = {storage.PDF: "pdf", storage.JPEG: "jpg", storage.PNG: "png"}[content_type]
    stem = Path(filename).stem[:150] or document_kind.value
    document = ApplicantDocument(
        applicant_user_id=applicant_id,
        kind=document_kind.value,
        program_id=program_id,
        title=title or document_kind.label,
        filename=f"{stem}.{extension}",
        content_type=content_type,
        sha256=digest,
        size_bytes=len(data),
        uploaded_at=now,
    )
    session.add(document)
    session.commit()
    return document


def list_documents(session: Session, applicant_id: int) -> list[ApplicantDocument]:
    return list(
        session.scalars(
            select(ApplicantDocument)
            .where(ApplicantDocument.applicant_user_id == applicant_id)
            .order_by(ApplicantDocument.kind, ApplicantDocument.uploaded_at.desc(),
                      ApplicantDocument.id.desc())
        )
    )  # fmt: skip


def latest_of_kind(
    documents: list[ApplicantDocument], kind: DocumentKind
) -> ApplicantDocument | None:
    """The newest document of a kind (documents are listed newest first)."""
    return next((d for d in documents if d.kind == kind.value), None)


def get_own_document(session: Session, applicant_id: int, document_id: int) -> ApplicantDocument:
    """The applicant's own document; another applicant's answers 404, as if absent."""
    document = session.get(ApplicantDocument, document_id)
    if document is None or document.applicant_user_id != applicant_id:
        raise NotFound("No such document.")
    return document
