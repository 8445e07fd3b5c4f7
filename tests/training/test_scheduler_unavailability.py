"""Per-fellow unavailability and contiguous-block rules: checker, solver, brute force."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from painfellow.core.scheduling import (
    BlockCalendar,
    BlockCount,
    Contiguity,
    Fellow,
    FixedAssignment,
    InvalidProblem,
    Request,
    Rotation,
    Schedule,
    ScheduleProblem,
    Unavailability,
    check_schedule,
    list_requirements,
    validate_problem,
)
from painfellow.training.scheduler_cpsat import solve_schedule
from tests.training.test_scheduler_cpsat import (
    START,
    all_schedules,
    brute_optimum,
    random_problem,
    satisfiable,
)


def small(**overrides: object) -> ScheduleProblem:
    """1 fellow x 4 blocks; a two-block rotation 'rf' and a clinic."""
    problem = ScheduleProblem(
        fellows=(Fellow("ada", "Ada"),),
        rotations=(Rotation("clinic", "Clinic", 1), Rotation("rf", "Radiofrequency", 1)),
        calendar=BlockCalendar.regular(START, 4),
        block_counts=(BlockCount("rf", 2, 2),),
    )
    return replace(problem, **overrides)


def test_checker_names_a_split_two_block_rotation() -> None:
    problem = small(contiguous=(Contiguity("rf"),))
    split = Schedule({"ada": ("rf", "clinic", "rf", "clinic")})
    [violation] = check_schedule(problem, split)
    assert violation.requirement == "contiguous#0"
    assert violation.message == (
        "Ada has Radiofrequency in blocks 1, 3; its blocks must be consecutive"
    )
    assert check_schedule(problem, Schedule({"ada": ("clinic", "rf", "rf", "clinic")})) == []


def test_checker_names_a_block_where_the_fellow_is_unavailable() -> None:
    problem = small(unavailable=(Unavailability("ada", "rf", (1, 2)),))
    [violation] = check_schedule(problem, Schedule({"ada": ("rf", "rf", "clinic", "clinic")}))
    assert violation.requirement == "unavailable#0"
    assert violation.block == 1
    assert "Ada is on Radiofrequency in block 2 (2025-07-15), where they cannot be" in (
        violation.message
    )


def test_unknown_ids_and_empty_blocks_are_input_errors() -> None:
    with pytest.raises(InvalidProblem) as caught:
        validate_problem(
            small(
                unavailable=(Unavailability("zoe", "rf", ()),),
                contiguous=(Contiguity("nope"),),
            )
        )
    assert "unavailable #0: unknown fellow 'zoe'" in caught.value.problems
    assert "unavailable #0: no blocks listed" in caught.value.problems
    assert "contiguous #0: unknown rotation 'nope'" in caught.value.problems


def test_solver_keeps_the_two_blocks_together_against_requests() -> None:
    # The requests alone would split rf over blocks 1 and 4 (weight 10); contiguity wins.
    problem = small(
        contiguous=(Contiguity("rf"),),
        requests=(Request("ada", 0, "rf", weight=5), Request("ada", 3, "rf", weight=5)),
    )
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    assert outcome.status == "optimal"
    assert outcome.schedule is not None
    row = outcome.schedule.rows["ada"]
    first = row.index("rf")
    assert row[first + 1] == "rf" and row.count("rf") == 2
    assert outcome.objective == 5


def test_infeasible_explanation_names_unavailability_and_contiguity_in_words() -> None:
    # rf twice in a row, but Ada cannot be on it in blocks 2 and 4: no two adjacent free.
    problem = small(
        contiguous=(Contiguity("rf", source="two-block rotation"),),
        unavailable=(Unavailability("ada", "rf", (1, 3), source="course"),),
    )
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    assert outcome.status == "infeasible"
    assert [item.key for item in outcome.explanation] == [
        "block_count#0",
        "unavailable#0",
        "contiguous#0",
    ]
    assert "Ada cannot be on Radiofrequency in blocks 2, 4" in outcome.message
    assert "every fellow takes all blocks of Radiofrequency in a row (consecutive)" in (
        outcome.message
    )


def test_requirement_words_are_listed() -> None:
    problem = small(
        contiguous=(Contiguity("rf", fellow_ids=("ada",)),),
        unavailable=(Unavailability("ada", "clinic", (0,)),),
    )
    texts = {item.key: item.text for item in list_requirements(problem)}
    assert texts["unavailable#0"] == "Ada cannot be on Clinic in block 1"
    assert texts["contiguous#0"] == "Ada take all blocks of Radiofrequency in a row (consecutive)"


def with_new_rules(rng: random.Random) -> ScheduleProblem:
    problem = random_problem(rng)
    ids = [r.id for r in problem.rotations]
    unavailable = tuple(
        Unavailability(
            rng.choice(("f1", "f2")),
            rng.choice(ids),
            tuple(rng.sample(range(3), rng.randint(1, 2))),
        )
        for _ in range(rng.randint(0, 2))
    )
    contiguous = tuple(
        Contiguity(rng.choice(ids), rng.choice(((), ("f1",), ("f2",))))
        for _ in range(rng.randint(1, 2))
    )
    return replace(problem, unavailable=unavailable, contiguous=contiguous)


@pytest.mark.parametrize("seed", range(30))
def test_solver_agrees_with_brute_force(seed: int) -> None:
    problem = with_new_rules(random.Random(1000 + seed))
    table = all_schedules(problem)
    best = brute_optimum(table)
    outcome = solve_schedule(problem, time_limit_s=10, workers=1 + seed % 2, seed=seed)
    if best is None:
        assert outcome.status == "infeasible"
        keys = {item.key for item in outcome.explanation}
        assert keys and not satisfiable(table, keys)
        assert outcome.explanation_minimal
        for key in keys:
            assert satisfiable(table, keys - {key}), key
    else:
        assert outcome.status == "optimal"
        assert outcome.schedule is not None
        assert check_schedule(problem, outcome.schedule) == []
        assert outcome.objective == best


def test_brute_force_cases_exercise_both_outcomes() -> None:
    """Guard against a generator that never produces a conflict or never binds the rules."""
    tables = [all_schedules(with_new_rules(random.Random(1000 + s))) for s in range(30)]
    assert any(brute_optimum(t) is None for t in tables)
    assert any(brute_optimum(t) is not None for t in tables)
    broken = {key.split("#")[0] for t in tables for _, keys, _ in t for key in keys}
    assert {"unavailable", "contiguous"} <= broken


def test_fixed_assignment_still_combines_with_unavailability() -> None:
    problem = small(
        fixed=(FixedAssignment("ada", 0, "rf"),),
        unavailable=(Unavailability("ada", "rf", (0,)),),
    )
    outcome = solve_schedule(problem, time_limit_s=10, workers=1)
    assert outcome.status == "infeasible"
    assert {i.key for i in outcome.explanation} == {"fixed#0", "unavailable#0"}
