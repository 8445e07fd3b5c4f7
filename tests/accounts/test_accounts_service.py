from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts import service
from painfellow.accounts.models import AuthSession, User
from painfellow.accounts.roles import Role
from painfellow.errors import AccountLocked, Conflict, InvalidInput, NotAuthenticated, RateLimited
from painfellow.outbox.models import OutboxMessage
from painfellow.settings import Settings
from tests.builders import FIXED_NOW, PASSWORD, make_program, make_user


def _sign_in(db: Session, settings: Settings, email: str, password: str, address: str = "10.0.0.1"):
    return service.sign_in(
        db, settings, email=email, password=password, address=address, kind="browser",
        now=FIXED_NOW,
    )  # fmt: skip


def test_sign_in_opens_session_with_roles(db: Session, settings: Settings) -> None:
    program = make_program(db)
    user = make_user(db, [(program.id, Role.FACULTY)], email="Doc@Example.org")
    token, principal = _sign_in(db, settings, " doc@example.org ", PASSWORD)
    assert principal.user_id == user.id
    assert principal.roles_in(program.id) == {Role.FACULTY}
    assert service.get_principal(db, token, FIXED_NOW) == principal
    stored = db.scalars(select(AuthSession)).one()
    assert stored.token_hash != token  # only the digest is stored


def test_sign_in_rejects_wrong_password_and_counts_failure(db: Session, settings: Settings) -> None:
    user = make_user(db)
    with pytest.raises(NotAuthenticated):
        _sign_in(db, settings, user.email, "wrong-password")
    db.refresh(user)
    assert user.failed_logins == 1


def test_account_locks_after_repeated_failures(db: Session, settings: Settings) -> None:
    user = make_user(db)
    for _ in range(settings.login_max_failures_per_account):
        with pytest.raises(NotAuthenticated):
            _sign_in(db, settings, user.email, "wrong-password")
    with pytest.raises(AccountLocked, match="locked"):
        _sign_in(db, settings, user.email, PASSWORD)


def test_address_is_rate_limited(db: Session, settings: Settings) -> None:
    settings.login_max_failures_per_address = 3
    for i in range(3):
        with pytest.raises(NotAuthenticated):
            _sign_in(db, settings, f"nobody{i}@example.org", "whatever-pass")
    user = make_user(db)
    with pytest.raises(RateLimited):
        _sign_in(db, settings, user.email, PASSWORD)
    _sign_in(db, settings, user.email, PASSWORD, address="10.0.0.2")


def test_expired_session_is_not_accepted(db: Session, settings: Settings) -> None:
    user = make_user(db)
    token, _ = _sign_in(db, settings, user.email, PASSWORD)
    later = FIXED_NOW + timedelta(hours=settings.session_hours, seconds=1)
    assert service.get_principal(db, token, later) is None


def test_password_reset_goes_through_outbox_and_works_once(db: Session, settings: Settings) -> None:
    user = make_user(db)
    service.request_password_reset(db, settings, email=user.email, now=FIXED_NOW)
    message = db.scalars(select(OutboxMessage)).one()
    assert message.recipient == user.email
    token = message.body.split("/password-reset/")[1].split()[0]
    service.reset_password(db, token=token, new_password="brand-new-password", now=FIXED_NOW)
    _sign_in(db, settings, user.email, "brand-new-password")
    with pytest.raises(InvalidInput) as error:
        service.reset_password(db, token=token, new_password="another-password1", now=FIXED_NOW)
    assert error.value.errors[0].field == "token"


def test_password_reset_for_unknown_email_sends_nothing(db: Session, settings: Settings) -> None:
    service.request_password_reset(db, settings, email="ghost@example.org", now=FIXED_NOW)
    assert db.scalars(select(OutboxMessage)).all() == []


def test_create_user_names_each_bad_field(db: Session) -> None:
    with pytest.raises(InvalidInput) as error:
        service.create_user(
            db, email="not-an-email", full_name="", password="short", roles=[(None, Role.FACULTY)]
        )
    fields = {e.field for e in error.value.errors}
    assert fields == {"email", "full_name", "password", "roles"}
    assert db.scalars(select(User)).all() == []


def test_create_user_refuses_duplicate_email(db: Session) -> None:
    make_user(db, email="taken@example.org")
    with pytest.raises(Conflict, match="already exists"):
        service.create_user(
            db, email="TAKEN@example.org", full_name="X", password=PASSWORD, roles=[]
        )


def test_change_password_closes_other_sessions(db: Session, settings: Settings) -> None:
    user = make_user(db)
    _sign_in(db, settings, user.email, PASSWORD)
    _, principal = _sign_in(db, settings, user.email, PASSWORD)
    service.change_password(
        db, principal, current_password=PASSWORD, new_password="a-new-password", now=FIXED_NOW
    )
    remaining = db.scalars(select(AuthSession)).all()
    assert [s.csrf_token for s in remaining] == [principal.csrf_token]
