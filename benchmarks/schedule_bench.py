"""Benchmark of the block-schedule solver (CP-SAT adapter).

Usage: ``python benchmarks/schedule_bench.py [--runs N] [--workers W] [--seed S]``

* A realistic pain-medicine year: 12 fellows x 26 two-week blocks x 15 rotations (chronic
  pain clinic, interventional suite, acute pain service, inpatient consults, cancer
  pain/palliative, pediatric pain, regional anesthesia, neurology/headache, pain
  psychology, PM&R/physical therapy, neuroradiology, research, elective, addiction
  medicine, vacation), per-fellow minimum/maximum blocks per rotation (minimums sum to 24
  of 26 blocks), per-block capacities and minimum staffing with holiday and orientation
  overrides, exactly 2 vacation blocks per fellow outside the first 2 blocks, two
  precedences, a few fixed blocks and 5 weighted requests per fellow (seeded).
  Target: a PROVEN optimum in <= 10 s (median of ``--runs``), the same schedule on every
  run; then ``--draws`` other seeded request draws, each proven optimal in <= 10 s.
* Two infeasible variants (pediatric-pain capacity too small for the per-fellow minimum;
  a fixed block contradicting a precedence): each explained in <= 10 s by a conflicting
  set naming the planted requirements. The explanation is printed.

The durations are demo data in the spirit of the Mayo schedules in ``training-rules.md``
§1.4, not ACGME rules (those are UNCONFIRMED). Timings are medians; the machine is shared,
so the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from dataclasses import replace
from datetime import date

from painfellow.core.scheduling import (
    BlockCalendar,
    BlockCount,
    BlockStaffing,
    Contiguity,
    Fellow,
    FixedAssignment,
    Precedence,
    Request,
    Rotation,
    ScheduleProblem,
    Unavailability,
    VacationRule,
    check_schedule,
    list_requirements,
)
from painfellow.training.scheduler_cpsat import SolveOutcome, solve_schedule

TARGET_SECONDS = 10.0
N_FELLOWS = 12
N_BLOCKS = 26
SOURCE = "demo program policy (ACGME durations UNCONFIRMED, training-rules.md §1.4)"

# id, name, capacity per block, min per block, per-fellow min blocks, per-fellow max blocks
ROTATIONS: tuple[tuple[str, str, int, int, int, int], ...] = (
    ("chronic", "Chronic pain clinic", 6, 2, 8, 11),
    ("interventional", "Interventional suite", 3, 1, 3, 5),
    ("acute", "Acute pain service", 2, 1, 2, 3),
    ("consults", "Inpatient pain consults", 1, 0, 1, 2),
    ("cancer", "Cancer pain / palliative care", 1, 0, 1, 2),
    ("peds", "Pediatric pain", 1, 0, 1, 1),
    ("regional", "Regional anesthesia", 2, 0, 1, 2),
    ("neuro", "Neurology (headache clinic)", 1, 0, 1, 1),
    ("psych", "Pain psychology", 1, 0, 1, 1),
    ("pmr", "PM&R / physical therapy", 1, 0, 1, 2),
    ("neurorad", "Neuroradiology", 1, 0, 0, 1),
    ("research", "Research", 2, 0, 1, 2),
    ("elective", "Elective", 2, 0, 0, 2),
    ("addiction", "Addiction medicine", 1, 0, 1, 1),
    ("vacation", "Vacation", 2, 0, 2, 2),
)


def build_problem(seed: int = 2025) -> ScheduleProblem:
    """The feasible benchmark year (seeded requests)."""
    rng = random.Random(seed)
    fellows = tuple(Fellow(f"f{i + 1:02d}", f"Fellow {chr(65 + i)}") for i in range(N_FELLOWS))
    rotations = tuple(Rotation(rid, name, cap, lo) for rid, name, cap, lo, _, _ in ROTATIONS)
    counts = tuple(
        BlockCount(rid, lo, hi, source=SOURCE)
        for rid, _, _, _, lo, hi in ROTATIONS
        if rid != "vacation"
    )
    calendar = BlockCalendar.regular(date(2025, 7, 1), N_BLOCKS, days=14)
    staffing = (
        # Orientation: attendings staff the suite in block 1 (no fellow has done regional yet).
        BlockStaffing("interventional", (0,), 0, 3, source="orientation"),
        # Holidays: electives closed, the clinic needs more fellows.
        BlockStaffing("elective", (12, 13), 0, 0, source="holiday closure"),
        BlockStaffing("chronic", (12, 13), 3, 6, source="holiday coverage"),
    )
    vacations = (VacationRule("vacation", 2, 2, blocked_blocks=(0, 1), source="GME policy"),)
    precedences = (
        Precedence("regional", "interventional", source="program: ultrasound skills first"),
        Precedence(
            "psych", "addiction", source="program: pain psychology before addiction medicine"
        ),
    )
    fixed = (
        FixedAssignment("f03", 8, "research", source="conference presentation"),
        FixedAssignment("f07", 20, "peds", source="pediatric attending availability"),
        FixedAssignment("f05", 25, "vacation", source="approved leave"),
    )
    wishes = ("elective", "research", "neurorad", "peds", "cancer", "regional")
    requests: list[Request] = []
    for f in fellows:
        # Two vacation wishes, half of them around the holidays (blocks 13-14) or the last
        # block, where only 2 fellows can be away: contested on purpose.
        for _ in range(2):
            popular = rng.random() < 0.5
            block = rng.choice((12, 13, 25)) if popular else rng.randrange(2, N_BLOCKS)
            requests.append(Request(f.id, block, "vacation", weight=rng.randint(2, 5)))
        for _ in range(3):
            block = rng.randrange(2, N_BLOCKS)
            if rng.random() < 0.3:
                weight = rng.randint(1, 3)
                requests.append(Request(f.id, block, "chronic", wants=False, weight=weight))
            else:
                requests.append(Request(f.id, block, rng.choice(wishes), weight=rng.randint(1, 5)))
    return ScheduleProblem(
        fellows=fellows,
        rotations=rotations,
        calendar=calendar,
        block_counts=counts,
        staffing=staffing,
        vacations=vacations,
        precedences=precedences,
        fixed=fixed,
        requests=tuple(requests),
    )


def capacity_variant(problem: ScheduleProblem) -> tuple[ScheduleProblem, set[str]]:
    """Every fellow needs 3 pediatric blocks (36) but the rotation takes 1 per block (26)."""
    counts = list(problem.block_counts)
    i = next(i for i, c in enumerate(counts) if c.rotation_id == "peds")
    counts[i] = replace(counts[i], min_blocks=3, max_blocks=3)
    return replace(problem, block_counts=tuple(counts)), {"capacity:peds", f"block_count#{i}"}


def precedence_variant(problem: ScheduleProblem) -> tuple[ScheduleProblem, set[str]]:
    """Fellow A is fixed on the interventional suite in block 1: no regional before it."""
    fixed = (*problem.fixed, FixedAssignment("f01", 0, "interventional", source="planted"))
    return replace(problem, fixed=fixed), {"precedence#0", f"fixed#{len(fixed) - 1}"}


def availability_variant(problem: ScheduleProblem) -> ScheduleProblem:
    """Per-fellow unavailability (courses, site restrictions) and multi-block rotations
    that must be taken in consecutive blocks."""
    contiguous = tuple(
        Contiguity(rid, source="program: multi-block rotation taken in a row")
        for rid in ("acute", "consults", "cancer", "regional", "pmr", "research")
    )
    unavailable = (
        Unavailability("f02", "acute", tuple(range(6)), source="away at a course"),
        Unavailability("f04", "interventional", tuple(range(10, 16)), source="site badge pending"),
        Unavailability("f09", "chronic", (20, 21, 22), source="clinic relocation"),
        Unavailability("f11", "research", tuple(range(13)), source="mentor on sabbatical"),
    )
    return replace(problem, contiguous=contiguous, unavailable=unavailable)


def contiguity_variant(problem: ScheduleProblem) -> tuple[ScheduleProblem, set[str]]:
    """Fellow A is fixed on acute pain in blocks 4 and 8, acute blocks must be consecutive,
    and a fellow does at most 3 acute blocks: 4..8 is five."""
    base = availability_variant(problem)
    n = len(base.fixed)
    fixed = (
        *base.fixed,
        FixedAssignment("f01", 3, "acute", source="planted"),
        FixedAssignment("f01", 7, "acute", source="planted"),
    )
    i = next(i for i, c in enumerate(base.block_counts) if c.rotation_id == "acute")
    return replace(base, fixed=fixed), {f"block_count#{i}", f"fixed#{n}", f"fixed#{n + 1}",
                                        "contiguous#0"}  # fmt: skip


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} (cpu_count {os.cpu_count()})"


def timed_runs(problem: ScheduleProblem, runs: int, workers: int, seed: int) -> list[SolveOutcome]:
    return [
        solve_schedule(problem, time_limit_s=TARGET_SECONDS, workers=workers, seed=seed)
        for _ in range(runs)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--draws", type=int, default=5, help="other seeded request draws to solve once each"
    )
    args = parser.parse_args(argv)
    ok = True
    problem = build_problem()
    n_req = len(list_requirements(problem))
    print(
        f"problem: {len(problem.fellows)} fellows x {problem.n_blocks} blocks x "
        f"{len(problem.rotations)} rotations, {n_req} requirement groups, "
        f"{len(problem.requests)} requests (total weight {sum(q.weight for q in problem.requests)})"
    )
    print(f"before: {load()}")

    outcomes = timed_runs(problem, args.runs, args.workers, args.seed)
    times = [o.wall_time_s for o in outcomes]
    first = outcomes[0]
    statuses = sorted({o.status for o in outcomes})
    same = all(o.schedule == first.schedule for o in outcomes)
    clean = all(
        o.schedule is not None and not check_schedule(problem, o.schedule) for o in outcomes
    )
    med = statistics.median(times)
    passed = statuses == ["optimal"] and med <= TARGET_SECONDS and clean and same
    ok &= passed
    print(
        f"[{'PASS' if passed else 'FAIL'}] optimal solve: median {med:.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}, runs {len(times)}, workers {args.workers}); "
        f"status {'/'.join(statuses)}; objective {first.objective} of "
        f"{first.total_request_weight} (bound {first.bound}); requests honoured "
        f"{first.honoured_requests}/{first.n_requests}; check_schedule violations 0: {clean}; "
        f"identical schedules across runs: {same}"
    )

    if args.draws:
        draw_times: list[float] = []
        draw_ok = True
        for draw in range(1, args.draws + 1):
            other = build_problem(seed=draw)
            [o] = timed_runs(other, 1, args.workers, args.seed)
            draw_times.append(o.wall_time_s)
            draw_ok &= o.status == "optimal" and o.wall_time_s <= TARGET_SECONDS
        ok &= draw_ok
        print(
            f"[{'PASS' if draw_ok else 'FAIL'}] other request draws (seeds 1..{args.draws}, one "
            f"run each): all proven optimal <= {TARGET_SECONDS:.0f} s: {draw_ok}; median "
            f"{statistics.median(draw_times):.2f} s, max {max(draw_times):.2f} s"
        )

    rich = availability_variant(problem)
    rich_outs = timed_runs(rich, args.runs, args.workers, args.seed)
    rich_med = statistics.median(o.wall_time_s for o in rich_outs)
    rich_clean = all(
        o.schedule is not None and not check_schedule(rich, o.schedule) for o in rich_outs
    )
    passed = (
        all(o.status == "optimal" for o in rich_outs) and rich_clean and rich_med <= TARGET_SECONDS
    )
    ok &= passed
    print(
        f"[{'PASS' if passed else 'FAIL'}] with {len(rich.unavailable)} unavailabilities and "
        f"{len(rich.contiguous)} contiguous-block rules: median {rich_med:.2f} s (max "
        f"{max(o.wall_time_s for o in rich_outs):.2f}); status "
        f"{'/'.join(sorted({o.status for o in rich_outs}))}; objective {rich_outs[0].objective} "
        f"of {rich_outs[0].total_request_weight}; check_schedule violations 0: {rich_clean}"
    )

    for label, variant in (
        ("capacity too small for minimums", capacity_variant),
        ("fixed block vs precedence", precedence_variant),
        ("fixed blocks vs contiguous rotation and its maximum", contiguity_variant),
    ):
        bad, planted = variant(problem)
        outs = timed_runs(bad, args.runs, args.workers, args.seed)
        t = statistics.median(o.wall_time_s for o in outs)
        o = outs[0]
        keys = {item.key for item in o.explanation}
        passed = (
            all(x.status == "infeasible" for x in outs)
            and keys == planted
            and o.explanation_minimal
            and t <= TARGET_SECONDS
        )
        ok &= passed
        print(
            f"[{'PASS' if passed else 'FAIL'}] infeasible ({label}): median {t:.2f} s "
            f"(runs {len(outs)}); {len(o.explanation)} requirement(s), minimal: "
            f"{o.explanation_minimal}; expected {sorted(planted)}, got {sorted(keys)}"
        )
        print(f"    {o.message}")
        for item in o.explanation:
            print(
                f"    - [{item.key}] {item.text}"
                + (f" (source: {item.source})" if item.source else "")
            )

    print(f"after: {load()}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
