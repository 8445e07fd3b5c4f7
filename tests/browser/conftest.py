"""A live server on a fresh demo database, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from painfellow.demo.loader import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_SCRIPT = Path(__file__).parent / "assets" / "axe-4.14.1.min.js"


def _ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing and could not be installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "painfellow.cli.entry", *args], env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("browser") / "demo.sqlite3"
    env = {**os.environ, "PAINFELLOW_DATABASE_URL": f"sqlite:///{database}"}
    _cli(env, "db", "upgrade")
    _cli(env, "demo", "load")
    port = _free_port()
    log = (database.parent / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "painfellow.cli.entry", "serve", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/v1/health", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                log.close()
                output = (database.parent / "server.log").read_text()
                raise RuntimeError(f"the server did not start:\n{output}") from None
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    _ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page of a context of its own (see ``watched_page``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield watched_page(context)
    context.close()


def watched_page(context: Any) -> Any:
    """A new page of ``context`` that collects console errors and page errors in
    ``page.console_errors``."""
    page = context.new_page()
    page.console_errors = []

    def on_console(message: Any) -> None:
        # A page answered with 4xx on purpose (a form re-rendered with 422, the 404 page) is
        # logged by Chromium too; tests assert those statuses. Any other error counts.
        own_status = message.text.startswith("Failed to load resource") and (
            message.location.get("url") == page.url
        )
        if message.type == "error" and not own_status:
            page.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return page


def axe_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations on the page, one line each."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard")
