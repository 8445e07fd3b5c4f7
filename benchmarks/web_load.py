"""Load benchmark: 50 logged-in users against 2 server workers on PostgreSQL with demo data.

Starts the server (``painfellow serve --workers 2``) on a fresh PostgreSQL database, signs in
one director per program through the real login form, then drives a mixed workload from a
second process (this one) for a fixed time: dashboard, directory search, program profile,
and a profile edit through the API (each user edits their own program, so edits never
conflict). Each user pauses ``--think`` seconds (mean, exponential) between requests.
Prints requests per second, p50/p95/p99 latency, and the error count; targets: p95 <= 100 ms
and zero errors.

    python benchmarks/web_load.py [--users 50] [--seconds 30] [--think 0.25] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field

import httpx
import psycopg
import uvloop

ADMIN_URL = os.environ.get("PAINFELLOW_BENCH_PG_URL", "postgresql://127.0.0.1:5432/test")
PASSWORD = "bench-password-123"
# "write" is a read of the program (timed as "api read") followed by the edit (timed as "write")
WORKLOAD = [("dashboard", 0.3), ("search", 0.3), ("profile", 0.25), ("write", 0.15)]
REPORTED = ["dashboard", "search", "profile", "api read", "write"]
SEARCH_TERMS = ["", "university", "health", "medical", "san", "new", "memorial"]
STATES = ["", "CA", "TX", "NY", "MI", "FL", "OH", "PA"]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "painfellow.cli.entry", *args],
        env=env, input=stdin, text=True, check=True, capture_output=True,
    )  # fmt: skip


def _prepare_database(users: int) -> tuple[str, str]:
    name = f"painfellow_bench_{secrets.token_hex(3)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    env = {**os.environ, "PAINFELLOW_DATABASE_URL": url}
    _cli(env, "db", "upgrade")
    _cli(env, "demo", "load")
    # one director per program, created through the service layer in one process
    script = (
        "import sys\n"
        "from painfellow.db.engine import make_engine, make_session_factory\n"
        "from painfellow.accounts.service import create_user\n"
        "from painfellow.accounts.roles import Role\n"
        "factory = make_session_factory(make_engine(sys.argv[1]))\n"
        "with factory() as s:\n"
        "    for i in range(1, int(sys.argv[2]) + 1):\n"
        "        create_user(s, email=f'load{i}@bench.invalid', full_name=f'Load {i}',\n"
        f"                    password={PASSWORD!r}, roles=[(i, Role.PROGRAM_DIRECTOR)],\n"
        "                    commit=False)\n"
        "    s.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script, url, str(users)], check=True)
    return name, url


def _drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _sign_in(client: httpx.AsyncClient, email: str) -> str:
    page = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    response = await client.post(
        "/login", data={"csrf_token": token.group(1), "email": email, "password": PASSWORD}
    )
    assert response.status_code == 303, f"sign-in failed for {email}: {response.status_code}"
    dashboard = await client.get("/dashboard")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', dashboard.text)
    assert csrf
    return csrf.group(1)


@dataclass
class Run:
    """Shared by the virtual users: they sign in, report ready, then run until the deadline."""

    users: int
    ready: int = 0
    deadline: float = 0.0
    start: asyncio.Event = field(default_factory=asyncio.Event)


async def _user(base: str, index: int, think: float, run: Run, results: Results) -> None:
    rng = random.Random(index)
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        csrf = await _sign_in(client, f"load{index}@bench.invalid")
        run.ready += 1
        await run.start.wait()
        kinds, weights = zip(*WORKLOAD, strict=True)
        while time.monotonic() < run.deadline:
            kind = rng.choices(kinds, weights)[0]
            try:
                await _request(client, kind, index, csrf, rng, results)
            except httpx.HTTPError as error:
                results.errors.append(f"{kind}: {type(error).__name__}")
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))


async def _timed(results: Results, kind: str, call: Awaitable[httpx.Response]) -> httpx.Response:
    began = time.perf_counter()
    response = await call
    results.latencies[kind].append(time.perf_counter() - began)
    if response.status_code >= 400:
        results.errors.append(f"{kind}: HTTP {response.status_code}")
    return response


async def _request(
    client: httpx.AsyncClient,
    kind: str,
    index: int,
    csrf: str,
    rng: random.Random,
    results: Results,
) -> None:
    if kind == "dashboard":
        await _timed(results, kind, client.get("/dashboard"))
    elif kind == "search":
        params = {"q": rng.choice(SEARCH_TERMS), "state": rng.choice(STATES)}
        await _timed(results, kind, client.get("/programs", params=params))
    elif kind == "profile":
        await _timed(results, kind, client.get(f"/programs/{rng.randint(1, 110)}"))
    else:
        current = await _timed(results, "api read", client.get(f"/api/v1/programs/{index}"))
        body = current.json()
        for key in ("id", "accreditation_number"):
            body.pop(key)
        body["positions_per_year"] = rng.randint(1, 8)
        put = client.put(f"/api/v1/programs/{index}", json=body, headers={"X-CSRF-Token": csrf})
        await _timed(results, kind, put)


async def _drive(base: str, users: int, seconds: float, think: float) -> tuple[Results, float]:
    results = Results()
    run = Run(users)
    tasks = [asyncio.create_task(_user(base, i, think, run, results)) for i in range(1, users + 1)]
    while run.ready < users:
        if any(task.done() for task in tasks):  # a sign-in failed: surface its error
            await asyncio.gather(*tasks)
        await asyncio.sleep(0.05)
    began = time.monotonic()
    run.deadline = began + seconds
    run.start.set()
    await asyncio.gather(*tasks)
    return results, time.monotonic() - began


def _percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=0.25, help="mean pause between requests")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    name, url = _prepare_database(args.users)
    port = _free_port()
    env = {**os.environ, "PAINFELLOW_DATABASE_URL": url, "PAINFELLOW_ENVIRONMENT": "production"}
    server = subprocess.Popen(
        [sys.executable, "-m", "painfellow.cli.entry", "serve", "--port", str(port),
         "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        # uvloop (installed with uvicorn) keeps the load generator's own CPU use down
        results, elapsed = uvloop.run(_drive(base, args.users, args.seconds, args.think))
    finally:
        server.terminate()
        server.wait(timeout=15)
        _drop_database(name)

    everything = [x for values in results.latencies.values() for x in values]
    total = len(everything)
    print(f"web_load: {args.users} users, {args.workers} workers, PostgreSQL, "
          f"{elapsed:.1f} s, think time {args.think} s mean")  # fmt: skip
    print(f"{'request':<10} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in [*REPORTED, "all"]:
        values = everything if kind == "all" else results.latencies[kind]
        print(
            f"{kind:<10} {len(values):>7} {1000 * statistics.median(values):>8.1f} "
            f"{1000 * _percentile(values, 95):>8.1f} {1000 * _percentile(values, 99):>8.1f}"
        )
    p95 = 1000 * _percentile(everything, 95)
    print(f"requests per second: {total / elapsed:.1f}")
    first = f" (first: {results.errors[:3]})" if results.errors else ""
    print(f"errors: {len(results.errors)}{first}")
    ok = p95 <= 100 and not results.errors
    print(f"{'PASS' if ok else 'FAIL'}: p95 {p95:.1f} ms (target <= 100 ms), "
          f"{len(results.errors)} errors (target 0)")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
