"""Block-schedule model and constraint checks (pure core; the solver lives outside core).

Public API::

    problem = ScheduleProblem(fellows, rotations, BlockCalendar(starts), block_counts=...,
                              staffing=..., vacations=..., precedences=..., fixed=...,
                              requests=...)
    validate_problem(problem)                      # raises InvalidProblem
    list_requirements(problem)                     # tuple[RequirementItem, ...] in words
    check_schedule(problem, schedule)              # list[Violation], empty when all met
    request_score(problem, schedule)               # RequestScore (honoured weight)

The requirements are program data: ACGME minimum durations per rotation are UNCONFIRMED
(``training-rules.md`` §1.4 and §9), so no count or order is built into this code.
"""

from painfellow.core.scheduling.checks import (
    COVERAGE,
    check_schedule,
    format_blocks,
    list_requirements,
    request_honoured,
    request_score,
    staffing_overrides,
    validate_problem,
)
from painfellow.core.scheduling.types import (
    BlockCalendar,
    BlockCount,
    BlockStaffing,
    Contiguity,
    Fellow,
    FixedAssignment,
    InvalidProblem,
    Precedence,
    Request,
    RequestScore,
    RequirementItem,
    Rotation,
    Schedule,
    ScheduleProblem,
    Unavailability,
    VacationRule,
    Violation,
)

__all__ = [
    "COVERAGE",
    "BlockCalendar",
    "BlockCount",
    "BlockStaffing",
    "Contiguity",
    "Fellow",
    "FixedAssignment",
    "InvalidProblem",
    "Precedence",
    "Request",
    "RequestScore",
    "RequirementItem",
    "Rotation",
    "Schedule",
    "ScheduleProblem",
    "Unavailability",
    "VacationRule",
    "Violation",
    "check_schedule",
    "format_blocks",
    "list_requirements",
    "request_honoured",
    "request_score",
    "staffing_overrides",
    "validate_problem",
]
