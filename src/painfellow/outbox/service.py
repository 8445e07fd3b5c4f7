"""Email outbox: enqueue inside a business transaction, deliver later from a worker.

Delivery claims messages with row locks (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite
serialises writers), so several workers can run at once without sending a message twice.
"""

from __future__ import annotations

import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from painfellow.db.engine import begin_write
from painfellow.outbox.models import OutboxMessage
from painfellow.settings import Settings

MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = timedelta(minutes=10)

Deliver = Callable[[OutboxMessage], None]


def enqueue_email(
    session: Session, *, recipient: str, subject: str, body: str, now: datetime
) -> OutboxMessage:
    """Queue a message; it is sent only if the surrounding transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=now)
    session.add(message)
    return message


def make_delivery(settings: Settings, echo: Callable[[str], None] = print) -> Deliver:
    """SMTP when a host is configured; otherwise print to the console (development)."""
    if settings.smtp_host:
        host, port, sender = settings.smtp_host, settings.smtp_port, settings.mail_from

        def send_smtp(message: OutboxMessage) -> None:
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = (
                sender,
                message.recipient,
                message.subject,
            )
            email.set_content(message.body)
            with smtplib.SMTP(host, port, timeout=30) as smtp:
                smtp.send_message(email)

        return send_smtp

    def print_to_console(message: OutboxMessage) -> None:
        echo(f"--- email #{message.id} to {message.recipient}: {message.subject}\n{message.body}\n")

    return print_to_console


def deliver_pending(session: Session, deliver: Deliver, *, now: datetime, batch: int = 20) -> int:
    """Claim up to ``batch`` messages, deliver them after the claim commits, record the outcome.

    The claim is a conditional UPDATE (``status = 'pending'``), so of two workers racing for a
    message only one changes the row; PostgreSQL also skips rows another worker has locked.
    A claim older than ``CLAIM_TIMEOUT`` (a worker died mid-send) is taken over.
    """
    token = secrets.token_hex(16)
    stale = now - CLAIM_TIMEOUT
    claimable = (OutboxMessage.status == "pending") | (
        (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < stale)
    )
    candidates = (
        select(OutboxMessage.id)
        .where(claimable)
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    )
    begin_write(session)
    ids = list(session.scalars(candidates))
    if ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), claimable)
            .values(status="sending", claim_token=token, claimed_at=now)
        )
    session.commit()
    claimed = select(OutboxMessage).where(OutboxMessage.claim_token == token)
    messages = list(session.scalars(claimed))
    session.commit()
    for message in messages:
        outcome: dict[str, object] = {"attempts": message.attempts + 1, "claim_token": None}
        try:
            deliver(message)
        except Exception as error:  # a bad address must not block the rest of the queue
            outcome["last_error"] = str(error)[:2000]
            outcome["status"] = "failed" if message.attempts + 1 >= MAX_ATTEMPTS else "pending"
        else:
            outcome["status"] = "sent"
            outcome["sent_at"] = now
        begin_write(session)
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message.id).values(**outcome)
        )
        session.commit()
    return len(messages)


def list_messages(session: Session, limit: int = 100) -> list[OutboxMessage]:
    return list(
        session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit))
    )
