"""The worker threads of the routes that do their database work in one call."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pydantic import ValidationError
from starlette.requests import Request

from painfellow.settings import Settings
from painfellow.web.app import create_app
from painfellow.web.deps import request_db_executor


def _peak_concurrency(settings: Settings, calls: int) -> int:
    app = create_app(settings)
    try:
        executor = request_db_executor(Request({"type": "http", "app": app}))
        lock = threading.Lock()
        running = peak = 0

        def call() -> None:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.05)
            with lock:
                running -= 1

        for future in [executor.submit(call) for _ in range(calls)]:
            future.result()
        return peak
    finally:
        app.state.engine.dispose()


def test_one_call_routes_run_on_as_many_threads_as_set(settings: Settings) -> None:
    assert _peak_concurrency(settings.model_copy(update={"db_call_threads": 3}), 9) == 3
    assert _peak_concurrency(settings, 6) == 2  # the default


def test_threads_never_outnumber_the_pooled_connections(settings: Settings) -> None:
    wide = settings.model_copy(update={"db_call_threads": 64})
    pool_size = create_app(wide).state.engine.pool.size()
    assert pool_size < 64
    assert _peak_concurrency(wide, 2 * pool_size) == pool_size


def test_zero_threads_is_refused_naming_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="db_call_threads"):
        Settings(db_call_threads=0, upload_dir=tmp_path)
