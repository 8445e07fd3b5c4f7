"""Accounts: sign-in with throttling, sessions and API tokens, passwords, users and roles.

Every command commits once at its end; a failure before that leaves nothing written.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, delete, literal_column, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Label

from painfellow.accounts.models import AuthSession, LoginThrottle, Membership, PasswordReset, User
from painfellow.accounts.passwords import hash_password, password_problem, verify_password
from painfellow.accounts.principal import Principal
from painfellow.accounts.roles import Role
from painfellow.errors import (
    AccountLocked,
    Conflict,
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
)
from painfellow.outbox.service import enqueue_email
from painfellow.programs.models import Program
from painfellow.settings import Settings

# A hash to verify against when the email is unknown, so response time does not reveal accounts.
_DUMMY_HASH = hash_password("not-a-real-password-0000")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


# ---- sign-in -------------------------------------------------------------------------------


def sign_in(
    session: Session,
    settings: Settings,
    *,
    email: str,
    password: str,
    address: str,
    kind: str,
    now: datetime,
) -> tuple[str, Principal]:
    """Check the password and open a browser session or API token.

    Refuses with RateLimited when the client address has failed too often within the window,
    and with AccountLocked while the account is locked after repeated failures
    (OWASP Authentication Cheat Sheet: throttle per account and per source).
    """
    email = normalise_email(email)
    address_key = f"addr:{address}"
    window = timedelta(minutes=settings.login_address_window_minutes)
    throttle = session.get(LoginThrottle, address_key, with_for_update=True)
    recent = throttle is not None and now - throttle.window_start < window
    if recent and throttle and throttle.failures >= settings.login_max_failures_per_address:
        raise RateLimited("Too many failed sign-ins from this address. Try again later.")
    user = session.scalar(select(User).where(User.email == email).with_for_update())
    if user and user.locked_until and user.locked_until > now:
        raise AccountLocked(
            f"This account is locked after repeated failed sign-ins until "
            f"{user.locked_until:%H:%M} UTC."
        )
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if not valid or user is None or not user.is_active:
        _count_failure(session, settings, address_key, user, now)
        session.commit()
        raise NotAuthenticated("Wrong email or password.")
    user.failed_logins = 0
    user.locked_until = None
    token, principal = _open_session(session, settings, user, kind, now)
    session.commit()
    return token, principal


def _count_failure(
    session: Session, settings: Settings, address_key: str, user: User | None, now: datetime
) -> None:
    window = timedelta(minutes=settings.login_address_window_minutes)
    throttle = session.get(LoginThrottle, address_key)
    if throttle is None:
        session.add(LoginThrottle(key=address_key, failures=1, window_start=now))
    elif now - throttle.window_start >= window:
        throttle.failures, throttle.window_start = 1, now
    else:
        throttle.failures += 1
    if user is not None:
        user.failed_logins += 1
        if user.failed_logins >= settings.login_max_failures_per_account:
            user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
            user.failed_logins = 0


def _open_session(
    session: Session, settings: Settings, user: User, kind: str, now: datetime
) -> tuple[str, Principal]:
    token = secrets.token_urlsafe(32)
    hours = settings.session_hours if kind == "browser" else settings.api_token_hours
    auth = AuthSession(
        token_hash=token_digest(token),
        user_id=user.id,
        kind=kind,
        csrf_token=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(auth)
    return token, _principal(user, auth)


def _principal(user: User, auth: AuthSession) -> Principal:
    return Principal(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name,
        roles=frozenset((m.program_id, Role(m.role)) for m in user.memberships),
        csrf_token=auth.csrf_token,
        session_kind=auth.kind,
    )


# Built once rather than on each of the requests it serves (every request runs it), as
# plain columns: no ORM entities to build.
_users = User.__table__
_sessions = AuthSession.__table__
_memberships = Membership.__table__
AnyRow = Row[*tuple[Any, ...]]  # a row of any columns
_PRINCIPAL = (
    select(
        _users.c.id, _users.c.email, _users.c.full_name, _sessions.c.csrf_token,
        _sessions.c.kind, _memberships.c.program_id, _memberships.c.role,
    )
    .select_from(_sessions)
    .join(_users, _users.c.id == _sessions.c.user_id)
    .outerjoin(_memberships, _memberships.c.user_id == _users.c.id)
    .where(
        _sessions.c.token_hash == bindparam("token_hash"),
        _sessions.c.expires_at > bindparam("now", type_=_sessions.c.expires_at.type),
        _users.c.is_active.is_(True),
    )
)  # fmt: skip


def get_principal(session: Session, token: str, now: datetime) -> Principal | None:
    """The principal behind a session cookie or bearer token, if it is live.

    One query on every request, by the session table's primary key: the session, its user
    and all their roles together.
    """
    rows = session.execute(_PRINCIPAL, {"token_hash": token_digest(token), "now": now}).all()
    return _principal_of(rows)


def _principal_of(rows: Sequence[AnyRow]) -> Principal | None:
    """The principal from ``_PRINCIPAL``'s rows (its columns first, by position)."""
    if not rows:
        return None
    user_id, email, full_name, csrf_token, kind = rows[0][:5]
    return Principal(
        user_id=user_id,
        email=email,
        full_name=full_name,
        roles=frozenset((r[5], Role(r[6])) for r in rows if r[6] is not None),
        csrf_token=csrf_token,
        session_kind=kind,
    )


def principal_along(statement: Select[Any]) -> Select[Any]:
    """The principal lookup and ``statement`` (a read answering at most one row) as one
    statement, for ``get_principal_along``: a request that looks its caller up and then
    reads one row makes one round trip rather than two.

    Each row holds the principal's columns (one row per role) and then ``statement``'s,
    under their own names. Build it once, at import, like the statements it joins.
    """
    principal = _PRINCIPAL.subquery("principal")
    # the last column, not NULL where the statement found its row (see get_principal_along)
    found: Label[Any] = literal_column("1").label("principal_along_found")
    along = statement.add_columns(found).subquery("along")
    return (
        select(*(c.label(f"principal_{c.key}") for c in principal.c), *along.c)
        .select_from(principal)
        .outerjoin(along, true())
    )


def get_principal_along(
    session: Session | Connection, token: str, now: datetime, statement: Select[Any],
    params: Mapping[str, Any],
) -> tuple[Principal | None, AnyRow | None]:  # fmt: skip
    """The principal behind ``token`` (as ``get_principal``) and the row that the statement
    joined by ``principal_along`` read, in one round trip. The row (read by its column names)
    is None when the statement found nothing, and always when the token is not live."""
    rows = session.execute(
        statement, {**params, "token_hash": token_digest(token), "now": now}
    ).all()
    principal = _principal_of(rows)
    if principal is None:
        return None, None
    first = rows[0]
    return principal, first if first[-1] is not None else None


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(AuthSession).where(AuthSession.token_hash == token_digest(token)))
    session.commit()


# ---- passwords -----------------------------------------------------------------------------


def change_password(
    session: Session,
    principal: Principal,
    *,
    current_password: str,
    new_password: str,
    now: datetime,
) -> None:
    """Change one's own password; other sessions of the user are closed."""
    user = session.get(User, principal.user_id)
    if user is None:
        raise NotFound("No such user.")
    errors = []
    if not verify_password(user.password_hash, current_password):
        errors.append(FieldError("current_password", "is not your current password"))
    if problem := password_problem(new_password):
        errors.append(FieldError("new_password", problem))
    if errors:
        raise InvalidInput(errors)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    session.execute(
        delete(AuthSession).where(
            AuthSession.user_id == user.id, AuthSession.csrf_token != principal.csrf_token
        )
    )
    session.commit()


def request_password_reset(
    session: Session, settings: Settings, *, email: str, now: datetime
) -> None:
    """Send a single-use reset link through the outbox; silent when the email is unknown."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            token_hash=token_digest(token),
            user_id=user.id,
            expires_at=now + timedelta(minutes=settings.password_reset_minutes),
        )
    )
    enqueue_email(
        session,
        recipient=user.email,
        subject="Reset your painfellow password",
        body=(
            f"Hello {user.full_name},\n\nOpen this link to choose a new password "
            f"(valid {settings.password_reset_minutes} minutes, once):\n"
            f"{settings.base_url}/password-reset/{token}\n\n"
            "If you did not ask for this, ignore this message."
        ),
        now=now,
    )
    session.commit()


def reset_password(session: Session, *, token: str, new_password: str, now: datetime) -> None:
    """Set a new password from a reset link; the link works once, before it expires."""
    reset = session.get(PasswordReset, token_digest(token), with_for_update=True)
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise InvalidInput([FieldError("token", "this reset link is invalid, used or expired")])
    if problem := password_problem(new_password):
        raise InvalidInput([FieldError("new_password", problem)])
    user = session.get(User, reset.user_id)
    assert user is not None
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    user.failed_logins = 0
    user.locked_until = None
    reset.used_at = now
    session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    session.commit()


# ---- users and roles -----------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    email: str,
    full_name: str,
    password: str,
    roles: list[tuple[int | None, Role]],
    commit: bool = True,
) -> User:
    """Create a person with their roles. Program roles need a program, global roles none."""
    email = normalise_email(email)
    errors = []
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        errors.append(FieldError("email", "is not a valid email address"))
    if not full_name.strip():
        errors.append(FieldError("full_name", "is required"))
    elif len(full_name) > 200:
        errors.append(FieldError("full_name", "must be at most 200 characters"))
    if problem := password_problem(password):
        errors.append(FieldError("password", problem))
    for program_id, role in roles:
        if role.is_program_role and program_id is None:
            errors.append(FieldError("roles", f"{role.value} needs a program"))
        if not role.is_program_role and program_id is not None:
            errors.append(FieldError("roles", f"{role.value} is not held in a program"))
        if program_id is not None and session.get(Program, program_id) is None:
            errors.append(FieldError("roles", f"program {program_id} does not exist"))
    if errors:
        raise InvalidInput(errors)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"A user with the email {email} already exists.")
    user = User(email=email, full_name=full_name.strip(), password_hash=hash_password(password))
    user.memberships = [Membership(program_id=pid, role=role.value) for pid, role in roles]
    session.add(user)
    try:
        session.flush()
    except IntegrityError as error:
        session.rollback()
        raise Conflict(f"A user with the email {email} already exists.") from error
    if commit:
        session.commit()
    return user


def members_with_role(session: Session, program_id: int, role: Role) -> dict[int, str]:
    """User id -> full name of everyone holding ``role`` in the program, by name."""
    rows = session.execute(
        select(User.id, User.full_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.program_id == program_id, Membership.role == role.value)
        .order_by(User.full_name)
    )
    return {uid: name for uid, name in rows}


def list_program_members(session: Session, program_id: int) -> list[tuple[User, str]]:
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.program_id == program_id)
        .order_by(Membership.role, User.full_name)
    )
    return [(user, role) for user, role in rows]
