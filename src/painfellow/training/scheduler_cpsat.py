"""Block-schedule solver: the core scheduling model encoded for OR-Tools CP-SAT.

The hard requirements are exactly those checked by
:func:`painfellow.core.scheduling.check_schedule` (the program's own data; ACGME rotation
durations are UNCONFIRMED, ``training-rules.md`` §1.4); every schedule returned here is
re-checked with it. The objective maximises the total weight of honoured requests.

Search: a single-thread clause-learning stage (reproducible; on these models it proves
optima several times faster than the LP workers), and, with ``workers > 1``, when that
stage exhausts its deterministic work budget, an interleaved (reproducible) LP/non-LP
portfolio warm-started from its best schedule.

When the requirements contradict each other, the model is solved again with one
enforcement literal per requirement group (the keys of
:func:`painfellow.core.scheduling.list_requirements`) passed as assumptions
(``CpModel.add_assumptions``); CP-SAT's ``sufficient_assumptions_for_infeasibility`` gives
a conflicting set, which is then shrunk by deletion (drop one group, re-solve briefly,
keep it only if the rest becomes feasible) until every remaining group is needed, time
permitting. Redundant per-fellow, per-block and per-year totals let propagation refute
counting conflicts (pigeonhole), which assumption-based search otherwise finds slowly.

OR-Tools is imported on first use, not at import time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from painfellow.core.scheduling import (
    RequirementItem,
    Schedule,
    ScheduleProblem,
    check_schedule,
    list_requirements,
    request_score,
    staffing_overrides,
    validate_problem,
)

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

Status = Literal["optimal", "feasible", "infeasible", "unknown"]

#: Structural rule that is always on (not a requirement group, never in an explanation).
STRUCTURE_TEXT = "every fellow is on exactly one rotation in every block"


class SolverMismatch(RuntimeError):
    """The solver returned a schedule that ``check_schedule`` rejects (an encoding bug)."""


@dataclass(frozen=True)
class SolveOutcome:
    """Result of :func:`solve_schedule`.

    ``status``: ``optimal`` (objective proven best), ``feasible`` (time ran out with a
    schedule), ``infeasible`` (requirements contradict; see ``explanation``) or
    ``unknown`` (time ran out before any schedule or proof).
    ``objective`` is the honoured request weight of ``schedule`` and ``bound`` the best
    proven upper bound on it. ``explanation`` lists a conflicting set of requirement
    groups (together with :data:`STRUCTURE_TEXT`); ``explanation_minimal`` is true when
    every group in it was shown necessary (removing any one makes the rest feasible).
    """

    status: Status
    schedule: Schedule | None
    objective: int | None
    bound: int | None
    total_request_weight: int
    honoured_requests: int | None
    n_requests: int
    wall_time_s: float
    explanation: tuple[RequirementItem, ...] = ()
    explanation_minimal: bool = False
    message: str = ""


class _Encoding:
    """The CP-SAT model of one problem.

    With ``enforce=False`` every requirement is hard. With ``enforce=True`` each
    requirement group is guarded by its own literal (``self.lits[key]``) so it can be
    switched on by assumptions.
    """

    def __init__(self, problem: ScheduleProblem, *, enforce: bool, objective: bool) -> None:
        from ortools.sat.python import cp_model

        self.problem = problem
        self.model = cp_model.CpModel()
        self.enforce = enforce
        self.lits: dict[str, cp_model.IntVar] = {}
        m = self.model
        n = problem.n_blocks
        self.fellow_ids = [f.id for f in problem.fellows]
        self.rotation_ids = [r.id for r in problem.rotations]
        self.x: dict[tuple[str, int, str], cp_model.IntVar] = {
            (f, b, r): m.new_bool_var(f"x[{f},{b},{r}]")
            for f in self.fellow_ids
            for b in range(n)
            for r in self.rotation_ids
        }
        x = self.x
        n_fellows = len(self.fellow_ids)
        for f in self.fellow_ids:
            for b in range(n):
                m.add_exactly_one(x[(f, b, r)] for r in self.rotation_ids)
        # Counting variables and the redundant totals they must meet. Together with the
        # aggregated (redundant) bounds below they let propagation alone refute counting
        # conflicts such as "12 fellows x 3 blocks > 26 blocks x 1 place", which a SAT
        # search with assumptions otherwise finds slowly (pigeonhole).
        col = {
            (b, r): m.new_int_var(0, n_fellows, f"col[{b},{r}]")
            for b in range(n)
            for r in self.rotation_ids
        }
        cnt = {
            (f, r): m.new_int_var(0, n, f"cnt[{f},{r}]")
            for f in self.fellow_ids
            for r in self.rotation_ids
        }
        tot = {r: m.new_int_var(0, n * n_fellows, f"tot[{r}]") for r in self.rotation_ids}
        for r in self.rotation_ids:
            for b in range(n):
                m.add(col[(b, r)] == sum(x[(f, b, r)] for f in self.fellow_ids))
            for f in self.fellow_ids:
                m.add(cnt[(f, r)] == sum(x[(f, b, r)] for b in range(n)))
            m.add(tot[r] == sum(cnt[(f, r)] for f in self.fellow_ids))
        for b in range(n):
            m.add(sum(col[(b, r)] for r in self.rotation_ids) == n_fellows)
        for f in self.fellow_ids:
            m.add(sum(cnt[(f, r)] for r in self.rotation_ids) == n)

        overrides = staffing_overrides(problem)
        for rot in problem.rotations:
            year_hi, year_lo = 0, 0
            hi_keys: set[str] = set()
            lo_keys: set[str] = set()
            for b in range(n):
                bounds: list[tuple[str, int, int]] = []
                if (rot.id, b) in overrides:
                    for i in overrides[(rot.id, b)]:
                        s = problem.staffing[i]
                        top = n_fellows if s.max_fellows is None else s.max_fellows
                        bounds.append((f"staffing#{i}", s.min_fellows, top))
                else:
                    bounds.append((f"capacity:{rot.id}", 0, rot.capacity_per_block))
                    if rot.min_per_block > 0:
                        bounds.append((f"min_staffing:{rot.id}", rot.min_per_block, n_fellows))
                for key, lo, hi in bounds:
                    self._linear(col[(b, rot.id)], lo, hi, key)
                cell_hi = min((hi, key) for key, _, hi in bounds)
                year_hi += cell_hi[0]
                hi_keys.add(cell_hi[1])
                cell_lo = max((lo, key) for key, lo, _ in bounds)
                if cell_lo[0] > 0:
                    year_lo += cell_lo[0]
                    lo_keys.add(cell_lo[1])
            self._linear(tot[rot.id], 0, min(year_hi, n * n_fellows), *sorted(hi_keys))
            if lo_keys:
                self._linear(tot[rot.id], year_lo, n * n_fellows, *sorted(lo_keys))

        counted = [
            (f"block_count#{i}", c.rotation_id, c.min_blocks, c.max_blocks, c.fellow_ids)
            for i, c in enumerate(problem.block_counts)
        ] + [
            (f"vacation#{i}", v.rotation_id, v.min_blocks, v.max_blocks, v.fellow_ids)
            for i, v in enumerate(problem.vacations)
        ]
        for key, r, lo, max_blocks, scope_ids in counted:
            hi = n if max_blocks is None else max_blocks
            scope = problem.fellow_scope(scope_ids)
            for f in scope:
                self._linear(cnt[(f, r)], lo, hi, key)
            top = n * n_fellows if scope_ids else min(n * n_fellows, hi * n_fellows)
            self._linear(tot[r], lo * len(set(scope)), top, key)

        for i, v in enumerate(problem.vacations):
            for f in problem.fellow_scope(v.fellow_ids):
                for b in sorted(set(v.blocked_blocks)):
                    self._clause([~x[(f, b, v.rotation_id)]], f"vacation#{i}")

        for i, p in enumerate(problem.precedences):
            key = f"precedence#{i}"
            for f in problem.fellow_scope(p.fellow_ids):
                # started[b]: the fellow has been on `after` in some block <= b (may be
                # over-approximated by the solver, which only tightens the rule).
                started = [m.new_bool_var(f"started[{i},{f},{b}]") for b in range(n)]
                for b in range(n):
                    m.add_implication(x[(f, b, p.after_id)], started[b])
                    if b:
                        m.add_implication(started[b - 1], started[b])
                    # No block of `before` at or after the first block of `after` ...
                    self._clause([~x[(f, b, p.before_id)], ~started[b]], key)
                    # ... and at least one block of `before` before it.
                    earlier = [x[(f, e, p.before_id)] for e in range(b)]
                    self._clause([~x[(f, b, p.after_id)], *earlier], key)

        for i, a in enumerate(problem.fixed):
            self._clause([x[(a.fellow_id, a.block, a.rotation_id)]], f"fixed#{i}")

        for i, u in enumerate(problem.unavailable):
            for b in sorted(set(u.blocks)):
                self._clause([~x[(u.fellow_id, b, u.rotation_id)]], f"unavailable#{i}")

        for i, k in enumerate(problem.contiguous):
            key = f"contiguous#{i}"
            for f in problem.fellow_scope(k.fellow_ids):
                # starts[b] marks a block of the rotation not preceded by one; a single run
                # has at most one start.
                starts = [m.new_bool_var(f"run_start[{i},{f},{b}]") for b in range(n)]
                for b in range(n):
                    before = [x[(f, b - 1, k.rotation_id)]] if b else []
                    self._clause([~x[(f, b, k.rotation_id)], *before, starts[b]], key)
                self._linear(sum(starts), 0, 1, key)

        if objective and problem.requests:
            terms: list[cp_model.LinearExprT] = []
            for q in problem.requests:
                var = x[(q.fellow_id, q.block, q.rotation_id)]
                terms.append(q.weight * var if q.wants else q.weight * (1 - var))
            m.maximize(sum(terms))

    def _lit(self, key: str) -> cp_model.IntVar:
        lit = self.lits.get(key)
        if lit is None:
            lit = self.lits[key] = self.model.new_bool_var(f"enforce[{key}]")
        return lit

    def _linear(self, expr: cp_model.LinearExprT, lo: int, hi: int, *keys: str) -> None:
        """``lo <= expr <= hi``, guarded by the literals of ``keys`` (all must hold)."""
        ct = self.model.add_linear_constraint(expr, lo, hi)
        if self.enforce and keys:
            ct.only_enforce_if([self._lit(k) for k in keys])

    def _clause(self, literals: list[cp_model.LiteralT], key: str) -> None:
        ct = self.model.add_bool_or(literals)
        if self.enforce:
            ct.only_enforce_if(self._lit(key))

    def schedule(self, solver: cp_model.CpSolver) -> Schedule:
        rows: dict[str, tuple[str | None, ...]] = {}
        for f in self.fellow_ids:
            row: list[str | None] = []
            for b in range(self.problem.n_blocks):
                chosen = [r for r in self.rotation_ids if solver.boolean_value(self.x[(f, b, r)])]
                row.append(chosen[0] if len(chosen) == 1 else None)
            rows[f] = tuple(row)
        return Schedule(rows)


def _solver(
    *,
    time_limit_s: float,
    seed: int,
    workers: int = 1,
    linearization: int = 0,
    deterministic_limit: float | None = None,
    portfolio: bool = False,
    presolve: bool = True,
) -> cp_model.CpSolver:
    """A CP-SAT solver whose search is reproducible for ``seed`` (unless a wall limit hits).

    Single worker by default, with a pure clause-learning search (``linearization`` 0):
    on block-schedule models it finds and proves optima several times faster than the LP
    workers. ``portfolio`` runs ``workers`` threads as an interleaved (deterministic)
    portfolio of LP and non-LP subsolvers instead. ``presolve=False`` skips presolve, which
    dominates the time of the short assumption probes of an explanation.
    """
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(time_limit_s, 0.01)
    params.random_seed = seed
    if not presolve:
        params.cp_model_presolve = False
        params.cp_model_probing_level = 0
    if deterministic_limit is not None:
        params.max_deterministic_time = deterministic_limit
    if portfolio and workers > 1:
        params.num_workers = workers
        params.interleave_search = True  # the only reproducible parallel mode
        params.subsolvers.extend(["default_lp", "no_lp", "max_lp"])
    else:
        params.num_workers = 1
        params.linearization_level = linearization
    return solver


def _explain(
    problem: ScheduleProblem, *, deadline: float, seed: int, probe_limit_s: float
) -> tuple[tuple[RequirementItem, ...], bool, str]:
    """A small conflicting set of requirement groups, shrunk by deletion while time lasts.

    Single-worker solves, so the result is reproducible for a seed unless a time limit
    is hit. Returns (items, proven minimal, note).
    """
    from ortools.sat.python import cp_model

    items = {item.key: item for item in list_requirements(problem)}
    enc = _Encoding(problem, enforce=True, objective=False)
    order = [k for k in items if k in enc.lits]
    by_index = {enc.lits[k].index: k for k in order}

    def solve(keys: list[str], probe_s: float) -> tuple[cp_model.CpSolverStatus, list[str]]:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return cp_model.UNKNOWN, []
        enc.model.clear_assumptions()
        enc.model.add_assumptions([enc.lits[k] for k in keys])
        limit = min(remaining, probe_s)
        # Plain clause learning first (fast; the redundant totals of the encoding let
        # propagation refute counting conflicts), then presolve and the LP if undecided.
        solver = _solver(
            time_limit_s=remaining, seed=seed, deterministic_limit=limit / 2, presolve=False
        )
        status = solver.solve(enc.model)
        if status == cp_model.UNKNOWN and deadline - time.perf_counter() > 0:
            limit = min(deadline - time.perf_counter(), limit)
            solver = _solver(time_limit_s=limit, seed=seed, linearization=2)
            status = solver.solve(enc.model)
        core: list[str] = []
        if status == cp_model.INFEASIBLE:
            found = {by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
            core = [k for k in keys if k in found]
        return status, core

    # The first solve may use all the time left; each deletion probe is short.
    status, core = solve(order, deadline - time.perf_counter())
    if status != cp_model.INFEASIBLE:
        return (), False, "no conflicting set found before the time limit"
    if not core:  # CP-SAT may leave the set empty (infeasible without assumptions)
        core = order
    necessary: list[str] = []
    pending = list(core)
    minimal = True
    while pending:
        key = pending.pop(0)
        status, smaller = solve(necessary + pending, probe_limit_s)
        if status == cp_model.INFEASIBLE:
            keep = set(smaller) if smaller else set(necessary + pending)
            pending = [k for k in pending if k in keep]
        elif status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            necessary.append(key)
        else:  # time ran out: keep the rest unproven
            necessary.append(key)
            necessary.extend(pending)
            pending = []
            minimal = False
    chosen = set(necessary)
    result = tuple(items[k] for k in order if k in chosen)
    note = "minimal" if minimal else "not proven minimal (time limit)"
    return result, minimal, note


def solve_schedule(
    problem: ScheduleProblem,
    *,
    time_limit_s: float = 10.0,
    workers: int = 2,
    seed: int = 0,
) -> SolveOutcome:
    """Best block schedule for ``problem``: all hard requirements met, request weight maximal.

    Enforces the program's requirements as checked by ``check_schedule`` (sources: the
    program's own data; ACGME durations UNCONFIRMED, ``training-rules.md`` §1.4) and
    maximises the weight of honoured requests. On contradiction, returns status
    ``infeasible`` with a small (when time allows, minimal) conflicting set of requirement
    groups in words. ``time_limit_s`` bounds the whole call (solve plus explanation).
    Reproducible for a given ``seed`` and ``workers`` as long as no time limit is hit.
    Raises ``InvalidProblem`` for an invalid problem and :class:`SolverMismatch` if a
    returned schedule fails ``check_schedule``.
    """
    t0 = time.perf_counter()
    from ortools.sat.python import cp_model

    validate_problem(problem)
    deadline = t0 + time_limit_s
    total_weight = sum(q.weight for q in problem.requests)
    enc = _Encoding(problem, enforce=False, objective=True)
    # Stage 1: single-thread clause learning; with more workers it gets a deterministic
    # work budget and stage 2 (an interleaved LP/non-LP portfolio, warm-started from the
    # best schedule so far) takes over if stage 1 has not finished.
    stage1_limit = None if workers <= 1 else max(1.0, 0.4 * time_limit_s)
    solver = _solver(time_limit_s=time_limit_s, seed=seed, deterministic_limit=stage1_limit)
    status = solver.solve(enc.model)
    bounds = [solver.best_objective_bound] if status == cp_model.FEASIBLE else []
    remaining = deadline - time.perf_counter()
    if status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and workers > 1 and remaining > 0.05:
        if status == cp_model.FEASIBLE:
            for var in enc.x.values():
                enc.model.add_hint(var, solver.boolean_value(var))
        stage2 = _solver(time_limit_s=remaining, seed=seed, workers=workers, portfolio=True)
        status2 = stage2.solve(enc.model)
        if status2 == cp_model.FEASIBLE:
            bounds.append(stage2.best_objective_bound)
        if status2 in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or (
            status2 == cp_model.FEASIBLE
            and (status == cp_model.UNKNOWN or stage2.objective_value >= solver.objective_value)
        ):
            solver, status = stage2, status2

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        schedule = enc.schedule(solver)
        violations = check_schedule(problem, schedule)
        if violations:
            raise SolverMismatch("; ".join(v.message for v in violations))
        score = request_score(problem, schedule)
        bound = math.floor(min(bounds) + 1e-6) if bounds and problem.requests else total_weight
        optimal = status == cp_model.OPTIMAL
        wall = time.perf_counter() - t0
        return SolveOutcome(
            status="optimal" if optimal else "feasible",
            schedule=schedule,
            objective=score.honoured_weight,
            bound=score.honoured_weight if optimal else bound,
            total_request_weight=total_weight,
            honoured_requests=len(score.honoured),
            n_requests=len(problem.requests),
            wall_time_s=wall,
            message=(
                f"honours requests worth {score.honoured_weight} of {total_weight}"
                + ("" if optimal else f" (best possible at most {bound}; time limit reached)")
            ),
        )

    if status == cp_model.INFEASIBLE:
        explanation, minimal, note = _explain(
            problem,
            deadline=deadline,
            seed=seed,
            probe_limit_s=max(1.0, time_limit_s / 5),
        )
        wall = time.perf_counter() - t0
        if explanation:
            lines = "; ".join(item.text for item in explanation)
            message = f"No schedule meets these requirements together ({note}): {lines}"
        else:
            message = f"No schedule meets all requirements; {note}"
        return SolveOutcome(
            status="infeasible",
            schedule=None,
            objective=None,
            bound=None,
            total_request_weight=total_weight,
            honoured_requests=None,
            n_requests=len(problem.requests),
            wall_time_s=wall,
            explanation=explanation,
            explanation_minimal=minimal,
            message=message,
        )

    if status == cp_model.MODEL_INVALID:  # an encoding bug, not a user error
        raise SolverMismatch(f"CP-SAT rejected the model: {solver.solution_info()}")
    return SolveOutcome(
        status="unknown",
        schedule=None,
        objective=None,
        bound=None,
        total_request_weight=total_weight,
        honoured_requests=None,
        n_requests=len(problem.requests),
        wall_time_s=time.perf_counter() - t0,
        message="time limit reached before a schedule or a proof of infeasibility was found",
    )
