from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.applications import letters
from painfellow.applications.models import LetterRequest
from painfellow.applications.schemas import LetterRequestForm
from painfellow.errors import NotFound
from painfellow.outbox.models import OutboxMessage
from painfellow.settings import Settings
from tests.applications.helpers import make_applicant, pdf_bytes, signed_in_applicant
from tests.builders import FIXED_NOW, sign_in


def _request(db: Session, settings: Settings, applicant_id: int | None = None, waive: bool = True):
    applicant = make_applicant(db) if applicant_id is None else None
    from painfellow.accounts.models import User

    user = applicant or db.get(User, applicant_id)
    assert user is not None
    form = LetterRequestForm(
        writer_name="Dr. Helen Park",
        writer_email="Park@Example.org",
        writer_title="Professor",
        waive=waive,
    )
    letter = letters.request_letter(
        db, user, form, secret_key=settings.secret_key, base_url=settings.base_url, now=FIXED_NOW
    )
    return user, letter, letters.upload_token(settings.secret_key, letter)


def test_request_emails_the_writer_a_link_for_that_request(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _, csrf = signed_in_applicant(client, db)
    response = client.post(
        "/applicant/letters",
        data={
            "csrf_token": csrf,
            "writer_name": "Dr. Helen Park",
            "writer_email": "park@example.org",
            "writer_title": "Professor",
            "waive": "true",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    letter = db.scalars(select(LetterRequest)).one()
    assert letter.waived and letter.status == "requested"
    assert letter.link_expires_at == FIXED_NOW + timedelta(days=30)
    message = db.scalars(select(OutboxMessage)).one()
    assert message.recipient == "park@example.org"
    token = letters.upload_token(settings.secret_key, letter)
    assert f"{settings.base_url}/letters/{token}" in message.body
    page = client.get("/applicant/letters")
    assert "Requested; link valid until 2026-12-21" in page.text


def test_request_needs_a_waiver_choice(client: TestClient, db: Session) -> None:
    _, csrf = signed_in_applicant(client, db)
    response = client.post(
        "/applicant/letters",
        data={"csrf_token": csrf, "writer_name": "D", "writer_email": "not-an-email"},
    )
    assert response.status_code == 422
    for field in ("writer_name", "writer_email", "waive"):
        assert f'id="{field}-error"' in response.text
    assert db.scalars(select(LetterRequest)).first() is None


def test_writer_uploads_once_without_an_account(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _, letter, token = _request(db, settings)
    page = client.get(f"/letters/{token}")
    assert page.status_code == 200 and "Upload your letter" in page.text
    client.get("/")  # the anonymous CSRF cookie
    csrf = client.cookies.get("pf_csrf")
    data = pdf_bytes()
    upload = client.post(
        f"/letters/{token}",
        data={"csrf_token": csrf},
        files={"letter": ("letter.pdf", data, "application/pdf")},
    )
    assert upload.status_code == 200 and "your letter was received" in upload.text
    db.refresh(letter)
    assert letter.status == "received" and letter.received_at == FIXED_NOW
    assert (settings.upload_dir / letter.sha256[:2] / letter.sha256).read_bytes() == data  # type: ignore[index]
    again = client.post(
        f"/letters/{token}",
        data={"csrf_token": csrf},
        files={"letter": ("other.pdf", pdf_bytes(3), "application/pdf")},
    )
    assert again.status_code == 410 and "already been used" in again.text
    db.refresh(letter)
    assert letter.size_bytes == len(data)
    assert client.get(f"/letters/{token}").status_code == 410


def test_expired_link_is_gone_and_stores_nothing(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _, letter, token = _request(db, settings)
    later = FIXED_NOW + timedelta(days=31)
    with pytest.raises(letters.LinkGone, match="expired on 2026-12-21"):
        letters.receive_letter(
            db, settings.upload_dir, settings.secret_key, token, pdf_bytes(), now=later
        )
    db.refresh(letter)
    assert letter.status == "requested" and letter.sha256 is None
    assert not settings.upload_dir.exists()
    letter.link_expires_at = FIXED_NOW - timedelta(seconds=1)
    db.commit()
    expired_token = letters.upload_token(settings.secret_key, letter)
    response = client.get(f"/letters/{expired_token}")
    assert response.status_code == 410 and "expired" in response.text


def test_forged_tampered_and_replaced_links_are_not_found(db: Session, settings: Settings) -> None:
    user, letter, token = _request(db, settings)
    identifier, expires, signature = token.split(".")
    for bad in (
        "not-a-real-token",
        f"{identifier}.{int(expires) + 86400}.{signature}",
        f"{letter.id + 1}.{expires}.{signature}",
        f"{identifier}.{expires}.AAAA",
    ):
        with pytest.raises(NotFound):
            letters.letter_for_link(db, settings.secret_key, bad, now=FIXED_NOW)
    with pytest.raises(NotFound):
        letters.letter_for_link(db, "another-secret-key-123456", token, now=FIXED_NOW)
    letters.resend_link(
        db,
        user,
        letter.id,
        secret_key=settings.secret_key,
        base_url=settings.base_url,
        now=FIXED_NOW + timedelta(days=1),
    )
    with pytest.raises(NotFound):  # the old link stops working once a new one is sent
        letters.letter_for_link(db, settings.secret_key, token, now=FIXED_NOW)
    fresh = letters.upload_token(settings.secret_key, letter)
    assert letters.letter_for_link(db, settings.secret_key, fresh, now=FIXED_NOW).id == letter.id


def test_disguised_letter_is_refused(client: TestClient, db: Session, settings: Settings) -> None:
    _, letter, token = _request(db, settings)
    client.get("/")
    response = client.post(
        f"/letters/{token}",
        data={"csrf_token": client.cookies.get("pf_csrf")},
        files={"letter": ("letter.pdf", b"MZ\x90\x00", "application/pdf")},
    )
    assert response.status_code == 422 and 'id="letter-error"' in response.text
    db.refresh(letter)
    assert letter.status == "requested"


def test_waived_letter_never_reaches_its_applicant(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user, waived, waived_token = _request(db, settings, waive=True)
    _, kept, kept_token = _request(db, settings, applicant_id=user.id, waive=False)
    for token in (waived_token, kept_token):
        letters.receive_letter(
            db, settings.upload_dir, settings.secret_key, token, pdf_bytes(), now=FIXED_NOW
        )
    sign_in(client, db, user)
    assert client.get(f"/applicant/letters/{waived.id}").status_code == 404
    download = client.get(f"/applicant/letters/{kept.id}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download.headers["content-disposition"].startswith("attachment")
    page = client.get("/applicant/letters")
    assert f'/applicant/letters/{waived.id}"' not in page.text
    assert f'/applicant/letters/{kept.id}"' in page.text
    with pytest.raises(NotFound):
        letters.readable_by_applicant(db, user.id, waived.id)


def test_another_applicant_cannot_read_or_resend_a_letter(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _, kept, token = _request(db, settings, waive=False)
    letters.receive_letter(
        db, settings.upload_dir, settings.secret_key, token, pdf_bytes(), now=FIXED_NOW
    )
    _, csrf = signed_in_applicant(client, db)
    assert client.get(f"/applicant/letters/{kept.id}").status_code == 404
    resend = client.post(f"/applicant/letters/{kept.id}/resend", data={"csrf_token": csrf})
    assert resend.status_code == 404


def test_resending_a_received_letter_is_a_conflict(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user, letter, token = _request(db, settings, waive=False)
    letters.receive_letter(
        db, settings.upload_dir, settings.secret_key, token, pdf_bytes(), now=FIXED_NOW
    )
    csrf = sign_in(client, db, user)
    response = client.post(f"/applicant/letters/{letter.id}/resend", data={"csrf_token": csrf})
    assert response.status_code == 409 and "already been received" in response.text


def test_an_applicant_cannot_name_themselves_as_the_writer(client: TestClient, db: Session) -> None:
    user, csrf = signed_in_applicant(client, db)
    response = client.post(
        "/applicant/letters",
        data={
            "csrf_token": csrf,
            "writer_name": "Me Myself",
            "writer_email": user.email.upper(),
            "waive": "true",
        },
    )
    assert response.status_code == 422
    assert 'id="writer_email-error"' in response.text and "your own address" in response.text
    assert db.scalars(select(LetterRequest)).first() is None
    assert db.scalars(select(OutboxMessage)).first() is None
