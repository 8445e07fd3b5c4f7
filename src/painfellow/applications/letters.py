"""Letters of recommendation: the request, the writer's one-time link, and who may read them.

The writer's link is ``/letters/{id}.{expiry}.{signature}``: an HMAC-SHA256 (keyed from
``settings.secret_key``) over the request id, the expiry and a per-request nonce. It works only
for that request, until it expires, and only once: the upload flips the request from
``requested`` to ``received`` with a conditional UPDATE, so a second upload through the same
link (even a concurrent one) finds nothing to change. A waived letter is never handed to its
applicant: the only applicant-facing read refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.applications import storage
from painfellow.applications.models import LetterRequest
from painfellow.applications.schemas import LetterRequestForm
from painfellow.errors import Conflict, DomainError, FieldError, InvalidInput, NotFound
from painfellow.outbox.service import enqueue_email

LINK_LIFETIME = timedelta(days=30)
LETTER_FIELD = "letter"


class LinkGone(DomainError):
    """The link was real but is expired or already used: answered with 410 Gone."""


def _signature(secret_key: str, letter_id: int, expires: int, nonce: str) -> str:
    key = hmac.new(secret_key.encode(), b"painfellow letter upload link", hashlib.sha256).digest()
    mac = hmac.new(key, f"{letter_id}.{expires}.{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def upload_token(secret_key: str, letter: LetterRequest) -> str:
    expires = int(letter.link_expires_at.timestamp())
    return f"{letter.id}.{expires}.{_signature(secret_key, letter.id, expires, letter.link_nonce)}"


def request_letter(
    session: Session,
    applicant: User,
    form: LetterRequestForm,
    *,
    secret_key: str,
    base_url: str,
    now: datetime,
) -> LetterRequest:
    """Record the request and email the writer their link, in one transaction. The writer is
    someone else: a link to the applicant's own mailbox would let them write (and read) the
    letter themselves."""
    if str(form.writer_email).strip().lower() == applicant.email.strip().lower():
        raise InvalidInput(
            [FieldError("writer_email", "is your own address: ask the writer for theirs")]
        )
    letter = LetterRequest(
        applicant_user_id=applicant.id,
        writer_name=form.writer_name,
        writer_email=str(form.writer_email).lower(),
        writer_title=form.writer_title,
        waived=form.waive,
        status="requested",
        link_nonce=secrets.token_hex(16),
        link_expires_at=now + LINK_LIFETIME,
        requested_at=now,
    )
    session.add(letter)
    session.flush()
    _email_writer(session, letter, applicant, secret_key=secret_key, base_url=base_url, now=now)
    session.commit()
    return letter


def resend_link(
    session: Session, applicant: User, letter_id: int, *, secret_key: str, base_url: str,
    now: datetime,
) -> LetterRequest:  # fmt: skip
    """A fresh link (new nonce, new expiry) for a letter not yet received; old links stop."""
    letter = get_own_request(session, applicant.id, letter_id)
    if letter.status == "received":
        raise Conflict("This letter has already been received; there is nothing to resend.")
    letter.link_nonce = secrets.token_hex(16)
    letter.link_expires_at = now + LINK_LIFETIME
    _email_writer(session, letter, applicant, secret_key=secret_key, base_url=base_url, now=now)
    session.commit()
    return letter


def _email_writer(
    session: Session, letter: LetterRequest, applicant: User, *, secret_key: str, base_url: str,
    now: datetime,
) -> None:  # fmt: skip
    link = f"{base_url.rstrip('/')}/letters/{upload_token(secret_key, letter)}"
    waiver = (
        "The applicant has waived the right to see your letter."
        if letter.waived
        else "The applicant has kept the right to see your letter."
    )
    enqueue_email(
        session,
        recipient=letter.writer_email,
        subject=f"Letter of recommendation for {applicant.full_name}",
        body=(
            f"Dear {letter.writer_name},\n\n{applicant.full_name} has asked you for a letter of "
            f"recommendation for their pain medicine fellowship applications. {waiver}\n\n"
            f"Upload your letter as a PDF here (no account needed):\n{link}\n\n"
            f"The link works once and expires on {letter.link_expires_at:%Y-%m-%d}.\n"
        ),
        now=now,
    )


def letter_for_link(
    session: Session, secret_key: str, token: str, *, now: datetime
) -> LetterRequest:
    """The request a link names, or NotFound for a forged or revoked link and LinkGone for an
    expired or used one."""
    invalid = NotFound("This letter link is not valid. Ask the applicant to send it again.")
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise invalid
    letter = session.get(LetterRequest, int(parts[0]))
    if letter is None:
        raise invalid
    expected = _signature(secret_key, letter.id, int(parts[1]), letter.link_nonce)
    if not hmac.compare_digest(expected, parts[2]):
        raise invalid
    if int(parts[1]) != int(letter.link_expires_at.timestamp()):
        raise invalid  # an older link, replaced by a resend
    if letter.status == "received":
        raise LinkGone("This link has already been used: the letter was received. Thank you.")
    if now >= letter.link_expires_at:
        expired = letter.link_expires_at.astimezone(UTC)
        raise LinkGone(
            f"This link expired on {expired:%Y-%m-%d}. Ask the applicant to send a new one."
        )
    return letter


def receive_letter(
    session: Session, upload_dir: Path, secret_key: str, token: str, data: bytes, *,
    now: datetime,
) -> LetterRequest:  # fmt: skip
    """The writer's upload: a real PDF through a valid link, accepted once."""
    letter = letter_for_link(session, secret_key, token, now=now)
    storage.check_pdf(data, LETTER_FIELD)
    digest = storage.store_blob(upload_dir, data)
    changed = session.execute(
        update(LetterRequest)
        .where(LetterRequest.id == letter.id, LetterRequest.status == "requested")
        .values(status="received", received_at=now, sha256=digest, size_bytes=len(data))
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise LinkGone("This link has already been used: the letter was received. Thank you.")
    session.commit()
    session.refresh(letter)
    return letter


def list_requests(session: Session, applicant_id: int) -> list[LetterRequest]:
    return list(
        session.scalars(
            select(LetterRequest)
            .where(LetterRequest.applicant_user_id == applicant_id)
            .order_by(LetterRequest.requested_at, LetterRequest.id)
        )
    )


@dataclass(frozen=True)
class WriterRequest:
    """A letter request as its writer sees it: who asked, when, and what is left to do.

    Deliberately nothing else of the applicant (no email, documents, profile or waiver)."""

    applicant_name: str
    requested_at: datetime
    status: str  # "requested" | "received" | "expired"
    upload_path: str | None  # the signed upload page while the request is open


def list_requests_for_writer(
    session: Session, writer_email: str, *, secret_key: str, now: datetime
) -> list[WriterRequest]:
    """The letter requests addressed to this email, open ones first, newest first within.

    The signed-in account's email is the proof: the link of each open request was emailed to
    that address anyway, and accounts are made by administrators (no self-registration), so
    the account stands for the mailbox. The upload path is the same signed, single-use link.
    """
    rows = session.execute(
        select(LetterRequest, User.full_name)
        .join(User, User.id == LetterRequest.applicant_user_id)
        .where(LetterRequest.writer_email == writer_email.strip().lower())
        .order_by(LetterRequest.requested_at.desc(), LetterRequest.id.desc())
    ).all()
    result = []
    for letter, applicant_name in rows:
        if letter.status == "received":
            status, path = "received", None
        elif now >= letter.link_expires_at:
            status, path = "expired", None
        else:
            status, path = "requested", f"/letters/{upload_token(secret_key, letter)}"
        result.append(WriterRequest(applicant_name, letter.requested_at, status, path))
    return sorted(result, key=lambda r: r.upload_path is None)  # stable: open ones first


def get_own_request(session: Session, applicant_id: int, letter_id: int) -> LetterRequest:
    letter = session.get(LetterRequest, letter_id)
    if letter is None or letter.applicant_user_id != applicant_id:
        raise NotFound("No such letter request.")
    return letter


def readable_by_applicant(session: Session, applicant_id: int, letter_id: int) -> LetterRequest:
    """A received letter the applicant kept the right to see. A waived letter answers exactly
    like a missing one, so the applicant cannot even learn it was uploaded this way."""
    letter = get_own_request(session, applicant_id, letter_id)
    if letter.waived or letter.status != "received" or letter.sha256 is None:
        raise NotFound("No such letter.")
    return letter
