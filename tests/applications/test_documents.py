from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.applications import documents, storage
from painfellow.applications.models import ApplicantDocument
from painfellow.errors import InvalidInput, NotFound
from painfellow.settings import Settings
from tests.applications.helpers import make_applicant, pdf_bytes, png_bytes, signed_in_applicant
from tests.builders import FIXED_NOW, sign_in


def _count(db: Session) -> int:
    return db.scalar(select(func.count(ApplicantDocument.id))) or 0


def _upload(client: TestClient, csrf: str, kind: str, name: str, data: bytes, ctype: str):
    return client.post(
        "/applicant/documents",
        data={"csrf_token": csrf, "kind": kind, "title": "", "program_id": ""},
        files={"file": (name, data, ctype)},
        follow_redirects=False,
    )


def test_pdf_is_stored_under_its_hash_and_downloaded_as_attachment(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _, csrf = signed_in_applicant(client, db)
    data = pdf_bytes(2)
    response = _upload(client, csrf, "cv", "My CV.pdf", data, "application/pdf")
    assert response.status_code == 303
    document = db.scalars(select(ApplicantDocument)).one()
    assert document.sha256 == storage.sha256_of(data) and document.size_bytes == len(data)
    stored = settings.upload_dir / document.sha256[:2] / document.sha256
    assert stored.read_bytes() == data
    assert not stored.stat().st_mode & 0o111  # never executable
    download = client.get(f"/applicant/documents/{document.id}")
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == 'attachment; filename="My_CV.pdf"'
    assert download.headers["x-content-type-options"] == "nosniff"


def test_disguised_pdf_is_refused_naming_the_field(client: TestClient, db: Session) -> None:
    _, csrf = signed_in_applicant(client, db)
    for fake in (b"<html><script>alert(1)</script></html>", png_bytes(), b"%PDF-1.7\ngarbage"):
        response = _upload(client, csrf, "cv", "cv.pdf", fake, "application/pdf")
        assert response.status_code == 422
        assert 'id="file-error"' in response.text
        assert "PDF" in response.text
    assert _count(db) == 0


def test_photo_checked_by_magic_bytes(client: TestClient, db: Session) -> None:
    _, csrf = signed_in_applicant(client, db)
    refused = _upload(client, csrf, "photo", "me.png", pdf_bytes(), "image/png")
    assert refused.status_code == 422 and "is not a JPEG or PNG image" in refused.text
    accepted = _upload(client, csrf, "photo", "me.jpeg", png_bytes(), "image/jpeg")
    assert accepted.status_code == 303
    document = db.scalars(select(ApplicantDocument)).one()
    assert (document.content_type, document.filename) == ("image/png", "me.png")


def test_oversized_upload_is_refused_with_413(client: TestClient, db: Session) -> None:
    _, csrf = signed_in_applicant(client, db)
    big = pdf_bytes() + b"%" * (storage.MAX_UPLOAD_BYTES + 1)
    response = _upload(client, csrf, "cv", "cv.pdf", big, "application/pdf")
    assert response.status_code == 413
    assert "10 MB" in response.text
    assert _count(db) == 0


def test_file_just_over_limit_inside_the_form_allowance_is_refused(
    db: Session, settings: Settings
) -> None:
    user = make_applicant(db)
    with pytest.raises(storage.UploadTooLarge):
        documents.upload_document(
            db,
            settings.upload_dir,
            user.id,
            kind="cv",
            filename="cv.pdf",
            data=b"%PDF-" + b"0" * storage.MAX_UPLOAD_BYTES,
            now=FIXED_NOW,
        )
    assert not Path(settings.upload_dir).exists() or not any(Path(settings.upload_dir).iterdir())


def test_only_a_statement_may_target_one_program(db: Session, settings: Settings) -> None:
    user = make_applicant(db)
    with pytest.raises(InvalidInput, match="program_id: only a personal statement"):
        documents.upload_document(
            db,
            settings.upload_dir,
            user.id,
            kind="cv",
            filename="cv.pdf",
            data=pdf_bytes(),
            program_id=1,
            now=FIXED_NOW,
        )


def test_another_applicants_document_is_not_found(
    client: TestClient, db: Session, settings: Settings
) -> None:
    owner = make_applicant(db)
    document = documents.upload_document(
        db,
        settings.upload_dir,
        owner.id,
        kind="cv",
        filename="cv.pdf",
        data=pdf_bytes(),
        now=FIXED_NOW,
    )
    other = make_applicant(db)
    sign_in(client, db, other)
    assert client.get(f"/applicant/documents/{document.id}").status_code == 404
    with pytest.raises(NotFound):
        documents.get_own_document(db, other.id, document.id)


def test_upload_without_a_file_names_the_field(client: TestClient, db: Session) -> None:
    _, csrf = signed_in_applicant(client, db)
    response = client.post(
        "/applicant/documents",
        data={"csrf_token": csrf, "kind": "cv"},
        files={"other": ("x.txt", b"x", "text/plain")},
    )
    assert response.status_code == 422 and "choose a file to upload" in response.text


def test_file_over_limit_in_a_small_form_stops_at_the_limit(
    client: TestClient, db: Session
) -> None:
    _, csrf = signed_in_applicant(client, db)
    response = _upload(
        client, csrf, "cv", "cv.pdf", b"%PDF-" + b"0" * storage.MAX_UPLOAD_BYTES, "application/pdf"
    )
    assert response.status_code == 413
    assert 'id="file-error"' in response.text and "10 MB limit" in response.text
    assert _count(db) == 0
