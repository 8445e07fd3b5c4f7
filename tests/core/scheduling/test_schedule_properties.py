"""Property: check_schedule flags exactly the requirement groups a plain reference breaks."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from painfellow.core.scheduling import (
    COVERAGE,
    BlockCalendar,
    BlockCount,
    BlockStaffing,
    Fellow,
    FixedAssignment,
    Precedence,
    Request,
    Rotation,
    Schedule,
    ScheduleProblem,
    VacationRule,
    check_schedule,
    request_score,
)

ROTATIONS = ("clinic", "suite", "regional", "vac")
FELLOWS = ("ada", "ben", "cy")
N = 5

PROBLEM = ScheduleProblem(
    fellows=tuple(Fellow(f, f.title()) for f in FELLOWS),
    rotations=(
        Rotation("clinic", "Clinic", 2, min_per_block=1),
        Rotation("suite", "Suite", 1),
        Rotation("regional", "Regional", 2),
        Rotation("vac", "Vacation", 1),
    ),
    calendar=BlockCalendar.regular(date(2025, 7, 1), N),
    block_counts=(BlockCount("clinic", 1, 3), BlockCount("suite", 1, None, fellow_ids=("ben",))),
    staffing=(BlockStaffing("clinic", (4,), 0, 3), BlockStaffing("suite", (0, 1), 0, 0)),
    vacations=(VacationRule("vac", 0, 1, blocked_blocks=(0,)),),
    precedences=(Precedence("regional", "suite"),),
    fixed=(FixedAssignment("cy", 2, "regional"),),
    requests=(Request("ada", 1, "vac", weight=3), Request("ben", 3, "clinic", wants=False)),
)


def reference_broken(rows: dict[str, tuple[str | None, ...]]) -> set[str]:
    """The requirement keys a schedule breaks, from the definitions, pair by pair."""
    broken: set[str] = set()
    if any(cell is None for row in rows.values() for cell in row):
        broken.add(COVERAGE)

    def count(rot: str, b: int) -> int:
        return sum(rows[f][b] == rot for f in FELLOWS)

    overridden = {(s.rotation_id, b) for s in PROBLEM.staffing for b in s.blocks}
    for r in PROBLEM.rotations:
        for b in range(N):
            if (r.id, b) in overridden:
                continue
            if count(r.id, b) > r.capacity_per_block:
                broken.add(f"capacity:{r.id}")
            if count(r.id, b) < r.min_per_block:
                broken.add(f"min_staffing:{r.id}")
    for i, s in enumerate(PROBLEM.staffing):
        top = len(FELLOWS) if s.max_fellows is None else s.max_fellows
        if any(not s.min_fellows <= count(s.rotation_id, b) <= top for b in s.blocks):
            broken.add(f"staffing#{i}")
    for i, c in enumerate(PROBLEM.block_counts):
        top = N if c.max_blocks is None else c.max_blocks
        for f in c.fellow_ids or FELLOWS:
            if not c.min_blocks <= rows[f].count(c.rotation_id) <= top:
                broken.add(f"block_count#{i}")
    for i, v in enumerate(PROBLEM.vacations):
        for f in v.fellow_ids or FELLOWS:
            taken = [b for b in range(N) if rows[f][b] == v.rotation_id]
            if not v.min_blocks <= len(taken) <= v.max_blocks or set(taken) & set(v.blocked_blocks):
                broken.add(f"vacation#{i}")
    for i, p in enumerate(PROBLEM.precedences):
        for f in p.fellow_ids or FELLOWS:
            row = rows[f]
            for by in range(N):
                if row[by] != p.after_id:
                    continue
                if any(row[bx] == p.before_id for bx in range(by, N)):
                    broken.add(f"precedence#{i}")
                if not any(row[bx] == p.before_id for bx in range(by)):
                    broken.add(f"precedence#{i}")
    for i, a in enumerate(PROBLEM.fixed):
        if rows[a.fellow_id][a.block] != a.rotation_id:
            broken.add(f"fixed#{i}")
    return broken


rows_strategy = st.fixed_dictionaries(
    {
        f: st.tuples(
            *[
                st.sampled_from((*ROTATIONS, None)) if f == "ada" else st.sampled_from(ROTATIONS)
                for _ in range(N)
            ]
        )
        for f in FELLOWS
    }
)


@settings(max_examples=300, deadline=None)
@given(rows_strategy)
def test_check_schedule_matches_reference(rows: dict[str, tuple[str | None, ...]]) -> None:
    schedule = Schedule(rows)
    found = check_schedule(PROBLEM, schedule)
    assert {v.requirement for v in found} == reference_broken(rows)
    assert all(v.message for v in found)


@settings(max_examples=100, deadline=None)
@given(rows_strategy)
def test_request_score_is_the_weight_of_honoured_requests(
    rows: dict[str, tuple[str | None, ...]],
) -> None:
    score = request_score(PROBLEM, Schedule(rows))
    expected = (3 if rows["ada"][1] == "vac" else 0) + (1 if rows["ben"][3] != "clinic" else 0)
    assert score.honoured_weight == expected
    assert score.total_weight == 4
    assert sorted(score.honoured + score.broken) == [0, 1]
