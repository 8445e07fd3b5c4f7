"""Engine and session factories. Built on demand, never at import time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and route them through psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
        # Recycle rather than ping: a ping is one more round trip on every request.
        kwargs.setdefault("pool_recycle", 1800)
        # Newest connection first: a burst served by a few threads keeps reusing the same
        # few connections, whose statements psycopg has prepared and whose server processes
        # have their caches filled, instead of going round every pooled connection in turn
        # (interview_rush with the booking API's 2 threads: p99 329-365 ms, against
        # 436-446 ms going round all ten).
        kwargs.setdefault("pool_use_lifo", True)
    return create_engine(url, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and defers BEGIN past reads;
    # SQLAlchemy's documented fix: let SQLAlchemy emit BEGIN itself.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" when another writer got in between; write transactions take the lock up front.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE_INTENT, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


WRITE_INTENT = "painfellow_write_intent"


def write_intent_matters(engine: Engine) -> bool:
    """Whether a transaction must be begun as a writer before its first statement: on SQLite
    (``BEGIN IMMEDIATE``); PostgreSQL takes row locks as statements need them."""
    return engine.dialect.name == "sqlite"


def autocommit_reads(bind: Engine | Connection | None) -> Engine | None:
    """An engine whose statements run outside a transaction, each in its own snapshot
    (PostgreSQL autocommit), or None where reads stay in the session.

    For a request that mostly ends having only read, where BEGIN and COMMIT would be two
    round trips more than its one read: under READ COMMITTED each statement of a
    transaction sees its own snapshot anyway, so reads that take no locks see the same
    outside one. Its writes then run in a session, in the transaction ``begin_write`` begins.
    None on SQLite, and for a session factory bound to a connection rather than an engine
    (the tests' rolled-back transaction, which other connections cannot see).
    """
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
        return bind.execution_options(isolation_level="AUTOCOMMIT")
    return None


def begin_write(session: Session) -> None:
    """Begin the session's next transaction as a writer (SQLite: ``BEGIN IMMEDIATE``).

    Call it before the first statement of a transaction; elsewhere it changes nothing.
    """
    if not session.in_transaction():
        session.connection(execution_options={WRITE_INTENT: True})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    from painfellow.audit.recorder import install_audit_recorder

    install_audit_recorder(factory)
    return factory


def dialect_name(engine: Engine) -> str:
    return "postgresql" if engine.dialect.name == "postgresql" else engine.dialect.name
