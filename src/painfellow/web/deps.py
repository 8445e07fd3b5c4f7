"""Request-scoped dependencies: settings, database session, clock, and the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import anyio
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool
from starlette.concurrency import run_in_threadpool

from painfellow.accounts.principal import Principal
from painfellow.accounts.service import get_principal
from painfellow.db.engine import autocommit_reads, begin_write, write_intent_matters
from painfellow.settings import Settings

SESSION_COOKIE = "pf_session"
ANON_CSRF_COOKIE = "pf_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# Trivial dependencies are async so that FastAPI does not send them through the threadpool.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def request_db_slot(request: Request) -> anyio.Semaphore:
    """At most as many request sessions per worker as the pool keeps connections.

    A request holds its connection across several threadpool hops (dependencies, route,
    response). Without this limit, a burst of requests fills every threadpool thread with
    requests waiting for a connection, while the requests holding the connections wait for a
    thread: nothing moves until the pool timeout (seen with 300 concurrent requests). Waiting
    here happens on the event loop and costs no thread. The limit is the pool's size without
    its overflow: an overflow connection is opened for one request and closed after it, and a
    burst that kept the overflow busy paid a PostgreSQL connection for every few requests.
    """
    slots: anyio.Semaphore | None = getattr(request.app.state, "db_slots", None)
    if slots is None:
        slots = request.app.state.db_slots = anyio.Semaphore(_pool_size(request))
    return slots


def _pool_size(request: Request) -> int:
    pool = request.app.state.engine.pool
    return max(pool.size(), 1) if isinstance(pool, QueuePool) else 64


def request_db_executor(request: Request) -> ThreadPoolExecutor:
    """Worker threads for routes that run all their database work in one call (see
    ``authz.AuthorizeInRoute``): ``Settings.db_call_threads`` of them, at most as many as
    ``request_db_slot`` lets in; the calls admitted beyond that wait in the executor's queue
    and hold no connection. Handing work to a plain executor costs 30–70 µs a call here,
    against 70–110 µs through anyio's worker threads, which the rest of the application
    keeps using."""
    executor: ThreadPoolExecutor | None = getattr(request.app.state, "db_executor", None)
    if executor is None:
        settings: Settings = request.app.state.settings
        threads = min(settings.db_call_threads, _pool_size(request))
        executor = request.app.state.db_executor = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="painfellow-db"
        )
    return executor


def _wants_write_lock(request: Request) -> bool:
    # SQLite: a request that may write takes the write lock first (BEGIN IMMEDIATE)
    return request.method not in SAFE_METHODS and write_intent_matters(request.app.state.engine)


async def get_db(request: Request) -> AsyncIterator[Session]:
    """One session per request. Async only to spare threadpool hops: opening a Session does
    no I/O, and closing one ends at most a transaction the route left open."""
    async with request_db_slot(request):
        session: Session = request.app.state.session_factory()
        if _wants_write_lock(request):
            # may wait for SQLite's write lock, so not on the event loop
            await run_in_threadpool(begin_write, session)
        try:
            yield session
        finally:
            session.rollback()
            session.close()


def request_read_engine(request: Request) -> Engine | None:
    """``db.engine.autocommit_reads`` of the engine the request sessions are bound to."""
    state = request.app.state
    bind = state.session_factory.kw.get("bind")
    cached: tuple[object, Engine | None] | None = getattr(state, "read_engine", None)
    if cached is None or cached[0] is not bind:
        cached = state.read_engine = (bind, autocommit_reads(bind))
    return cached[1]


@contextmanager
def request_session(request: Request) -> Iterator[Session]:
    """``get_db``'s session for code already in a worker thread (blocking); the caller holds
    a ``request_db_slot``."""
    session: Session = request.app.state.session_factory()
    try:
        if _wants_write_lock(request):
            begin_write(session)
        yield session
    finally:
        session.rollback()
        session.close()


def utc_now() -> datetime:
    return datetime.now(UTC)


def request_now(request: Request) -> datetime:
    """The application's clock (``app.state.clock``; tests set a fixed one)."""
    now: datetime = request.app.state.clock()
    return now


async def get_now(request: Request) -> datetime:
    return request_now(request)


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


def caller_token(request: Request) -> str | None:
    """The bearer token or session cookie the request was sent with."""
    return bearer_token(request) or request.cookies.get(SESSION_COOKIE) or None


def get_principal_or_none(request: Request, db: DbDep, now: NowDep) -> Principal | None:
    token = caller_token(request)
    if not token:
        return None
    return get_principal(db, token, now)


PrincipalOrNoneDep = Annotated[Principal | None, Depends(get_principal_or_none)]
