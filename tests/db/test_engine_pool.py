"""The PostgreSQL connection pool hands out the connection returned last."""

from __future__ import annotations

import pytest

from painfellow.db.engine import make_engine


def test_the_most_recently_returned_connection_is_reused_first(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the pool's order is PostgreSQL's (SQLite runs in this process)")
    engine = make_engine(database_url)
    try:
        first, second = engine.connect(), engine.connect()
        first_raw = first.connection.dbapi_connection
        second_raw = second.connection.dbapi_connection
        first.close()
        second.close()
        with engine.connect() as again:
            assert again.connection.dbapi_connection is second_raw
        with engine.connect() as again:
            assert again.connection.dbapi_connection is second_raw
        assert first_raw is not second_raw
    finally:
        engine.dispose()
