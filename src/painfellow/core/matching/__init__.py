"""Stable matching for the fellowship match (NRMP rules), on plain ids.

Public API::

    instance = instance_from_document(json_doc)     # or build Instance(...) directly
    result = run_match(instance)                     # MatchResult
    stats = match_stats(instance, result)            # MatchStats
    problems = check_stability(instance, result.matches, result.reverted)
    problems += check_applicant_optimal(instance, result.matches, result.reverted)
    curve = simulate(instance, program="P1", runs=1000, noise_sd=1.0, seed=7).curve

Importing this package imports nothing else until a name is used; only :func:`simulate`
loads numpy.
"""

from __future__ import annotations

from importlib import import_module

# Annotations only: importing typing costs the command-line run several milliseconds.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from painfellow.core.matching.engine import run_match
    from painfellow.core.matching.instance_io import (
        assignment_from_document,
        instance_from_document,
        instance_to_document,
        result_to_document,
        stats_to_document,
    )
    from painfellow.core.matching.simulation import simulate
    from painfellow.core.matching.stability import check_applicant_optimal, check_stability
    from painfellow.core.matching.stats import match_stats
    from painfellow.core.matching.types import (
        MAX_RANKS,
        Applicant,
        Couple,
        Instance,
        InvalidInstance,
        MatchResult,
        MatchStats,
        Program,
        SimulationResult,
        Violation,
    )
    from painfellow.core.matching.validate import compile_instance, validate_instance

# Names are loaded on first use (PEP 562), so `painfellow match run` imports only the
# modules it needs and `simulate` alone pulls in numpy.
_WHERE = {
    "run_match": "engine",
    "assignment_from_document": "instance_io",
    "instance_from_document": "instance_io",
    "instance_to_document": "instance_io",
    "result_to_document": "instance_io",
    "stats_to_document": "instance_io",
    "simulate": "simulation",
    "check_applicant_optimal": "stability",
    "check_stability": "stability",
    "match_stats": "stats",
    "MAX_RANKS": "types",
    "Applicant": "types",
    "Couple": "types",
    "Instance": "types",
    "InvalidInstance": "types",
    "MatchResult": "types",
    "MatchStats": "types",
    "Program": "types",
    "SimulationResult": "types",
    "Violation": "types",
    "compile_instance": "validate",
    "validate_instance": "validate",
}

__all__ = [
    "MAX_RANKS",
    "Applicant",
    "Couple",
    "Instance",
    "InvalidInstance",
    "MatchResult",
    "MatchStats",
    "Program",
    "SimulationResult",
    "Violation",
    "assignment_from_document",
    "check_applicant_optimal",
    "check_stability",
    "compile_instance",
    "instance_from_document",
    "instance_to_document",
    "match_stats",
    "result_to_document",
    "run_match",
    "simulate",
    "stats_to_document",
    "validate_instance",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
