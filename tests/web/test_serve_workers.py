"""``painfellow serve --workers 2``: both workers answer, and SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_multi_worker_server_answers_and_stops(tmp_path: Path) -> None:
    env = {**os.environ, "PAINFELLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    entry = [sys.executable, "-m", "painfellow.cli.entry"]
    subprocess.run([*entry, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*entry, "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        answers = 0
        deadline = time.monotonic() + 30
        while answers < 20 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health") as r:
                    answers += r.status == 200
            except OSError:
                time.sleep(0.2)
        assert answers == 20
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0, "a worker outlived the supervisor"
