"""Interview rush: 500 invited applicants book 60 seats at the same moment.

Starts the real server (``painfellow serve --workers 2``) on a fresh PostgreSQL database it
creates and migrates, creates one program with 60 one-seat slots over three days, 500
applicant accounts with invitations (through ``painfellow.interviews.service.invite``, so
500 emails are queued) and an API bearer session for each, then fires all 500 booking
requests (``POST /api/v1/interviews/invitations/{id}/booking``, each applicant choosing a
random slot) concurrently from this process, released together by one event.

Prints bookings made, overbooked slots and double-booked applicants (read from the
database afterwards), errors (5xx or transport errors), requests answered (booked or
full-with-waitlist), p50/p95/p99 latency, the CPU time the server, PostgreSQL and the client
used during the burst (where a burst's time goes on 2 cores), and the load average.
Targets: 0 overbookings, 0 double bookings, 0 errors, all answered, p99 <= 500 ms.

    python benchmarks/interview_rush.py [--applicants 500] [--slots 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

import psycopg
import uvloop

ADMIN_URL = os.environ.get("PAINFELLOW_BENCH_PG_URL", "postgresql://127.0.0.1:5432/test")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def setup(url: str, applicants: int, slots: int) -> dict[str, object]:
    """Runs in its own process (``--setup``): the program, slots, applicants, invitations and
    API sessions, committed; answers what the load generator needs as JSON."""
    from datetime import UTC, datetime, timedelta

    from painfellow.accounts.models import AuthSession, Membership, User
    from painfellow.accounts.roles import Role
    from painfellow.accounts.service import token_digest
    from painfellow.db.engine import make_engine, make_session_factory
    from painfellow.interviews.models import InterviewDay, InterviewSlot
    from painfellow.interviews.service import invite
    from painfellow.programs.models import Program

    now = datetime.now(UTC)
    factory = make_session_factory(make_engine(url))
    with factory() as db:
        program = Program(institution="Rush Test University", name="Pain Medicine Fellowship",
                          city="Ann Arbor", state="MI", latitude=42.28, longitude=-83.74,
                          accreditation_number="5550000001", positions_per_year=4,
                          length_months=12, tracks=[], accepted_specialties=["anesthesiology"],
                          features=[], contacts=[], website_text="")  # fmt: skip
        coordinator = User(email="rush-coordinator@bench.invalid", full_name="Rush Coordinator",
                           password_hash="!", memberships=[])  # fmt: skip
        db.add_all([program, coordinator])
        db.flush()
        coordinator.memberships.append(
            Membership(program_id=program.id, role=Role.PROGRAM_COORDINATOR.value)
        )
        days_count = 3
        per_day = -(-slots // days_count)
        slot_rows: list[InterviewSlot] = []
        first_day = (now + timedelta(days=30)).date()
        for d in range(days_count):
            day = InterviewDay(program_id=program.id, day=first_day + timedelta(days=d),
                               format="in_person", location="Pain Center")  # fmt: skip
            db.add(day)
            db.flush()
            start = datetime.combine(day.day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=13)
            for i in range(min(per_day, slots - len(slot_rows))):
                starts_at = start + timedelta(minutes=20 * i)
                slot_rows.append(InterviewSlot(day_id=day.id, program_id=program.id, capacity=1,
                                               booked_count=0, duration_minutes=20,
                                               starts_at=starts_at))  # fmt: skip
        users = [User(email=f"rush{i:04d}@bench.invalid", full_name=f"Rush Applicant {i}",
                      password_hash="!", memberships=[Membership(role=Role.APPLICANT.value)])
                 for i in range(applicants)]  # fmt: skip
        db.add_all([*slot_rows, *users])
        db.commit()
        invitations = invite(db, program_id=program.id, applicant_user_ids=[u.id for u in users],
                             invited_by=coordinator.id, now=now)  # fmt: skip
        tokens: list[tuple[str, int]] = []
        for invitation in invitations:
            token = secrets.token_urlsafe(32)
            db.add(AuthSession(token_hash=token_digest(token), user_id=invitation.applicant_user_id,
                               kind="api", csrf_token=secrets.token_urlsafe(24), created_at=now,
                               expires_at=now + timedelta(hours=2)))  # fmt: skip
            tokens.append((token, invitation.id))
        db.commit()
        return {"program_id": program.id, "slot_ids": [s.id for s in slot_rows],
                "applicants": tokens}  # fmt: skip


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "painfellow.cli.entry", *args], env=env, text=True,
                   check=True, capture_output=True)  # fmt: skip


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    booked: int = 0
    full: int = 0
    other: list[str] = field(default_factory=list)  # 4xx other than "full"
    errors: list[str] = field(default_factory=list)  # 5xx and transport errors
    cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)  # server, PostgreSQL, this process


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in lines
                  if line.lower().startswith(b"content-length:"))  # fmt: skip
    return int(lines[0].split()[1]), await reader.readexactly(length)


def _booking_request(port: int, token: str, invitation_id: int, slot_id: int) -> bytes:
    body = json.dumps({"slot_id": slot_id}).encode()
    return (
        f"POST /api/v1/interviews/invitations/{invitation_id}/booking HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def _fire(
    port: int, plan: list[tuple[str, int, int]], server_pid: int
) -> tuple[Tally, float]:
    """One keep-alive HTTP/1.1 connection per applicant, opened and warmed before the rush,
    then every booking written at once. A minimal client on asyncio streams: httpx's
    connection pool costs more CPU than the server under 500 connections, on the same cores."""
    tally = Tally()
    go = asyncio.Event()
    health = f"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    connections = []
    for first in range(0, len(plan), 50):  # open in batches: the listen backlog is finite
        batch = await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port)
                                       for _ in plan[first:first + 50]))  # fmt: skip
        await asyncio.gather(*(_exchange(r, w, health) for r, w in batch))
        connections += batch

    async def one(connection: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                  request: bytes) -> None:  # fmt: skip
        await go.wait()
        began = time.perf_counter()
        try:
            status, body = await _exchange(*connection, request)
        except (OSError, asyncio.IncompleteReadError, ValueError, StopIteration) as error:
            tally.errors.append(type(error).__name__)
            return
        tally.latencies.append(time.perf_counter() - began)
        answer = json.loads(body).get("status") if body.startswith(b"{") else None
        if status >= 500:
            tally.errors.append(f"HTTP {status}")
        elif status == 201 and answer == "booked":
            tally.booked += 1
        elif status == 409 and answer == "full":
            tally.full += 1
        else:
            tally.other.append(f"HTTP {status} {body[:80]!r}")

    tasks = [asyncio.create_task(one(connection, _booking_request(port, *item)))
             for connection, item in zip(connections, plan, strict=True)]  # fmt: skip
    await asyncio.sleep(0.2)
    cpu_before = _burst_cpu(server_pid)
    began = time.perf_counter()
    go.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    tally.cpu = tuple(b - a for a, b in zip(cpu_before, _burst_cpu(server_pid), strict=True))
    for _, writer in connections:
        writer.close()
    return tally, elapsed


def _audit_database(url: str, program_id: int) -> tuple[int, int, int, int]:
    """Bookings, overbooked slots, double-booked applicants, slots whose counter disagrees."""
    with psycopg.connect(url) as conn:
        bookings = conn.execute(
            "SELECT count(*) FROM interview_bookings WHERE program_id = %s", (program_id,)
        ).fetchone()
        overbooked = conn.execute(
            "SELECT count(*) FROM interview_slots s WHERE s.program_id = %s AND s.capacity < "
            "(SELECT count(*) FROM interview_bookings b WHERE b.slot_id = s.id)", (program_id,)
        ).fetchone()  # fmt: skip
        doubled = conn.execute(
            "SELECT count(*) FROM (SELECT applicant_user_id FROM interview_bookings "
            "WHERE program_id = %s GROUP BY applicant_user_id HAVING count(*) > 1) d",
            (program_id,),
        ).fetchone()
        drift = conn.execute(
            "SELECT count(*) FROM interview_slots s WHERE s.program_id = %s AND s.booked_count "
            "<> (SELECT count(*) FROM interview_bookings b WHERE b.slot_id = s.id)", (program_id,)
        ).fetchone()  # fmt: skip
    assert bookings and overbooked and doubled and drift
    return bookings[0], overbooked[0], doubled[0], drift[0]


def _cpu_seconds(root: int) -> float:
    """User + system CPU time of a process and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                pending += [int(c) for c in children.read().split()]
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _postgres_cpu_seconds() -> float:
    """User + system CPU time of every PostgreSQL process on the machine (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _burst_cpu(server_pid: int) -> tuple[float, float, float]:
    """CPU seconds so far of the server (all workers), PostgreSQL and this process."""
    own = os.times()
    return _cpu_seconds(server_pid), _postgres_cpu_seconds(), own.user + own.system


def _ms(values: list[float], q: int) -> float:
    if len(values) < 2:
        return 1000 * (values[0] if values else 0.0)
    return 1000 * statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applicants", type=int, default=500)
    parser.add_argument("--slots", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--setup", help=argparse.SUPPRESS)  # internal: database URL
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args.setup, args.applicants, args.slots)))
        return 0

    name = f"painfellow_rush_{secrets.token_hex(3)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    env = {**os.environ, "PAINFELLOW_DATABASE_URL": url, "PAINFELLOW_ENVIRONMENT": "production"}
    server: subprocess.Popen[bytes] | None = None
    try:
        _cli(env, "db", "upgrade")
        prepared = subprocess.run(
            [sys.executable, __file__, "--setup", url, "--applicants", str(args.applicants),
             "--slots", str(args.slots)],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
        rng = random.Random(args.seed)
        slot_ids: list[int] = data["slot_ids"]
        plan = [(token, invitation_id, rng.choice(slot_ids))
                for token, invitation_id in data["applicants"]]  # fmt: skip
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "painfellow.cli.entry", "serve", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        cpu_before = _cpu_seconds(server.pid)
        tally, elapsed = uvloop.run(_fire(port, plan, server.pid))
        server_cpu = _cpu_seconds(server.pid) - cpu_before
        load = os.getloadavg()
        bookings, overbooked, doubled, drift = _audit_database(url, data["program_id"])
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    answered = tally.booked + tally.full
    p50, p95, p99 = (_ms(tally.latencies, q) for q in (50, 95, 99))
    print(f"interview_rush: {len(plan)} applicants, {len(slot_ids)} one-seat slots, "
          f"{args.workers} workers, PostgreSQL; all requests released at once, "
          f"done in {elapsed:.2f} s")  # fmt: skip
    print(f"bookings made:              {bookings} (answers 'booked': {tally.booked})")
    print(f"overbooked slots:           {overbooked}")
    print(f"double-booked applicants:   {doubled}")
    print(f"slot counters off:          {drift}")
    print(f"errors (5xx/transport):     {len(tally.errors)} {tally.errors[:3]}")
    print(f"requests answered:          {answered}/{len(plan)} "
          f"(booked {tally.booked}, full with waitlist offered {tally.full}, "
          f"other {len(tally.other)} {tally.other[:2]})")  # fmt: skip
    print(f"latency ms:                 p50 {p50:.1f}  p95 {p95:.1f}  p99 {p99:.1f}")
    print(f"server CPU:                 {server_cpu:.2f} s in all workers, "
          f"{1000 * server_cpu / len(plan):.1f} ms per request (with warm-up)")  # fmt: skip
    server_s, postgres_s, client_s = tally.cpu
    print(f"CPU during the burst:       server {server_s:.2f} s, PostgreSQL {postgres_s:.2f} s, "
          f"this client {client_s:.2f} s (of {os.cpu_count()} CPUs x {elapsed:.2f} s)")  # fmt: skip
    print(f"load average (1/5/15 min):  {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} CPUs")  # fmt: skip
    checks = {
        "0 overbookings": overbooked == 0,
        "0 double bookings": doubled == 0,
        "0 errors": not tally.errors,
        "all answered": answered == len(plan),
        "p99 <= 500 ms": p99 <= 500,
        "bookings = answers 'booked'": bookings == tally.booked and drift == 0,
    }
    for label, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}: {label}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
