"""The booking API's read path: the caller's lookup and the booking's read in one statement,
read outside a transaction on PostgreSQL until the first write."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from painfellow.accounts import service as accounts
from painfellow.accounts.models import AuthSession, LoginThrottle
from painfellow.accounts.roles import Role
from painfellow.db.engine import autocommit_reads, begin_write, make_session_factory
from painfellow.interviews import service
from painfellow.interviews.booking import BOOKING_CONTEXT_WITH_PRINCIPAL
from tests.builders import FIXED_NOW, make_program
from tests.interviews.helpers import applicant, day_with_slots, invitation


def _token(db: Session, user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    db.add(AuthSession(token_hash=accounts.token_digest(token), user_id=user_id, kind="api",
                       csrf_token="csrf", created_at=FIXED_NOW,
                       expires_at=FIXED_NOW + timedelta(hours=1)))  # fmt: skip
    db.flush()
    return token


def test_principal_and_booking_context_read_together(db: Session) -> None:
    program = make_program(db)
    _, slots = day_with_slots(db, program, capacities=(2,))
    user = applicant(db)
    inv = invitation(db, program, user)
    token = _token(db, user.id)
    params = {"invitation_id": inv.id, "slot_id": slots[0].id}

    principal, row = accounts.get_principal_along(
        db, token, FIXED_NOW, BOOKING_CONTEXT_WITH_PRINCIPAL, params
    )
    assert principal == accounts.get_principal(db, token, FIXED_NOW)
    assert principal is not None and principal.roles == {(None, Role.APPLICANT)}
    assert row is not None
    assert (row.applicant_user_id, row.program_id, row.slot_id, row.capacity) == (
        user.id, program.id, slots[0].id, 2,
    )  # fmt: skip
    outcome = service.book(db, invitation_id=inv.id, applicant_user_id=user.id,
                           slot_id=slots[0].id, now=FIXED_NOW, context=row)  # fmt: skip
    assert outcome.status == "booked"
    db.refresh(slots[0])
    assert slots[0].booked_count == 1

    # another's invitation: read (the route answers 404 from it), a slot of no program: none
    _, missing_slot = accounts.get_principal_along(
        db, token, FIXED_NOW, BOOKING_CONTEXT_WITH_PRINCIPAL, {**params, "slot_id": -1}
    )
    assert missing_slot is not None and missing_slot.slot_id is None
    _, no_invitation = accounts.get_principal_along(
        db, token, FIXED_NOW, BOOKING_CONTEXT_WITH_PRINCIPAL, {**params, "invitation_id": -1}
    )
    assert no_invitation is None
    # a token that is not live reads nothing at all
    assert accounts.get_principal_along(
        db, token, FIXED_NOW + timedelta(hours=2), BOOKING_CONTEXT_WITH_PRINCIPAL, params
    ) == (None, None)
    assert accounts.get_principal_along(
        db, "not-a-token", FIXED_NOW, BOOKING_CONTEXT_WITH_PRINCIPAL, params
    ) == (None, None)


def test_reads_outside_a_transaction_then_one_write_transaction(migrated_engine: Engine) -> None:
    reads = autocommit_reads(migrated_engine)
    assert autocommit_reads(None) is None
    if migrated_engine.dialect.name != "postgresql":
        assert reads is None  # SQLite: reads stay in the session
        return
    assert reads is not None
    key = f"test:{secrets.token_hex(6)}"
    with reads.connect() as connection:
        assert (
            connection.execute(select(LoginThrottle).where(LoginThrottle.key == key)).first()
            is None
        )
        assert connection.connection.dbapi_connection.autocommit is True  # type: ignore[union-attr]
        assert autocommit_reads(connection) is None  # a connection is used as it is
    factory = make_session_factory(migrated_engine)
    with factory() as session:
        begin_write(session)
        session.add(LoginThrottle(key=key, failures=1, window_start=FIXED_NOW))
        session.flush()
        session.rollback()  # the write was inside a transaction: nothing of it stays
    with factory() as session:
        assert session.scalar(select(LoginThrottle).where(LoginThrottle.key == key)) is None
        # the connection that read outside a transaction went back to the pool reset
        connection = session.connection().connection.dbapi_connection
        assert getattr(connection, "autocommit", False) is False
