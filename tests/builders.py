"""Small explicit builders for test data."""

from __future__ import annotations

import functools
import itertools
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from painfellow.accounts.models import AuthSession, Membership, User
from painfellow.accounts.passwords import hash_password
from painfellow.accounts.roles import Role
from painfellow.accounts.service import normalise_email, token_digest
from painfellow.programs.models import Program
from painfellow.web.deps import SESSION_COOKIE

FIXED_NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


@functools.cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def make_program(db: Session, **overrides: Any) -> Program:
    n = next(_counter)
    values: dict[str, Any] = {
        "institution": f"Test Institution {n}",
        "name": "Pain Medicine Fellowship",
        "city": "Ann Arbor",
        "state": "MI",
        "latitude": 42.28,
        "longitude": -83.74,
        "accreditation_number": f"9{n:09d}",
        "positions_per_year": 3,
        "length_months": 12,
        "tracks": [],
        "accepted_specialties": ["anesthesiology"],
        "features": ["cancer_pain"],
        "contacts": [],
        "website_text": "",
    }
    values.update(overrides)
    program = Program(**values)
    db.add(program)
    db.flush()
    return program


def make_user(
    db: Session, roles: list[tuple[int | None, Role]] | None = None, **overrides: Any
) -> User:
    n = next(_counter)
    user = User(
        email=normalise_email(overrides.pop("email", f"user{n}@example.org")),
        full_name=overrides.pop("full_name", f"Test User {n}"),
        password_hash=password_hash(),
        **overrides,
    )
    user.memberships = [Membership(program_id=pid, role=r.value) for pid, r in roles or []]
    db.add(user)
    db.flush()
    return user


def sign_in(client: TestClient, db: Session, user: User, kind: str = "browser") -> str:
    """Open a session directly (no password hashing) and return its CSRF token."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    db.add(
        AuthSession(
            token_hash=token_digest(token), user_id=user.id, kind=kind, csrf_token=csrf,
            created_at=FIXED_NOW, expires_at=FIXED_NOW + timedelta(hours=1),
        )
    )  # fmt: skip
    db.flush()
    if kind == "browser":
        client.cookies.set(SESSION_COOKIE, token)
    else:
        client.headers["Authorization"] = f"Bearer {token}"
    return csrf


def race(factory: sessionmaker[Session], calls: Sequence[Callable[[Session], str]]) -> Counter[str]:
    """Run the calls at the same moment, each in a thread with a session of its own, and count
    what they answered. An exception counts as "error <type>: <message>", so that the
    assertion on the counts shows it."""
    barrier = threading.Barrier(len(calls))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(call: Callable[[Session], str]) -> None:
        with factory() as session:
            barrier.wait()
            try:
                result = call(session)
            except Exception as error:
                result = f"error {type(error).__name__}: {error}"
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
