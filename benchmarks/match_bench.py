"""Benchmark of the match engine and the ``painfellow match`` command.

Usage: ``python benchmarks/match_bench.py [--quick]``

* National scale (NRMP main residency match size): 50,000 applicants, 6,400 programs,
  about 43,000 positions, about 12 ranks per applicant, correlated preferences (a common
  program quality and a common applicant strength, each plus idiosyncratic noise),
  programs ranking only applicants who ranked them, minus a few; 600 couples and 20
  reversion pairs. Targets: ``painfellow match run`` end to end <= 1.0 s, solve <= 0.3 s,
  peak RSS of the command <= 500 MB.
* Comparison with the PyPI ``matching`` package (HospitalResident, resident-optimal) on a
  15,000-applicant singles instance: the two results must be identical, and painfellow's
  whole CLI run (a subprocess: interpreter start, parse, validate, solve, write) must be
  >= 300x faster than that package's solve. Issue 3 puts that solve at 45-49 s and says it
  needs a raised recursion limit: that is ``HospitalResident.create_from_dictionaries``
  followed by ``solve()`` (creating the game deep-copies every player, which is what
  recurses; ``solve()`` alone takes about 1 s here), so the target is measured against
  both, and the ratio to ``solve()`` alone is printed too. Skipped with ``--quick``.
* Simulation: 1,000 runs of a pain-medicine-sized match (700 applicants, 115 programs)
  <= 5 s, for a program curve and for an applicant curve.

Timings are medians over several runs. The machine is shared, so the 1-minute load average
at the moment each figure was taken is printed next to it (and at the start and the end).
In-process timings run with the cyclic GC off, as ``timeit`` does; the CLI switches it off
itself for ``run``. Generation is seeded.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from painfellow.core.matching import instance_from_document, run_match
from painfellow.core.matching.engine import solve_compiled
from painfellow.core.matching.simulation import simulate
from painfellow.core.matching.validate import compile_document, compile_instance


def generate(
    n_apps: int,
    n_progs: int,
    n_positions: int,
    mean_ranks: float,
    seed: int,
    *,
    n_couples: int = 0,
    n_reversions: int = 0,
) -> dict[str, Any]:
    """A seeded instance with correlated preferences.

    Quotas are 1 + Poisson, scaled to ``n_positions``. Applicants draw ~3x their list
    length of candidate programs with probability proportional to quota * exp(0.3 *
    quality), then rank them by 0.6 * quality + N(0, 1); programs rank the
    applicants who ranked them by strength + N(0, 0.5) and leave out 3% of them (and keep at
    most the NRMP limit of 300, the ones they like best). Couples combine two members' lists into
    pairs ordered by the sum of the members' positions, ending with a "one partner
    unmatched" option.
    """
    rng = np.random.default_rng(seed)
    quality = rng.normal(size=n_progs)
    strength = rng.normal(size=n_apps)
    lengths = np.clip(np.rint(rng.normal(mean_ranks, 3.5, size=n_apps)), 2, 30).astype(int)
    width = int(lengths.max()) * 3
    raw = 1 + rng.poisson(max(n_positions / n_progs - 1, 0.1), size=n_progs)
    caps = np.maximum(1, np.rint(raw * n_positions / raw.sum())).astype(int)
    weights = caps * np.exp(0.3 * quality)
    cand = rng.choice(n_progs, size=(n_apps, width), p=weights / weights.sum())
    cand.sort(axis=1)
    util = 0.6 * quality[cand] + rng.normal(size=cand.shape)
    util[:, 1:][cand[:, 1:] == cand[:, :-1]] = -np.inf  # drop repeated candidates
    order = np.argsort(-util, axis=1)
    ranked = np.take_along_axis(cand, order, axis=1)
    ranked_util = np.take_along_axis(util, order, axis=1)
    keep = (np.arange(width)[None, :] < lengths[:, None]) & np.isfinite(ranked_util)
    rows, cols = np.nonzero(keep)
    progs_of_entry = ranked[rows, cols]
    app_lists: list[list[int]] = [[] for _ in range(n_apps)]
    for a, p in zip(rows.tolist(), progs_of_entry.tolist(), strict=True):
        app_lists[a].append(p)

    # Programs: rank the applicants who ranked them (minus 3%), by strength + noise.
    score = strength[rows] + rng.normal(0, 0.5, size=len(rows))
    ranked_back = rng.random(len(rows)) >= 0.03
    sel = np.nonzero(ranked_back)[0]
    po = sel[np.lexsort((-score[sel], progs_of_entry[sel]))]
    prog_lists: list[list[int]] = [[] for _ in range(n_progs)]
    for p, a in zip(progs_of_entry[po].tolist(), rows[po].tolist(), strict=True):
        prog_lists[p].append(a)

    app_names = [f"A{i:06d}" for i in range(n_apps)]
    prog_names = [f"P{i:05d}" for i in range(n_progs)]
    couples: list[dict[str, Any]] = []
    in_couple: set[int] = set()
    members = rng.permutation(n_apps)[: 2 * n_couples].tolist()
    for k in range(n_couples):
        m0, m1 = members[2 * k], members[2 * k + 1]
        l0, l1 = app_lists[m0][:8], app_lists[m1][:8]
        pairs = sorted(
            ((i + j, i, j) for i in range(len(l0)) for j in range(len(l1))),
        )[:24]
        rank_list: list[list[str | None]] = [
            [prog_names[l0[i]], prog_names[l1[j]]] for _, i, j in pairs
        ]
        if l0:
            rank_list.append([prog_names[l0[0]], None])
        couples.append({"ids": [app_names[m0], app_names[m1]], "rank_list": rank_list})
        in_couple.update((m0, m1))

    reversion: dict[int, int] = {}
    if n_reversions:
        tracks = rng.permutation(n_progs)[: 2 * n_reversions].tolist()
        for k in range(n_reversions):
            reversion[tracks[2 * k]] = tracks[2 * k + 1]

    programs = []
    for p in range(n_progs):
        entry: dict[str, Any] = {
            "id": prog_names[p],
            "capacity": int(caps[p]),
            "rank_list": [app_names[a] for a in prog_lists[p][:300]],
        }
        if p in reversion:
            entry["reversion_to"] = prog_names[reversion[p]]
        programs.append(entry)
    applicants = [
        {"id": app_names[a], "rank_list": [prog_names[p] for p in app_lists[a]]}
        for a in range(n_apps)
        if a not in in_couple
    ]
    doc: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if couples:
        doc["couples"] = couples
    return doc


def _painfellow_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("painfellow")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("painfellow")
    if found:
        return [found]
    return [sys.executable, "-m", "painfellow.cli.entry"]


def _time_cli(instance: Path, out: Path, repeats: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + sys of the child) of ``match run``."""
    times = []
    cpu = []
    cmd = [*_painfellow_cmd(), "match", "run", str(instance), "-o", str(out)]
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def _max_rss_mb(instance: Path, out: Path) -> float:
    """Max RSS of one ``match run``, measured by a small intermediate interpreter: a child
    forked from this (large) benchmark process would report this process's RSS."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    cmd = [*_painfellow_cmd(), "match", "run", str(instance), "-o", str(out)]
    done = subprocess.run(
        [sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1]) / 1024


def _median(fn: Callable[[], object], repeats: int) -> float:
    times = []
    gc.disable()
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        gc.enable()
    return statistics.median(times)


def _runs_in_c(instance: Path) -> bool:
    """Whether ``match run`` takes the C run for this document (``_fastrun.run_plain``)."""
    try:
        from painfellow.core.matching._fastrun import run_plain
    except ImportError:
        return False
    return run_plain(instance.read_bytes()) is not None


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def _matching_package_result(doc: dict[str, Any]) -> tuple[dict[str, str], float, float]:
    """Solve with the PyPI ``matching`` package; returns (matches, create s, solve s).

    That package needs lists reduced to mutually acceptable pairs (it raises when a
    resident ranks a hospital that did not rank them) and residents with empty lists
    removed (it indexes their first choice).
    """
    from matching.games import HospitalResident

    ranked_by = {p["id"]: set(p["rank_list"]) for p in doc["programs"]}
    resident_prefs: dict[str, list[str]] = {}
    for a in doc["applicants"]:
        mutual = [p for p in a["rank_list"] if a["id"] in ranked_by[p]]
        if mutual:
            resident_prefs[a["id"]] = mutual
    rank_of = {a: set(ps) for a, ps in resident_prefs.items()}
    hospital_prefs = {
        p["id"]: [a for a in p["rank_list"] if p["id"] in rank_of.get(a, ())]
        for p in doc["programs"]
    }
    capacities = {p["id"]: p["capacity"] for p in doc["programs"]}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 200_000))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        t1 = time.perf_counter()
        matching = game.solve(optimal="resident")
        t2 = time.perf_counter()
    matches = {r.name: h.name for h, rs in matching.items() for r in rs}
    return matches, t1 - t0, t2 - t1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the `matching` comparison")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7
    rows: list[tuple[str, str, str, bool, float]] = []

    def row(name: str, value: str, target: str, ok: bool) -> None:
        rows.append((name, value, target, ok, os.getloadavg()[0]))

    print(f"start: {_load()}")
    work = Path(tempfile.mkdtemp(prefix="match-bench-"))
    try:
        # -- national scale -------------------------------------------------------------
        t0 = time.perf_counter()
        doc = generate(50_000, 6_400, 43_000, 12, seed=2024, n_couples=600, n_reversions=20)
        gen_s = time.perf_counter() - t0
        inst_path = work / "national.json"
        inst_path.write_text(json.dumps(doc))
        n_entries = sum(len(a["rank_list"]) for a in doc["applicants"])
        positions = sum(p["capacity"] for p in doc["programs"])
        instance = instance_from_document(doc)
        comp = compile_instance(instance)
        result = run_match(instance)
        print(
            f"national instance: {len(doc['applicants'])} singles + "
            f"{2 * len(doc.get('couples', []))} in couples, {len(doc['programs'])} programs, "
            f"{positions} positions, {n_entries / len(doc['applicants']):.1f} ranks/single, "
            f"{inst_path.stat().st_size / 1e6:.1f} MB JSON (generated in {gen_s:.1f} s)"
        )
        print(
            f"  matched {len(result.matches)}, unfilled positions "
            f"{sum(result.unfilled.values())}, reversion rounds {result.rounds}, "
            f"remaining instabilities {len(result.instabilities)}"
        )
        compile_s = _median(lambda: compile_instance(instance), repeats)
        # The CLI path: a freshly parsed document each time (string hashes not yet cached).
        raw = inst_path.read_bytes()
        doc_s = _median(lambda: compile_document(json.loads(raw)), repeats) - _median(
            lambda: json.loads(raw), repeats
        )
        solve_s = _median(lambda: solve_compiled(comp), repeats)
        single_doc = generate(50_000, 6_400, 43_000, 12, seed=2024)
        comp_singles = compile_instance(instance_from_document(single_doc))
        solve_singles_s = _median(lambda: solve_compiled(comp_singles), repeats)
        row("validate + compile Instance, 50k (in process)", f"{compile_s:.3f} s", "(info)", True)
        row("validate + compile document, 50k (CLI path)", f"{doc_s:.3f} s", "(info)", True)
        row("solve, 50k incl. couples+reversions", f"{solve_s:.3f} s", "<= 0.300 s", solve_s <= 0.3)
        row("solve, 50k singles only (DA)", f"{solve_singles_s:.3f} s", "(info)", True)

        solve_full_s = _median(lambda: solve_compiled(comp, incremental=False), repeats)
        row("solve, 50k, reversion runs from scratch", f"{solve_full_s:.3f} s", "(info)", True)
        same_solve = solve_compiled(comp) == solve_compiled(comp, incremental=False)
        row("incremental reversions equal full re-runs", str(same_solve), "True", same_solve)

        row("`match run` 50k runs in C (it has couples)", str(_runs_in_c(inst_path)), "(info)",
            True)  # fmt: skip
        cli, cli_cpu = _time_cli(inst_path, work / "national-result.json", repeats)
        cli_s = statistics.median(cli)
        row("`painfellow match run`, 50k, end to end", f"{cli_s:.3f} s", "<= 1.000 s", cli_s <= 1.0)
        cpu_s = statistics.median(cli_cpu)
        row("  same, CPU time of the command (user+sys)", f"{cpu_s:.3f} s", "(info)", True)
        row(f"  same, fastest of {repeats} runs", f"{min(cli):.3f} s", "(info)", True)
        rss_mb = _max_rss_mb(inst_path, work / "national-result.json")
        row("peak RSS of `match run`, 50k", f"{rss_mb:.0f} MB", "<= 500 MB", rss_mb <= 500)
        written = json.loads((work / "national-result.json").read_text())
        same = written["matches"] == result.matches
        row("CLI result equals in-process result", str(same), "True", same)

        # -- comparison with the `matching` package -------------------------------------
        doc15 = generate(15_000, 1_920, 12_900, 12, seed=15)
        path15 = work / "n15k.json"
        path15.write_text(json.dumps(doc15))
        row("`match run` 15k runs in C (plain singles)", str(_runs_in_c(path15)), "(info)",
            True)  # fmt: skip
        cli15_all, cpu15_all = _time_cli(path15, work / "n15k-result.json", repeats)
        cli15 = statistics.median(cli15_all)
        row("`painfellow match run`, 15k, end to end", f"{cli15:.3f} s", "(info)", True)
        cpu15 = statistics.median(cpu15_all)
        row("  same, CPU time of the command (user+sys)", f"{cpu15:.3f} s", "(info)", True)
        row(f"  same, fastest of {repeats} runs", f"{min(cli15_all):.3f} s", "(info)", True)
        if args.quick:
            print("--quick: skipping the comparison with the `matching` package")
        else:
            ours = json.loads((work / "n15k-result.json").read_text())["matches"]
            print("solving the 15k instance with the PyPI `matching` package (slow) ...")
            theirs, create_s, their_s = _matching_package_result(doc15)
            identical = ours == theirs
            print(
                f"  `matching` create_from_dictionaries: {create_s:.1f} s, solve(): "
                f"{their_s:.1f} s; {len(theirs)} matches; identical to painfellow: {identical}"
                f" ({_load()})"
            )
            ratio = their_s / cli15
            ratio_all = (create_s + their_s) / cli15
            row("`matching` create_from_dictionaries, 15k", f"{create_s:.1f} s", "(info)", True)
            row("`matching` solve() alone, 15k", f"{their_s:.1f} s", "(info)", True)
            row("identical results, 15k", str(identical), "True", identical)
            row(
                "speed-up, CLI vs `matching` create+solve",
                f"{ratio_all:.0f}x",
                ">= 300x",
                ratio_all >= 300,
            )
            row("  CLI time that 300x needs here", f"{(create_s + their_s) / 300:.3f} s",
                "(info)", True)  # fmt: skip
            row("speed-up, CLI vs `matching` solve() alone", f"{ratio:.1f}x", "(info)", True)

        # -- simulation -----------------------------------------------------------------
        pain = instance_from_document(generate(700, 115, 400, 10, seed=7))
        sim_prog = max(pain.programs, key=lambda p: len(p.rank_list)).id
        sim_app = pain.applicants[350].id
        prog_s = _median(
            lambda: simulate(pain, program=sim_prog, runs=1000, noise_sd=1.5, seed=1), 3
        )
        app_s = _median(
            lambda: simulate(
                pain, applicant=sim_app, runs=1000, noise_sd=1.5, dropout=0.05, seed=1
            ),
            3,
        )
        curve = simulate(pain, program=sim_prog, runs=1000, noise_sd=1.5, seed=1).curve
        print(f"simulation, program {sim_prog}: " + ", ".join(f"{x}:{p:.2f}" for x, p in curve))
        row(
            "simulate 1000 runs, program curve (700/115)",
            f"{prog_s:.2f} s",
            "<= 5.00 s",
            prog_s <= 5,
        )
        row("simulate 1000 runs, applicant curve", f"{app_s:.2f} s", "<= 5.00 s", app_s <= 5)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure (median)':<{width}}  {'value':>10}  {'target':>11}  result  load")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 11}  ------  ----")
    for name, value, target, ok, load in rows:
        verdict = "" if target.startswith("(") else ("PASS" if ok else "FAIL")
        print(f"{name:<{width}}  {value:>10}  {target:>11}  {verdict:<6}  {load:.2f}")
    failed = [r for r in rows if not r[3] and not r[2].startswith("(")]
    print(f"\n{'ALL PASS' if not failed else f'{len(failed)} FAIL'} (cpus: {os.cpu_count()})")
    print(f"end: {_load()}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
