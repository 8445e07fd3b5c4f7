"""Block-schedule checks: each requirement kind reported in words, validation, scoring."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

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
    Violation,
    check_schedule,
    format_blocks,
    list_requirements,
    request_score,
    validate_problem,
)


def make_problem(**overrides: object) -> ScheduleProblem:
    """3 fellows x 4 blocks x 4 rotations with no requirements beyond capacities."""
    problem = ScheduleProblem(
        fellows=(Fellow("ada", "Ada"), Fellow("ben", "Ben"), Fellow("cy", "Cy")),
        rotations=(
            Rotation("clinic", "Chronic pain clinic", 3),
            Rotation("regional", "Regional anesthesia", 1),
            Rotation("suite", "Interventional suite", 2),
            Rotation("vac", "Vacation", 1),
        ),
        calendar=BlockCalendar.regular(date(2025, 7, 1), 4),
    )
    return replace(problem, **overrides)


def grid(**rows: str) -> Schedule:
    """Rows written as space-separated rotation ids; ``-`` is an unassigned cell."""
    return Schedule(
        {f: tuple(None if cell == "-" else cell for cell in row.split()) for f, row in rows.items()}
    )


VALID = grid(
    ada="regional suite clinic vac",
    ben="clinic regional suite clinic",
    cy="clinic clinic regional suite",
)


def keys(violations: list[Violation]) -> list[str]:
    return [v.requirement for v in violations]


def test_valid_schedule_has_no_violations() -> None:
    assert check_schedule(make_problem(), VALID) == []


def test_unassigned_cell_is_reported_with_its_block() -> None:
    schedule = VALID.with_assignment("ben", 2, None)
    [violation] = check_schedule(make_problem(), schedule)
    assert violation.requirement == COVERAGE
    assert violation.kind == "unassigned"
    assert (violation.fellow_id, violation.block) == ("ben", 2)
    assert violation.message == "Ben has no rotation in block 3 (2025-07-29)"


def test_unknown_rotation_unknown_fellow_and_short_row_are_coverage_violations() -> None:
    schedule = Schedule(
        {
            **VALID.rows,
            "cy": ("clinic", "clinic", "regional"),
            "zed": ("clinic",) * 4,
            "ada": ("regional", "surf", "clinic", "vac"),
        }
    )
    kinds = sorted(v.kind for v in check_schedule(make_problem(), schedule))
    assert kinds == ["row_length", "unassigned", "unknown_fellow", "unknown_rotation"]


def test_capacity_violation_names_the_fellows_and_the_block() -> None:
    schedule = VALID.with_assignment("ben", 0, "regional")
    [violation] = check_schedule(make_problem(), schedule)
    assert violation.requirement == "capacity:regional"
    assert violation.block == 0
    assert violation.message == (
        "Regional anesthesia in block 1 (2025-07-01) has 2 fellows (Ada, Ben); at most 1 allowed"
    )


def test_minimum_staffing_shortfall_is_reported_per_block() -> None:
    rotations = list(make_problem().rotations)
    rotations[0] = replace(rotations[0], min_per_block=2)
    problem = make_problem(rotations=tuple(rotations))
    found = check_schedule(problem, VALID)
    assert keys(found) == ["min_staffing:clinic"] * 3
    assert [v.block for v in found] == [1, 2, 3]
    assert found[0].message == (
        "Chronic pain clinic in block 2 (2025-07-15) has 1 fellow; at least 2 needed"
    )


def test_staffing_override_replaces_the_rotation_default_in_its_blocks() -> None:
    closed = BlockStaffing("clinic", (1,), 0, 0, source="holiday closure")
    problem = make_problem(staffing=(closed,))
    assert keys(check_schedule(problem, VALID)) == ["staffing#0"]
    # The override may also allow more than the default capacity (regional takes 1).
    busy = BlockStaffing("regional", (0,), 1, 2)
    schedule = VALID.with_assignment("ben", 0, "regional")
    assert check_schedule(make_problem(staffing=(busy,)), schedule) == []
    assert keys(check_schedule(make_problem(), schedule)) == ["capacity:regional"]


def test_block_count_minimum_and_maximum_per_fellow() -> None:
    problem = make_problem(
        block_counts=(
            BlockCount("clinic", 1, 2),
            BlockCount("suite", 2, None, fellow_ids=("ada",), source="program"),
        )
    )
    found = check_schedule(problem, VALID)
    assert [(v.requirement, v.fellow_id) for v in found] == [("block_count#1", "ada")]
    assert found[0].message == "Ada has 1 block on Interventional suite; needs at least 2 blocks"
    too_many = VALID.with_assignment("ben", 1, "clinic")
    found = check_schedule(replace(problem, block_counts=problem.block_counts[:1]), too_many)
    assert [(v.requirement, v.fellow_id) for v in found] == [("block_count#0", "ben")]
    assert "needs 1–2 blocks" in found[0].message


def test_vacation_count_and_blocked_blocks() -> None:
    rule = VacationRule("vac", 1, 1, blocked_blocks=(0, 3))
    found = check_schedule(make_problem(vacations=(rule,)), VALID)
    # Ada's only vacation block is a blocked one; Ben and Cy have none.
    assert [(v.fellow_id, v.block) for v in found] == [("ada", 3), ("ben", None), ("cy", None)]
    assert found[0].message == "Ada has Vacation in block 4 (2025-08-12), where it is not allowed"
    assert found[1].message == "Ben has 0 blocks of Vacation; needs exactly 1 block"


def test_precedence_reports_late_and_missing_prerequisite() -> None:
    problem = make_problem(precedences=(Precedence("regional", "suite"),))
    assert check_schedule(problem, VALID) == []
    late = VALID.with_assignment("ada", 3, "regional").with_assignment("ada", 0, "clinic")
    [violation] = check_schedule(problem, late)
    assert (violation.requirement, violation.fellow_id, violation.block) == (
        "precedence#0",
        "ada",
        3,
    )
    assert "at or after starting Interventional suite in block 2" in violation.message
    missing = Schedule({**VALID.rows, "ada": ("clinic", "suite", "clinic", "vac")})
    [violation] = check_schedule(problem, missing)
    assert violation.message == (
        "Ada starts Interventional suite in block 2 (2025-07-15) without having done "
        "Regional anesthesia"
    )


def test_precedence_ignores_fellows_never_on_the_later_rotation() -> None:
    problem = make_problem(precedences=(Precedence("suite", "vac"),))
    # Ben and Cy never take vacation; Ada does suite (block 2) before vacation (block 4).
    assert check_schedule(problem, VALID) == []
    early = Schedule({**VALID.rows, "ada": ("vac", "suite", "clinic", "regional")})
    assert keys(check_schedule(problem, early)) == ["precedence#0"]


def test_fixed_assignment_must_hold() -> None:
    problem = make_problem(fixed=(FixedAssignment("cy", 0, "vac", source="approved leave"),))
    [violation] = check_schedule(problem, VALID)
    assert violation.requirement == "fixed#0"
    assert violation.message == (
        "Cy is fixed on Vacation in block 1 (2025-07-01) but has Chronic pain clinic"
    )


def test_every_broken_requirement_is_listed_at_once() -> None:
    problem = make_problem(
        block_counts=(BlockCount("vac", 1, 1),),
        fixed=(FixedAssignment("ben", 0, "suite"),),
    )
    found = check_schedule(problem, VALID.with_assignment("ben", 0, "regional"))
    assert keys(found) == ["capacity:regional", "block_count#0", "block_count#0", "fixed#0"]


def test_request_score_counts_honoured_weight() -> None:
    problem = make_problem(
        requests=(
            Request("ada", 3, "vac", weight=5),  # honoured
            Request("ben", 0, "vac", weight=2),  # broken
            Request("cy", 0, "clinic", wants=False, weight=3),  # broken
            Request("cy", 3, "clinic", wants=False),  # honoured (suite)
        )
    )
    score = request_score(problem, VALID)
    assert (score.honoured_weight, score.total_weight) == (6, 11)
    assert (score.honoured, score.broken) == ((0, 3), (1, 2))


def test_list_requirements_states_each_group_in_words() -> None:
    rotations = list(make_problem().rotations)
    rotations[0] = replace(rotations[0], min_per_block=1)
    problem = make_problem(
        rotations=tuple(rotations),
        staffing=(BlockStaffing("suite", (1, 2), 0, 0),),
        block_counts=(BlockCount("clinic", 1, 2, fellow_ids=("ada", "ben"), source="policy"),),
        vacations=(VacationRule("vac", 0, 1, blocked_blocks=(0, 1)),),
        precedences=(Precedence("regional", "suite"),),
        fixed=(FixedAssignment("cy", 3, "vac"),),
    )
    texts = {item.key: item.text for item in list_requirements(problem)}
    assert texts == {
        "capacity:clinic": "Chronic pain clinic takes at most 3 fellows per block",
        "min_staffing:clinic": "Chronic pain clinic needs at least 1 fellow in every block",
        "capacity:regional": "Regional anesthesia takes at most 1 fellow per block",
        "capacity:suite": "Interventional suite takes at most 2 fellows per block",
        "capacity:vac": "Vacation takes at most 1 fellow per block",
        "staffing#0": "Interventional suite needs exactly 0 fellows in blocks 2–3",
        "block_count#0": "Ada, Ben spend 1–2 blocks on Chronic pain clinic",
        "vacation#0": "every fellow takes at most 1 block of Vacation, none in blocks 1–2",
        "precedence#0": "every fellow completes Regional anesthesia before starting "
        "Interventional suite",
        "fixed#0": "Cy is fixed on Vacation in block 4 (2025-08-12)",
    }
    assert [i.source for i in list_requirements(problem) if i.key == "block_count#0"] == ["policy"]


def test_format_blocks_collapses_runs_one_based() -> None:
    assert format_blocks((4, 0, 1, 2, 7)) == "blocks 1–3, 5, 8"
    assert format_blocks((3,)) == "block 4"


def test_validate_problem_lists_every_input_error() -> None:
    problem = make_problem(
        fellows=(Fellow("ada", "Ada"), Fellow("ada", "Ada again")),
        calendar=BlockCalendar((date(2025, 7, 1), date(2025, 7, 1))),
        block_counts=(BlockCount("neuro", 3, 2),),
        staffing=(BlockStaffing("clinic", (9,)),),
        precedences=(Precedence("clinic", "clinic"),),
        fixed=(FixedAssignment("zed", 0, "clinic"),),
        requests=(Request("ada", 0, "clinic", weight=0),),
    )
    with pytest.raises(InvalidProblem) as caught:
        validate_problem(problem)
    assert caught.value.problems == (
        "calendar: block 2 starts on 2025-07-01, not after 2025-07-01",
        "fellow id 'ada' appears 2 times",
        "block count #0: unknown rotation 'neuro'",
        "block count #0: need 0 <= minimum <= maximum, got 3..2",
        "staffing #0: block index 9 out of 0..1",
        "precedence #0: a rotation cannot precede itself",
        "fixed #0: unknown fellow 'zed'",
        "request #0: weight must be a positive integer, got 0",
    )
    with pytest.raises(InvalidProblem):
        check_schedule(problem, VALID)


def test_manual_edit_returns_a_new_schedule_and_rejects_missing_cells() -> None:
    edited = VALID.with_assignment("ada", 0, "clinic")
    assert VALID.rotation_of("ada", 0) == "regional"
    assert edited.rotation_of("ada", 0) == "clinic"
    assert Schedule.empty(make_problem()).rotation_of("ben", 3) is None
    with pytest.raises(InvalidProblem):
        VALID.with_assignment("zed", 0, "clinic")
