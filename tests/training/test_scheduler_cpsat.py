"""The CP-SAT block-schedule solver against brute force over every schedule of small cases."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from painfellow.core.scheduling import (
    COVERAGE,
    BlockCalendar,
    BlockCount,
    BlockStaffing,
    Fellow,
    FixedAssignment,
    InvalidProblem,
    Precedence,
    Request,
    Rotation,
    Schedule,
    ScheduleProblem,
    VacationRule,
    check_schedule,
    list_requirements,
    request_score,
)
from painfellow.training import scheduler_cpsat
from painfellow.training.scheduler_cpsat import solve_schedule

START = date(2025, 7, 1)


def all_schedules(problem: ScheduleProblem) -> list[tuple[Schedule, frozenset[str], int]]:
    """Every complete schedule with the keys of the requirements it breaks and its score."""
    ids = [r.id for r in problem.rotations]
    n, fellows = problem.n_blocks, [f.id for f in problem.fellows]
    out = []
    for cells in itertools.product(ids, repeat=n * len(fellows)):
        schedule = Schedule({f: cells[i * n : (i + 1) * n] for i, f in enumerate(fellows)})
        broken = frozenset(v.requirement for v in check_schedule(problem, schedule))
        assert COVERAGE not in broken
        out.append((schedule, broken, request_score(problem, schedule).honoured_weight))
    return out


def brute_optimum(table: list[tuple[Schedule, frozenset[str], int]]) -> int | None:
    scores = [score for _, broken, score in table if not broken]
    return max(scores) if scores else None


def satisfiable(table: list[tuple[Schedule, frozenset[str], int]], keys: set[str]) -> bool:
    """Whether some schedule meets every requirement group in ``keys`` (others ignored)."""
    return any(not (broken & keys) for _, broken, _ in table)


def hand_problem(**overrides: object) -> ScheduleProblem:
    """2 fellows x 4 blocks; the optimum (8 of 12) is worked out by hand in the test."""
    problem = ScheduleProblem(
        fellows=(Fellow("ada", "Ada"), Fellow("ben", "Ben")),
        rotations=(
            Rotation("clinic", "Chronic pain clinic", 2),
            Rotation("suite", "Interventional suite", 1),
            Rotation("vac", "Vacation", 1),
        ),
        calendar=BlockCalendar.regular(START, 4),
        vacations=(VacationRule("vac", 1, 1, blocked_blocks=(0,)),),
        precedences=(Precedence("clinic", "suite"),),
        requests=(
            Request("ada", 3, "vac", weight=3),
            Request("ben", 3, "vac", weight=2),
            Request("ada", 1, "suite", weight=2),
            Request("ben", 2, "clinic", wants=False, weight=1),
            Request("ben", 1, "suite", weight=4),
        ),
    )
    return replace(problem, **overrides)


def test_hand_checked_optimum_matches_brute_force() -> None:
    # By hand: the suite takes one fellow in block 2, wanted by Ben (4) and Ada (2), and
    # vacation takes one in block 4, wanted by Ada (3) and Ben (2); so at least 2 + 2 of
    # the 12 is lost. 8 is reached: Ben clinic, suite, vacation, suite (not in the clinic in
    # block 3, never back in the clinic after the suite); Ada clinic x3, vacation.
    problem = hand_problem()
    table = all_schedules(problem)
    assert brute_optimum(table) == 8
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    assert outcome.status == "optimal"
    assert (outcome.objective, outcome.bound, outcome.total_request_weight) == (8, 8, 12)
    assert outcome.schedule is not None
    assert check_schedule(problem, outcome.schedule) == []
    assert request_score(problem, outcome.schedule).honoured == (0, 3, 4)
    assert outcome.schedule.rows["ben"] == ("clinic", "suite", "vac", "suite")
    assert outcome.honoured_requests == 3 and outcome.n_requests == 5


def test_infeasible_case_names_the_conflicting_requirements() -> None:
    # In block 1 nobody may take vacation and nobody may be in the suite before having been
    # in the clinic, so both fellows must be in a clinic that takes only one.
    rotations = list(hand_problem().rotations)
    rotations[0] = replace(rotations[0], capacity_per_block=1)
    problem = hand_problem(rotations=tuple(rotations))
    table = all_schedules(problem)
    assert brute_optimum(table) is None
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    assert outcome.status == "infeasible"
    assert outcome.schedule is None and outcome.objective is None
    assert {item.key for item in outcome.explanation} == {
        "capacity:clinic",
        "vacation#0",
        "precedence#0",
    }
    assert outcome.explanation_minimal
    for item in outcome.explanation:
        assert item.text in outcome.message
    assert "Chronic pain clinic takes at most 1 fellow per block" in outcome.message


def test_explanation_of_a_fixed_block_against_a_precedence() -> None:
    problem = hand_problem(fixed=(FixedAssignment("ben", 0, "suite", source="planted"),))
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    assert outcome.status == "infeasible"
    assert [item.key for item in outcome.explanation] == ["precedence#0", "fixed#0"]
    assert outcome.explanation[1].text == (
        "Ben is fixed on Interventional suite in block 1 (2025-07-01)"
    )
    assert outcome.explanation[1].source == "planted"


def random_problem(rng: random.Random) -> ScheduleProblem:
    """A random 2-fellow, 3-block, 3-rotation problem with every requirement kind."""
    fellows = (Fellow("f1", "F1"), Fellow("f2", "F2"))
    ids = ("a", "b", "c")
    rotations = tuple(
        Rotation(r, r.upper(), rng.choice((0, 1, 2, 2)), min_per_block=rng.choice((0, 0, 0, 1)))
        for r in ids
    )
    rotations = tuple(
        replace(r, min_per_block=min(r.min_per_block, r.capacity_per_block)) for r in rotations
    )
    counts = []
    for _ in range(rng.randint(0, 2)):
        lo = rng.randint(0, 1)
        hi = rng.choice((None, lo, lo + 1, lo + 2))
        scope = rng.choice(((), ("f1",), ("f2",)))
        counts.append(BlockCount(rng.choice(ids), lo, hi, fellow_ids=scope))
    staffing = [
        BlockStaffing(
            rng.choice(ids), (rng.randrange(3),), rng.randint(0, 1), rng.choice((None, 1, 2))
        )
        for _ in range(rng.randint(0, 1))
    ]
    staffing = [s for s in staffing if s.max_fellows is None or s.max_fellows >= s.min_fellows]
    vacations = []
    if rng.random() < 0.5:
        lo = rng.randint(0, 1)
        vacations.append(VacationRule("c", lo, lo + rng.randint(0, 1), blocked_blocks=(0,)))
    precedences = [Precedence(*rng.sample(ids, 2)) for _ in range(rng.randint(0, 1))]
    fixed = [
        FixedAssignment(rng.choice(("f1", "f2")), rng.randrange(3), rng.choice(ids))
        for _ in range(rng.randint(0, 2))
    ]
    requests = [
        Request(
            rng.choice(("f1", "f2")),
            rng.randrange(3),
            rng.choice(ids),
            wants=rng.random() < 0.7,
            weight=rng.randint(1, 5),
        )
        for _ in range(rng.randint(1, 6))
    ]
    return ScheduleProblem(
        fellows=fellows,
        rotations=rotations,
        calendar=BlockCalendar.regular(START, 3),
        block_counts=tuple(counts),
        staffing=tuple(staffing),
        vacations=tuple(vacations),
        precedences=tuple(precedences),
        fixed=tuple(fixed),
        requests=tuple(requests),
    )


@pytest.mark.parametrize("seed", range(40))
def test_solver_agrees_with_brute_force_on_random_small_problems(seed: int) -> None:
    problem = random_problem(random.Random(seed))
    table = all_schedules(problem)
    best = brute_optimum(table)
    outcome = solve_schedule(problem, time_limit_s=10, workers=1 + seed % 2, seed=seed)
    if best is None:
        assert outcome.status == "infeasible"
        keys = {item.key for item in outcome.explanation}
        assert keys, "an infeasible problem must come with an explanation"
        # The explanation is a real conflict, and a minimal one: drop any group and the
        # rest can be met.
        assert not satisfiable(table, keys)
        assert outcome.explanation_minimal
        for key in keys:
            assert satisfiable(table, keys - {key}), key
    else:
        assert outcome.status == "optimal"
        assert outcome.schedule is not None
        assert check_schedule(problem, outcome.schedule) == []
        assert outcome.objective == best


def test_explanation_keys_come_from_list_requirements() -> None:
    rotations = list(hand_problem().rotations)
    rotations[0] = replace(rotations[0], capacity_per_block=1)
    problem = hand_problem(rotations=tuple(rotations))
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    listed = set(list_requirements(problem))
    assert set(outcome.explanation) <= listed


def medium_problem() -> ScheduleProblem:
    """6 fellows x 12 blocks x 6 rotations with requests (too large for brute force)."""
    rng = random.Random(7)
    fellows = tuple(Fellow(f"f{i}", f"Fellow {i}") for i in range(6))
    rotations = (
        Rotation("clinic", "Clinic", 4, min_per_block=1),
        Rotation("suite", "Suite", 2, min_per_block=1),
        Rotation("acute", "Acute", 1),
        Rotation("regional", "Regional", 1),
        Rotation("research", "Research", 2),
        Rotation("vac", "Vacation", 1),
    )
    requests = tuple(
        Request(
            f.id,
            rng.randrange(12),
            rng.choice(("vac", "research", "acute")),
            weight=rng.randint(1, 4),
        )
        for f in fellows
        for _ in range(3)
    )
    return ScheduleProblem(
        fellows=fellows,
        rotations=rotations,
        calendar=BlockCalendar.regular(START, 12),
        block_counts=(
            BlockCount("clinic", 4, 7),
            BlockCount("suite", 2, 4),
            BlockCount("acute", 1, 2),
            BlockCount("regional", 1, 1),
        ),
        staffing=(BlockStaffing("suite", (0,), 0, 2),),
        vacations=(VacationRule("vac", 1, 1, blocked_blocks=(0,)),),
        precedences=(Precedence("regional", "suite"),),
        requests=requests,
    )


@pytest.mark.parametrize("workers", [1, 2])
def test_same_seed_gives_the_same_schedule(workers: int) -> None:
    problem = medium_problem()
    first = solve_schedule(problem, time_limit_s=20, workers=workers, seed=3)
    second = solve_schedule(problem, time_limit_s=20, workers=workers, seed=3)
    assert first.status == "optimal"
    assert first.schedule is not None
    assert check_schedule(problem, first.schedule) == []
    assert first.schedule == second.schedule
    assert (
        first.objective
        == second.objective
        == request_score(problem, first.schedule).honoured_weight
    )


def test_problem_without_requests_is_solved_with_objective_zero() -> None:
    problem = hand_problem(requests=())
    outcome = solve_schedule(problem, time_limit_s=10)
    assert outcome.status == "optimal"
    assert (outcome.objective, outcome.total_request_weight) == (0, 0)
    assert outcome.schedule is not None and check_schedule(problem, outcome.schedule) == []


def test_invalid_problem_is_rejected_before_solving() -> None:
    problem = hand_problem(fixed=(FixedAssignment("zed", 0, "clinic"),))
    with pytest.raises(InvalidProblem, match="unknown fellow 'zed'"):
        solve_schedule(problem)


def test_portfolio_stage_takes_over_when_the_first_stage_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = scheduler_cpsat._solver
    stages: list[bool] = []

    def starved_first_stage(**kwargs: Any) -> Any:
        stages.append(bool(kwargs.get("portfolio")))
        if kwargs.get("deterministic_limit") is not None and not kwargs.get("portfolio"):
            kwargs["deterministic_limit"] = 1e-4  # stop stage 1 almost at once
        return real(**kwargs)

    monkeypatch.setattr(scheduler_cpsat, "_solver", starved_first_stage)
    problem = medium_problem()
    outcome = solve_schedule(problem, time_limit_s=30, workers=2, seed=5)
    assert stages == [False, True]
    assert outcome.status == "optimal"
    assert outcome.schedule is not None and check_schedule(problem, outcome.schedule) == []
    monkeypatch.undo()
    reference = solve_schedule(problem, time_limit_s=30, workers=1, seed=5)
    assert outcome.objective == reference.objective
