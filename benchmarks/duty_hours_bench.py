"""Benchmark: one academic year of shifts for 10,000 fellows checked in <= 5 s (issue 5).

Generates (seeded) a realistic year: 10-12 h weekday shifts, a weekly teaching morning,
24 h in-house calls about one night in seven (a few running over 24 h), post-call days
off, at-home call work in the evening for some fellows, weekend moonlighting for some,
vacation weeks, and a few fellows with injected violations (a 30 h call, short rest after
call, a call-heavy block, a block of 12 h days with no day off). Times the core check on
the arrays (median of several runs), then, for information, the end-to-end CLI on a CSV.

Run: python benchmarks/duty_hours_bench.py [--fellows N] [--runs R] [--skip-cli]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date

import numpy as np

from painfellow.core.duty_hours import (
    KindCode,
    ShiftKind,
    ShiftTable,
    academic_calendar,
    check_shift_table,
)
from painfellow.core.duty_hours.shifts import day_seconds

TARGET_SECONDS = 5.0
YEAR_START = date(2024, 7, 1)  # a Monday
N_DAYS = 365
H = 3600
DAY = 86_400


@dataclass(frozen=True)
class Raw:
    """Unsorted shift columns, as they would arrive from storage."""

    fellow_ids: list[str]
    fellow: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray

    def table(self) -> ShiftTable:
        return ShiftTable.from_arrays(self.fellow_ids, self.fellow, self.start, self.end, self.kind)


def generate(n_fellows: int, seed: int = 20240701) -> Raw:
    """A seeded academic year of shifts for ``n_fellows`` fellows (no overlaps)."""
    rng = np.random.default_rng(seed)
    f_count, d_count = n_fellows, N_DAYS
    day = np.arange(d_count)
    weekday = day % 7  # 0 = Monday, since July 1 2024 is a Monday
    fellow_col = np.arange(f_count)[:, None]

    # Vacation: three random weeks (Monday to Sunday) per fellow.
    vac = np.zeros((f_count, d_count), dtype=bool)
    weeks = rng.permuted(np.tile(np.arange(52), (f_count, 1)), axis=1)[:, :3]
    for k in range(3):
        first = weeks[:, k] * 7
        for j in range(7):
            vac[np.arange(f_count), np.minimum(first + j, d_count - 1)] = True

    # In-house call one weeknight (Monday-Thursday) a week, rotating every 4 weeks.
    offset = rng.integers(0, 4, f_count)[:, None]
    call = weekday[None, :] == (offset + day[None, :] // 28) % 4
    nxt_vac = np.zeros_like(vac)
    nxt_vac[:, :-1] = vac[:, 1:]
    call &= ~vac & ~nxt_vac
    call[:, -1] = False
    post_call = np.zeros_like(call)
    post_call[:, 1:] = call[:, :-1]

    # Injected call-heavy block: every other night in the 3rd period for 0.5% of fellows.
    heavy_call = rng.random(f_count) < 0.005
    blk = slice(56, 84)
    alt = np.zeros(d_count, dtype=bool)
    alt[blk] = (day[blk] % 2) == 0
    call[heavy_call] = (call[heavy_call] & ~np.isin(day, day[blk])) | alt
    call[heavy_call] &= ~vac[heavy_call] & ~nxt_vac[heavy_call]
    post_call = np.zeros_like(call)
    post_call[:, 1:] = call[:, :-1]
    call &= ~post_call  # never two calls in a row

    # Injected block of 12 h days with no day off (period 5) for 0.3% of fellows.
    grind = rng.random(f_count) < 0.003
    grind_days = np.zeros((f_count, d_count), dtype=bool)
    grind_days[np.ix_(grind, np.arange(112, 140))] = True
    busy = vac | call | post_call
    grind_days &= ~busy
    nxt_busy = np.zeros_like(busy)
    nxt_busy[:, :-1] = call[:, 1:]

    weekday_work = (weekday[None, :] < 5) & ~busy & ~grind_days
    starts_off = rng.choice(np.array([-30, -15, 0, 0, 15, 30]) * 60, size=(f_count, d_count))
    lengths = rng.choice(np.arange(10 * 4, 12 * 4 + 1) * 900, size=(f_count, d_count))
    base = day_seconds(YEAR_START) + day[None, :] * DAY

    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray, int]] = []

    def emit(mask: np.ndarray, start: np.ndarray, end: np.ndarray, kind: ShiftKind) -> None:
        fel = np.broadcast_to(fellow_col, mask.shape)[mask]
        s = np.broadcast_to(start, mask.shape)[mask]
        e = np.broadcast_to(end, mask.shape)[mask]
        rows.append((fel, s, e, int(KindCode[kind.name])))

    day_start = base + 7 * H + starts_off
    day_end = day_start + lengths
    wednesday = weekday_work & (weekday[None, :] == 2)
    plain = weekday_work & ~wednesday
    emit(plain, day_start, day_end, ShiftKind.IN_HOUSE)
    # Wednesday teaching morning, then clinic: two touching shifts.
    teach_end = base + 12 * H
    emit(wednesday, base + 7 * H, teach_end, ShiftKind.EDUCATIONAL)
    emit(wednesday, teach_end, np.maximum(day_end, teach_end + 4 * H), ShiftKind.IN_HOUSE)

    # Calls: 07:00 to 07:00, 5% run one hour over (WH5 warning), 0.2% to 13:00 (WH6).
    over = rng.choice([0, 3600, 6 * 3600], p=[0.948, 0.05, 0.002], size=(f_count, d_count))
    call_start = base + 7 * H
    emit(call, call_start, call_start + DAY + over, ShiftKind.IN_HOUSE_CALL)
    # 0.2% of post-call days: back at 17:00 (under 14 h free, WH3).
    back = post_call & (rng.random((f_count, d_count)) < 0.002)
    emit(back, base + 17 * H + 3600, base + 22 * H, ShiftKind.IN_HOUSE)

    # At-home call work on some evenings for 30% of fellows.
    home = (rng.random(f_count) < 0.3)[:, None] & weekday_work
    home &= rng.random((f_count, d_count)) < 0.25
    home_start = base + 21 * H + rng.choice([0, 900, 1800], size=(f_count, d_count))
    home_len = rng.choice([1800, 3600, 5400], size=(f_count, d_count))
    emit(home, home_start, home_start + home_len, ShiftKind.HOME_CALL_WORKED)

    # Moonlighting: external on half the free Saturdays (20% of fellows), internal on
    # some free Sundays (10% of fellows).
    free = ~busy & ~grind_days & ~nxt_busy
    ext = (rng.random(f_count) < 0.2)[:, None] & free & (weekday[None, :] == 5)
    ext &= rng.random((f_count, d_count)) < 0.5
    emit(ext, base + 8 * H, base + 20 * H, ShiftKind.MOONLIGHTING_EXTERNAL)
    inn = (rng.random(f_count) < 0.1)[:, None] & free & (weekday[None, :] == 6)
    inn &= rng.random((f_count, d_count)) < 0.3
    emit(inn, base + 8 * H, base + 16 * H, ShiftKind.MOONLIGHTING_INTERNAL)

    emit(grind_days, base + 6 * H, base + 18 * H, ShiftKind.IN_HOUSE)

    # Leave: one entry per vacation week, Monday 00:00 to Saturday 00:00.
    for k in range(3):
        first = weeks[:, k] * 7
        ok = first + 5 <= d_count
        fel = np.arange(f_count)[ok]
        s = day_seconds(YEAR_START) + first[ok] * DAY
        rows.append((fel, s, s + 5 * DAY, int(KindCode.LEAVE)))

    # Rows come out grouped by kind, as a database query might return them; the table
    # build sorts them by fellow and start.
    fellow = np.concatenate([r[0] for r in rows])
    start = np.concatenate([r[1] for r in rows])
    end = np.concatenate([r[2] for r in rows])
    kind = np.concatenate([np.full(r[0].shape[0], r[3], dtype=np.int8) for r in rows])
    return Raw([f"F{i:05d}" for i in range(f_count)], fellow, start, end, kind)


def write_csv(table: ShiftTable, path: str) -> None:
    """Write the table as the CLI's CSV, rows shuffled (the CLI must sort them itself)."""
    epoch = np.datetime64("1970-01-01T00:00:00", "s")
    stamps, inverse = np.unique(np.concatenate((table.start, table.end)), return_inverse=True)
    text = np.datetime_as_string(epoch + stamps.astype("timedelta64[s]"), unit="m").tolist()
    n = len(table)
    start_i, end_i = inverse[:n].tolist(), inverse[n:].tolist()
    kinds = [k.value for k in sorted(ShiftKind, key=lambda k: int(KindCode[k.name]))]
    fellow, kind = table.fellow.tolist(), table.kind.tolist()
    order = np.random.default_rng(1).permutation(n).tolist()
    ids = table.fellow_ids
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("fellow_id,start,end,kind\n")
        handle.write(
            "".join(
                f"{ids[fellow[i]]},{text[start_i[i]]},{text[end_i[i]]},{kinds[kind[i]]}\n"
                for i in order
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fellows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()

    t0 = time.perf_counter()
    raw = generate(args.fellows)
    gen_s = time.perf_counter() - t0
    table = raw.table()
    calendar = academic_calendar(YEAR_START, date(2025, 6, 30))
    counts = np.bincount(table.kind, minlength=len(KindCode))
    print(f"fellows: {args.fellows:,}  shifts: {len(table):,}  generated in {gen_s:.2f} s")
    print(
        "  by kind: "
        + ", ".join(f"{KindCode(i).name.lower()}={int(c):,}" for i, c in enumerate(counts))
    )

    build: list[float] = []
    engine: list[float] = []
    records: list[float] = []
    total: list[float] = []
    findings = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        table = raw.table()  # validate + sort by (fellow, start)
        t1 = time.perf_counter()
        result = check_shift_table(table, calendar)
        t2 = time.perf_counter()
        findings = result.to_findings()
        t3 = time.perf_counter()
        build.append(t1 - t0)
        engine.append(t2 - t1)
        records.append(t3 - t2)
        total.append(t3 - t0)
    by_rule: dict[str, int] = {}
    for f in findings:
        name = f"{f.rule.value} ({f.severity.value})"
        by_rule[name] = by_rule.get(name, 0) + 1
    print(f"findings: {len(findings):,}")
    for name in sorted(by_rule):
        print(f"  {name}: {by_rule[name]:,}")

    def show(label: str, times: list[float]) -> None:
        runs = ", ".join(f"{t:.3f}" for t in times)
        print(f"{label}: median {statistics.median(times):.3f} s  (runs: {runs})")

    print(f"timings over {args.runs} runs:")
    show("  table build (validate, sort)", build)
    show("  rule engine (check_shift_table)", engine)
    show("  Finding records (to_findings)", records)
    show("  core total", total)
    med_total = statistics.median(total)

    if not args.skip_cli:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "shifts.csv")
            t0 = time.perf_counter()
            write_csv(table, path)
            size_mb = os.path.getsize(path) / 1e6
            print(f"CSV written: {size_mb:.0f} MB in {time.perf_counter() - t0:.2f} s")
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "painfellow.cli.entry", "duty-hours", "check", path],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=False,
            )
            cli_s = time.perf_counter() - t0
            print(
                f"end-to-end CLI (informational, 1 run): {cli_s:.2f} s, exit {proc.returncode}"
                + (f", stderr: {proc.stderr.decode()[:200]}" if proc.returncode == 2 else "")
            )

    ok = med_total <= TARGET_SECONDS
    verdict = "PASS" if ok else "FAIL"
    print(f"{verdict}: core total median {med_total:.3f} s (target <= {TARGET_SECONDS:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
