"""Monte-Carlo simulation of match outcomes under perturbed preferences.

Noise model (documented here and in :func:`simulate`): in every run, each rank list in the
instance (applicants', programs' and couples') is re-sorted by ``position + sd * Z`` with
``Z`` independent standard normal draws (stable sort, so ``sd = 0`` keeps every list);
then every applicant or couple other than the subject drops out independently with
probability ``dropout``. The subject's own list is perturbed too, then truncated:

* a program's list to its first ``L`` entries for ``L = step, 2*step, ...`` and its full
  length; the curve is P(program fills all its positions) against ``L``;
* an applicant's list to its first ``L`` entries, ``L = 1 .. length``; the curve is
  P(applicant is matched) against ``L``.

For instances without couples or reversions each run needs one deferred-acceptance run:
truncating an applicant's list below their match leaves them unmatched and above it changes
nothing (strategy-proofness, Dubins & Freedman 1981; Roth 1982), and a program truncating
its list at or below the depth it reached changes nothing, while shorter lists are handled
by continuing deferred acceptance from the previous outcome after rejecting the applicants
now off the list (every earlier rejection stays justified; McVitie & Wilson 1971, Gale &
Sotomayor 1985). With couples or reversions every truncation is a full run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from heapq import heapify

import numpy as np
import numpy.typing as npt

from painfellow.core.matching.deferred_acceptance import deferred_acceptance
from painfellow.core.matching.engine import run_match
from painfellow.core.matching.types import (
    Applicant,
    Couple,
    Instance,
    InvalidInstance,
    Program,
    SimulationResult,
)
from painfellow.core.matching.validate import compile_instance

IntArray = npt.NDArray[np.int64]


def _entries(lists: list[int]) -> tuple[IntArray, IntArray, IntArray]:
    """Owner, position and group start of every entry, lists given by their lengths."""
    lengths = np.asarray(lists, dtype=np.int64)
    starts = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    pos = np.arange(int(starts[-1]), dtype=np.int64) - starts[owner]
    return owner, pos, starts


class _Perturber:
    """Draws one run's perturbed orders of every list, identically for both solvers."""

    def __init__(self, instance: Instance, sd: float, dropout: float, seed: int) -> None:
        self.sd = sd
        self.dropout = dropout
        self.rng = np.random.default_rng(seed)
        self.a_owner, self.a_pos, self.a_start = _entries(
            [len(a.rank_list) for a in instance.applicants]
        )
        self.p_owner, self.p_pos, self.p_start = _entries(
            [len(p.rank_list) for p in instance.programs]
        )
        self.c_owner, self.c_pos, self.c_start = _entries(
            [len(c.rank_list) for c in instance.couples]
        )
        self.n_units = len(instance.applicants) + len(instance.couples)

    def _order(self, owner: IntArray, pos: IntArray) -> IntArray:
        if self.sd == 0 or len(pos) == 0:
            return np.arange(len(pos), dtype=np.int64)
        key = pos + self.sd * self.rng.standard_normal(len(pos))
        order: IntArray = np.lexsort((key, owner))
        return order

    def draw(self) -> tuple[IntArray, IntArray, IntArray, npt.NDArray[np.bool_]]:
        """Perturbed entry orders (applicants, programs, couples) and the dropout mask."""
        oa = self._order(self.a_owner, self.a_pos)
        op = self._order(self.p_owner, self.p_pos)
        oc = self._order(self.c_owner, self.c_pos)
        if self.dropout > 0:
            drop = self.rng.random(self.n_units) < self.dropout
        else:
            drop = np.zeros(self.n_units, dtype=np.bool_)
        return oa, op, oc, drop


def _grid(length: int, step: int) -> list[int]:
    xs = list(range(step, length, step))
    xs.append(length)
    return [x for x in xs if x > 0]


def simulate(
    instance: Instance,
    *,
    program: str | None = None,
    applicant: str | None = None,
    runs: int = 1000,
    noise_sd: float = 1.0,
    dropout: float = 0.0,
    seed: int = 0,
    step: int = 5,
    progress: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Estimate, over ``runs`` perturbed matches, how a program's chance of filling grows
    with the number of applicants it ranks, or an applicant's chance of matching with the
    length of their list.

    The noise model is the one in this module's docstring (re-sort every list by
    position + N(0, ``noise_sd``), drop out other participants with probability
    ``dropout``); runs use ``numpy.random.default_rng(seed)``, so a seed reproduces the
    curve. Each run is the match rule of :func:`run_match`. Exactly one of ``program``
    and ``applicant`` is given. ``progress`` is called with the number of runs done.
    """
    if (program is None) == (applicant is None):
        raise ValueError("give exactly one of program= and applicant=")
    if runs < 1 or step < 1 or noise_sd < 0 or not 0 <= dropout < 1:
        raise ValueError("runs and step must be >= 1, noise_sd >= 0 and 0 <= dropout < 1")
    comp = compile_instance(instance)
    if program is not None and program not in comp.program_ids:
        raise InvalidInstance(f"program {program!r}: not an active program of the instance")
    if applicant is not None and applicant not in comp.applicant_ids:
        raise InvalidInstance(f"applicant {applicant!r}: not an active applicant of the instance")
    fast = not comp.couple_members and all(t < 0 for t in comp.reversion_to)
    perturber = _Perturber(instance, noise_sd, dropout, seed)
    if fast:
        xs, hits = _run_fast(instance, perturber, program, applicant, runs, step, progress)
    else:
        xs, hits = _run_generic(instance, perturber, program, applicant, runs, step, progress)
    curve = tuple((x, round(h / runs, 6)) for x, h in zip(xs, hits, strict=True))
    return SimulationResult(
        subject=program if program is not None else str(applicant),
        subject_kind="program" if program is not None else "applicant",
        runs=runs,
        noise_sd=noise_sd,
        dropout=dropout,
        seed=seed,
        curve=curve,
    )


def _run_fast(
    instance: Instance,
    perturber: _Perturber,
    program: str | None,
    applicant: str | None,
    runs: int,
    step: int,
    progress: Callable[[int], None] | None,
) -> tuple[list[int], list[int]]:
    comp = compile_instance(instance)
    pidx = {pid: i for i, pid in enumerate(comp.program_ids)}
    aidx = {aid: i for i, aid in enumerate(comp.applicant_ids)}
    n_apps = len(comp.applicant_ids)
    n_progs = len(comp.program_ids)
    # Entry tables over the whole instance (withdrawn entries included, never matched).
    p_entry: dict[tuple[str, str], int] = {}
    p_app = np.full(len(perturber.p_pos), -1, dtype=np.int64)
    active_prog_rows: list[int] = []
    k = 0
    for row, prog in enumerate(instance.programs):
        if not prog.withdrawn:
            active_prog_rows.append(row)
        for aid in prog.rank_list:
            if not prog.withdrawn:
                p_entry[(prog.id, aid)] = k
                p_app[k] = aidx.get(aid, -1)
            k += 1
    a_prog = np.full(len(perturber.a_pos), -1, dtype=np.int64)
    a_mate = np.full(len(perturber.a_pos), -1, dtype=np.int64)
    app_row: dict[str, int] = {}
    k = 0
    for row, app in enumerate(instance.applicants):
        app_row[app.id] = row
        for pid in app.rank_list:
            if not app.withdrawn and pid in pidx:
                mate = p_entry.get((pid, app.id), -1)
                if mate >= 0:
                    a_prog[k] = pidx[pid]
                    a_mate[k] = mate
            k += 1
    counts = np.bincount(perturber.a_owner[a_mate >= 0], minlength=len(instance.applicants))
    active_rows = [r for r, a in enumerate(instance.applicants) if not a.withdrawn]
    m_off = np.zeros(n_apps + 1, dtype=np.int64)
    np.cumsum(counts[active_rows], out=m_off[1:])
    m_off_l: list[int] = m_off.tolist()
    p_start_l: list[int] = perturber.p_start.tolist()
    prog_bounds = [(p_start_l[r], p_start_l[r + 1]) for r in active_prog_rows]
    caps = [*comp.capacities, 0]  # a last, closed program stands for "off the list"
    dummy = n_progs
    row_of_app = np.asarray(active_rows, dtype=np.int64)
    # Unit of each compiled applicant in the dropout mask (singles are the first units).
    drop_unit = row_of_app

    sp = pidx[program] if program is not None else -1
    sa = aidx[applicant] if applicant is not None else -1
    if program is not None:
        length = len(instance.programs[active_prog_rows[sp]].rank_list)
        xs = _grid(length, step)
    else:
        length = len(instance.applicants[app_row[str(applicant)]].rank_list)
        xs = list(range(1, length + 1))
    hits = [0] * len(xs)

    for run in range(runs):
        oa, op, _, drop = perturber.draw()
        p_newpos = np.empty(len(op), dtype=np.int64)
        p_newpos[op] = perturber.p_pos  # positions are 0..len-1 within each group
        sel = oa[a_mate[oa] >= 0]
        progs_arr = a_prog[sel]
        progs_l: list[int] = progs_arr.tolist()
        ranks_arr = p_newpos[a_mate[sel]]
        ranks_l: list[int] = ranks_arr.tolist()
        app_progs = [progs_l[m_off_l[a] : m_off_l[a + 1]] for a in range(n_apps)]
        app_ranks = [ranks_l[m_off_l[a] : m_off_l[a + 1]] for a in range(n_apps)]
        papp_l: list[int] = p_app[op].tolist()
        prog_apps = [papp_l[s:e] for s, e in prog_bounds]
        prog_apps.append([])
        dropped = drop[drop_unit]
        if sa >= 0:
            dropped[sa] = False
        proposers = np.flatnonzero(~dropped).tolist()
        assign, heaps, nxt = deferred_acceptance(app_progs, app_ranks, prog_apps, caps, proposers)
        if sa >= 0:
            if assign[sa] >= 0:
                entry = int(sel[m_off_l[sa] + nxt[sa] - 1])
                row = int(row_of_app[sa])
                group = oa[perturber.a_start[row] : perturber.a_start[row + 1]]
                where = int(np.flatnonzero(group == entry)[0])
                got = where + 1  # 1-based place of the match in the perturbed full list
                for j, x in enumerate(xs):
                    if x >= got:
                        hits[j] += 1
        else:
            cap = caps[sp]
            h = heaps[sp]
            depth = max(-x for x in h) + 1 if h else 0
            full = len(h) >= cap
            # Entries pointing at the subject program, as (applicant, index, rank).
            ks = np.flatnonzero(progs_arr == sp)
            owners = np.searchsorted(m_off, ks, side="right") - 1
            to_sp = sorted(
                zip(
                    (-ranks_arr[ks]).tolist(),
                    owners.tolist(),
                    (ks - m_off[owners]).tolist(),
                    strict=True,
                )
            )
            for j in range(len(xs) - 1, -1, -1):
                limit = xs[j]
                if limit >= depth:
                    if full:
                        hits[j] += 1
                    continue
                # Truncate: applicants ranked at position >= limit can no longer match sp.
                while to_sp and -to_sp[0][0] >= limit:
                    _, a, i = to_sp.pop(0)
                    app_progs[a][i] = dummy
                h = heaps[sp]
                kicked = [-x for x in h if -x >= limit]
                if kicked:
                    h[:] = [x for x in h if -x < limit]
                    heapify(h)
                    back = [prog_apps[sp][r] for r in kicked]
                    for a in back:
                        assign[a] = -1
                    deferred_acceptance(
                        app_progs,
                        app_ranks,
                        prog_apps,
                        caps,
                        back,
                        heaps=heaps,
                        assign=assign,
                        nxt=nxt,
                    )
                h = heaps[sp]
                depth = max(-x for x in h) + 1 if h else 0
                full = len(h) >= cap
                if full:
                    hits[j] += 1
        if progress is not None:
            progress(run + 1)
    return xs, hits


def _perturbed_instance(
    instance: Instance,
    perturber: _Perturber,
    oa: IntArray,
    op: IntArray,
    oc: IntArray,
    drop: npt.NDArray[np.bool_],
    keep: str | None,
) -> Instance:
    a_items = [x for a in instance.applicants for x in a.rank_list]
    p_items = [x for p in instance.programs for x in p.rank_list]
    c_items = [x for c in instance.couples for x in c.rank_list]
    oa_l: list[int] = oa.tolist()
    op_l: list[int] = op.tolist()
    oc_l: list[int] = oc.tolist()
    a_st: list[int] = perturber.a_start.tolist()
    p_st: list[int] = perturber.p_start.tolist()
    c_st: list[int] = perturber.c_start.tolist()
    n_single = len(instance.applicants)
    apps = tuple(
        Applicant(
            a.id,
            tuple(a_items[k] for k in oa_l[a_st[i] : a_st[i + 1]]),
            a.withdrawn or (bool(drop[i]) and a.id != keep),
        )
        for i, a in enumerate(instance.applicants)
    )
    progs = tuple(
        replace(p, rank_list=tuple(p_items[k] for k in op_l[p_st[i] : p_st[i + 1]]))
        for i, p in enumerate(instance.programs)
    )
    couples = tuple(
        Couple(
            c.ids,
            tuple(c_items[k] for k in oc_l[c_st[i] : c_st[i + 1]]),
            c.withdrawn or (bool(drop[n_single + i]) and keep not in c.ids),
        )
        for i, c in enumerate(instance.couples)
    )
    return Instance(progs, apps, couples)


def _run_generic(
    instance: Instance,
    perturber: _Perturber,
    program: str | None,
    applicant: str | None,
    runs: int,
    step: int,
    progress: Callable[[int], None] | None,
) -> tuple[list[int], list[int]]:
    if program is not None:
        base = next(p for p in instance.programs if p.id == program)
        xs = _grid(len(base.rank_list), step)
    else:
        lengths = [len(a.rank_list) for a in instance.applicants if a.id == applicant]
        lengths += [len(c.rank_list) for c in instance.couples if applicant in c.ids]
        xs = list(range(1, lengths[0] + 1))
    hits = [0] * len(xs)
    for run in range(runs):
        oa, op, oc, drop = perturber.draw()
        inst = _perturbed_instance(instance, perturber, oa, op, oc, drop, applicant)
        for j, x in enumerate(xs):
            trial = _truncate(inst, program, applicant, x)
            result = run_match(trial)
            if program is not None:
                cap = next(p.capacity for p in instance.programs if p.id == program)
                if sum(1 for p in result.matches.values() if p == program) >= cap:
                    hits[j] += 1
            elif applicant in result.matches:
                hits[j] += 1
        if progress is not None:
            progress(run + 1)
    return xs, hits


def _truncate(inst: Instance, program: str | None, applicant: str | None, x: int) -> Instance:
    if program is not None:
        progs = tuple(
            Program(p.id, p.capacity, p.rank_list[:x], p.reversion_to, p.withdrawn)
            if p.id == program
            else p
            for p in inst.programs
        )
        return Instance(progs, inst.applicants, inst.couples)
    apps = tuple(
        Applicant(a.id, a.rank_list[:x], a.withdrawn) if a.id == applicant else a
        for a in inst.applicants
    )
    couples = tuple(
        Couple(c.ids, c.rank_list[:x], c.withdrawn) if applicant in c.ids else c
        for c in inst.couples
    )
    return Instance(inst.programs, apps, couples)
