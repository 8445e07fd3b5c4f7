from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from painfellow.outbox.models import OutboxMessage
from painfellow.outbox.service import MAX_ATTEMPTS, deliver_pending, enqueue_email
from tests.builders import FIXED_NOW


def test_message_is_sent_once_and_marked(db: Session) -> None:
    enqueue_email(db, recipient="a@example.org", subject="Hi", body="Hello", now=FIXED_NOW)
    db.commit()
    sent: list[str] = []
    assert deliver_pending(db, lambda m: sent.append(m.recipient), now=FIXED_NOW) == 1
    assert deliver_pending(db, lambda m: sent.append(m.recipient), now=FIXED_NOW) == 0
    assert sent == ["a@example.org"]
    message = db.scalars(select(OutboxMessage)).one()
    assert message.status == "sent" and message.sent_at == FIXED_NOW


def test_failed_delivery_is_retried_then_given_up(db: Session) -> None:
    enqueue_email(db, recipient="bad@example.org", subject="Hi", body="Hello", now=FIXED_NOW)
    db.commit()

    def refuse(_: OutboxMessage) -> None:
        raise OSError("mail server refused")

    for _ in range(MAX_ATTEMPTS):
        deliver_pending(db, refuse, now=FIXED_NOW)
    message = db.scalars(select(OutboxMessage)).one()
    assert message.status == "failed" and message.attempts == MAX_ATTEMPTS
    assert "refused" in (message.last_error or "")


@pytest.fixture
def committed_factory(migrated_engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Real commits on separate connections, as concurrent workers see them; cleaned after."""
    factory = sessionmaker(bind=migrated_engine, expire_on_commit=False)
    yield factory
    with factory() as session:
        session.execute(delete(OutboxMessage))
        session.commit()


def test_concurrent_workers_never_send_twice(committed_factory: sessionmaker[Session]) -> None:
    with committed_factory() as session:
        for i in range(60):
            enqueue_email(
                session, recipient=f"r{i}@example.org", subject="s", body="b", now=FIXED_NOW
            )
        session.commit()
    deliveries: Counter[int] = Counter()
    lock = threading.Lock()

    def deliver(message: OutboxMessage) -> None:
        with lock:
            deliveries[message.id] += 1

    def worker() -> None:
        with committed_factory() as session:
            while deliver_pending(session, deliver, now=FIXED_NOW, batch=5):
                pass

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(deliveries) == 60
    assert set(deliveries.values()) == {1}
    with committed_factory() as session:
        statuses = set(session.scalars(select(OutboxMessage.status)))
    assert statuses == {"sent"}
