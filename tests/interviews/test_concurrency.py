"""Booking races on real, separately committed connections (not the rolled-back test
transaction), as concurrent server requests meet them."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from painfellow.accounts.models import AuthSession, User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import token_digest
from painfellow.audit.models import AuditEntry
from painfellow.errors import Conflict
from painfellow.interviews import service
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSlot,
)
from painfellow.outbox.models import OutboxMessage
from painfellow.programs.models import Program
from painfellow.settings import Settings
from painfellow.web.app import create_app
from tests.builders import FIXED_NOW, make_program, make_user, race


@pytest.fixture
def committed(migrated_engine: Engine) -> Iterator[sessionmaker[Session]]:
    factory = sessionmaker(bind=migrated_engine, expire_on_commit=False)
    created: dict[str, list[int]] = {"programs": [], "users": []}
    factory.created = created  # type: ignore[attr-defined]
    yield factory
    with factory() as session:  # programs cascade to days, slots, invitations and bookings
        # what the API's sessions logged (the suite's other tests read the log of their own
        # rolled-back transaction only)
        session.execute(delete(AuditEntry).where(AuditEntry.program_id.in_(created["programs"])))
        session.execute(delete(Program).where(Program.id.in_(created["programs"])))
        session.execute(delete(User).where(User.id.in_(created["users"])))
        session.execute(delete(OutboxMessage))
        session.commit()


def _setup(
    factory: sessionmaker[Session], applicants: int, capacities: tuple[int, ...]
) -> tuple[list[tuple[int, int]], list[int]]:
    """(applicant id, invitation id) pairs and slot ids, committed."""
    with factory() as db:
        program = make_program(db)
        users = [make_user(db, [(None, Role.APPLICANT)]) for _ in range(applicants)]
        day = InterviewDay(program_id=program.id, day=(FIXED_NOW + timedelta(days=7)).date())
        db.add(day)
        db.flush()
        slots = [
            InterviewSlot(
                day_id=day.id,
                program_id=program.id,
                capacity=c,
                booked_count=0,
                starts_at=FIXED_NOW + timedelta(days=7, hours=i),
            )
            for i, c in enumerate(capacities)
        ]
        invitations = [
            InterviewInvitation(program_id=program.id, applicant_user_id=u.id) for u in users
        ]
        db.add_all([*slots, *invitations])
        db.commit()
        factory.created["programs"].append(program.id)  # type: ignore[attr-defined]
        factory.created["users"].extend(u.id for u in users)  # type: ignore[attr-defined]
        return [(i.applicant_user_id, i.id) for i in invitations], [s.id for s in slots]


def _book(applicant_id: int, invitation_id: int, slot_id: int) -> Callable[[Session], str]:
    def call(session: Session) -> str:
        try:
            return service.book(
                session,
                invitation_id=invitation_id,
                applicant_user_id=applicant_id,
                slot_id=slot_id,
                now=FIXED_NOW,
            ).status
        except Conflict:
            return "conflict"

    return call


def test_many_applicants_racing_for_the_last_seat(committed: sessionmaker[Session]) -> None:
    people, (slot_id,) = _setup(committed, applicants=8, capacities=(1,))
    outcomes = race(committed, [_book(a, i, slot_id) for a, i in people])
    assert outcomes == Counter({"booked": 1, "full": 7})
    with committed() as db:
        slot = db.get(InterviewSlot, slot_id)
        assert slot is not None and slot.booked_count == 1
        bookings = db.scalar(
            select(func.count())
            .select_from(InterviewBooking)
            .where(InterviewBooking.slot_id == slot_id)
        )
        assert bookings == 1


def test_one_applicant_booking_two_slots_at_once(committed: sessionmaker[Session]) -> None:
    ((applicant_id, invitation_id),), slot_ids = _setup(committed, 1, capacities=(3, 3, 3, 3))
    outcomes = race(committed, [_book(applicant_id, invitation_id, s) for s in slot_ids])
    assert outcomes == Counter({"booked": 1, "conflict": 3})
    with committed() as db:
        counts = [db.get(InterviewSlot, s).booked_count for s in slot_ids]  # type: ignore[union-attr]
        assert sorted(counts) == [0, 0, 0, 1]
        bookings = db.scalar(
            select(func.count())
            .select_from(InterviewBooking)
            .where(InterviewBooking.invitation_id == invitation_id)
        )
        assert bookings == 1


def test_booking_api_on_real_connections(
    committed: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    """The booking API with sessions on the real engine, as served: on PostgreSQL the caller
    and the booking are read outside a transaction, and only a booking that writes opens a
    session."""
    people, (slot_id,) = _setup(committed, applicants=3, capacities=(1,))
    tokens = {}
    with committed() as db:
        for user_id, _ in people:
            token = secrets.token_urlsafe(32)
            db.add(AuthSession(token_hash=token_digest(token), user_id=user_id, kind="api",
                               csrf_token="csrf", created_at=FIXED_NOW,
                               expires_at=FIXED_NOW + timedelta(hours=1)))  # fmt: skip
            tokens[user_id] = token
        db.commit()
    app = create_app(Settings(environment="test", database_url=database_url,
                              secret_key="test-secret-key-0123456789",
                              upload_dir=tmp_path / "uploads"))  # fmt: skip
    app.state.clock = lambda: FIXED_NOW

    def book(user_id: int, invitation_id: int, token: str | None = None) -> tuple[int, str]:
        answer = client.post(
            f"/api/v1/interviews/invitations/{invitation_id}/booking",
            json={"slot_id": slot_id},
            headers={"Authorization": f"Bearer {token or tokens[user_id]}"},
        )
        return answer.status_code, answer.json().get("status", answer.json().get("detail"))

    with TestClient(app) as client:
        (first, first_inv), (second, second_inv), (third, _) = people
        assert book(first, first_inv) == (201, "booked")
        assert book(second, second_inv) == (409, "full")
        assert book(third, second_inv)[0] == 404  # another applicant's invitation
        assert book(first, first_inv, token="not-a-session")[0] == 401
    app.state.engine.dispose()
    with committed() as db:
        booked = db.scalars(select(InterviewBooking.applicant_user_id)).all()
        assert first in booked and second not in booked
        assert db.get(InterviewSlot, slot_id).booked_count == 1  # type: ignore[union-attr]
