"""``PAINFELLOW_OPENTELEMETRY``: FastAPI traces requests only when the setting asks for it.

Each case runs in its own interpreter: OpenTelemetry's tracer provider is process-global
and can be set only once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# A tracer provider that counts the spans FastAPI starts (the SDK is not installed).
PROBE = """
import contextlib, sys
from fastapi.testclient import TestClient
from opentelemetry import trace
from painfellow.db.migrate import upgrade
from painfellow.settings import Settings
from painfellow.web.app import create_app

started = []

class CountingTracer(trace.Tracer):
    def start_span(self, name, *args, **kwargs):
        started.append(name)
        return trace.INVALID_SPAN

    @contextlib.contextmanager
    def start_as_current_span(self, name, *args, **kwargs):
        started.append(name)
        yield trace.INVALID_SPAN

class CountingProvider(trace.TracerProvider):
    def get_tracer(self, *args, **kwargs):
        return CountingTracer()

trace.set_tracer_provider(CountingProvider())
upgrade(sys.argv[1])
app = create_app(Settings(database_url=sys.argv[1], opentelemetry=sys.argv[2] == "on"))
with TestClient(app) as client:
    assert client.get("/api/v1/health").status_code == 200
print(len(started))
"""


@pytest.mark.parametrize(("setting", "traced"), [("on", True), ("off", False)])
def test_requests_are_traced_only_when_the_setting_is_on(
    tmp_path: Path, setting: str, traced: bool
) -> None:
    url = f"sqlite:///{tmp_path / 'otel.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAINFELLOW_", "OTEL_"))}
    done = subprocess.run([sys.executable, "-c", PROBE, url, setting], env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    spans = int(done.stdout.split()[-1])
    assert (spans > 0) is traced, f"{spans} spans with the setting {setting}"
