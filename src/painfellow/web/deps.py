"""Request-scoped dependencies: settings, database session, clock, and the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from painfellow.accounts.principal import Principal
from painfellow.accounts.service import get_principal
from painfellow.db.engine import begin_write
from painfellow.settings import Settings

SESSION_COOKIE = "pf_session"
ANON_CSRF_COOKIE = "pf_csrf"


# Trivial dependencies are async so that FastAPI does not send them through the threadpool.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request. Async only to spare two threadpool hops: opening a Session
    does no I/O, and closing one ends at most a transaction the route left open."""
    session: Session = request.app.state.session_factory()
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        # may wait for a pooled connection or SQLite's write lock: not on the event loop
        await run_in_threadpool(begin_write, session)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


async def get_now() -> datetime:
    return datetime.now(UTC)


def local_wall_clock(now: datetime, settings: Settings) -> datetime:
    """``now`` as the installation's local wall-clock time, without a zone: shift times,
    block dates and case-log days are local to the program."""
    return now.astimezone(ZoneInfo(settings.local_timezone)).replace(tzinfo=None)


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Session, Depends(get_db)]
NowDep = Annotated[datetime, Depends(get_now)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_principal_or_none(request: Request, db: DbDep, now: NowDep) -> Principal | None:
    token = bearer_token(request) or request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return get_principal(db, token, now)


PrincipalOrNoneDep = Annotated[Principal | None, Depends(get_principal_or_none)]
