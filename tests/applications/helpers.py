"""Real small files and applicants for the applications tests."""

from __future__ import annotations

import io
import itertools
from datetime import date

from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.applications import documents, letters
from painfellow.applications.models import ApplicantDocument, LetterRequest
from painfellow.applications.profile import save_profile
from painfellow.applications.schemas import LetterRequestForm, ProfileForm
from painfellow.settings import Settings
from tests.builders import FIXED_NOW, make_user, sign_in


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def png_bytes() -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(stream, format="PNG")
    return stream.getvalue()


def make_applicant(db: Session, **overrides: object) -> User:
    return make_user(db, [(None, Role.APPLICANT)], **overrides)


def complete_profile(db: Session, user: User) -> None:
    save_profile(
        db,
        user.id,
        ProfileForm(
            medical_school="Wayne State University School of Medicine",
            residency_program="University of Michigan Anesthesiology",
            residency_specialty="anesthesiology",
            residency_expected_completion=date(2027, 6, 30),
            board_status="eligible",
            usmle_step2_score=251,
        ),
        now=FIXED_NOW,
    )


def signed_in_applicant(client: TestClient, db: Session) -> tuple[User, str]:
    user = make_applicant(db)
    return user, sign_in(client, db, user)


_unique = itertools.count()


def upload_test_document(
    db: Session, settings: Settings, user: User, kind: str, **extra: object
) -> ApplicantDocument:
    return documents.upload_document(
        db,
        settings.upload_dir,
        user.id,
        kind=kind,
        filename=f"{kind}.pdf",
        data=pdf_bytes() + f"% {kind} {next(_unique)}\n".encode(),
        now=FIXED_NOW,
        **extra,  # type: ignore[arg-type]
    )


def received_letter(
    db: Session, settings: Settings, user: User, name: str, received: bool = True
) -> LetterRequest:
    form = LetterRequestForm(writer_name=name, writer_email="w@example.org", waive=True)
    letter = letters.request_letter(
        db, user, form, secret_key=settings.secret_key, base_url="http://x", now=FIXED_NOW
    )
    if received:
        token = letters.upload_token(settings.secret_key, letter)
        letters.receive_letter(
            db, settings.upload_dir, settings.secret_key, token, pdf_bytes(), now=FIXED_NOW
        )
    return letter


def ready_applicant(
    db: Session, settings: Settings, letters_count: int = 3
) -> tuple[User, list[LetterRequest]]:
    """An applicant with profile, CV, transcript, statement and received letters."""
    user = make_applicant(db)
    complete_profile(db, user)
    upload_test_document(db, settings, user, "cv")
    upload_test_document(db, settings, user, "transcript")
    upload_test_document(db, settings, user, "personal_statement")
    made = [received_letter(db, settings, user, f"Dr {i}") for i in range(letters_count)]
    return user, made
