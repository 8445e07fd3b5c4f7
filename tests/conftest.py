"""Shared fixtures: one fresh, migrated database per test run; each test in a rolled-back
transaction (SQLAlchemy's "join a session into an external transaction" recipe).

``PAINFELLOW_TEST_DB=postgresql`` runs the same tests on PostgreSQL (127.0.0.1:5432, trust
auth), in a database created for this run and dropped after it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from painfellow.audit.recorder import install_audit_recorder
from painfellow.db.engine import make_engine
from painfellow.db.migrate import upgrade
from painfellow.settings import Settings
from painfellow.web.app import create_app
from tests.builders import FIXED_NOW

POSTGRES_ADMIN_URL = os.environ.get("PAINFELLOW_TEST_PG_URL", "postgresql://127.0.0.1:5432/test")


def _postgres_database() -> Iterator[str]:
    import psycopg

    name = f"painfellow_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL leg skipped: no server answers at {POSTGRES_ADMIN_URL} ({error})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("PAINFELLOW_TEST_DB") == "postgresql":
        yield from _postgres_database()
    else:
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(migrated_engine: Engine) -> Iterator[Connection]:
    with migrated_engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    factory = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    install_audit_recorder(factory)
    return factory


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key="test-secret-key-0123456789",
        upload_dir=tmp_path / "uploads",
    )


@pytest.fixture
def app(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[FastAPI]:
    application = create_app(settings)
    application.state.session_factory = session_factory
    application.state.clock = lambda: FIXED_NOW
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
