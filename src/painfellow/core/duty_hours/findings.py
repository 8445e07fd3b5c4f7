"""Rule ids, severities and findings of the work-hour checks.

Rule ids are the ``work_hours.rules[].id`` values of training-rules.md section 9, so a
finding can be traced to the rule as data and to its ACGME CPR VI.F source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

from painfellow.core.duty_hours.shifts import SECONDS_PER_HOUR, Int64Array, from_seconds

Float64Array = npt.NDArray[np.float64]
Int8Array = npt.NDArray[np.int8]


class Rule(StrEnum):
    """The checked rules (ids from training-rules.md section 9, ``work_hours.rules``)."""

    WEEKLY_CAP = "WH1_weekly_cap"  # CPR VI.F.1: 80 h/week averaged over 4 weeks
    REST_BETWEEN = "WH2_rest_between_periods"  # CPR VI.F.2.a: should have 8 h off
    REST_AFTER_24H = "WH3_post_24h_inhouse_call_rest"  # CPR VI.F.2.b: 14 h free after 24 h
    DAY_OFF = "WH4_day_off_in_seven"  # CPR VI.F.2.c: 1 day in 7 free, averaged
    CONTINUOUS_24H = "WH5_max_continuous_scheduled"  # CPR VI.F.3.a: 24 h continuous
    CONTINUOUS_28H = "WH6_transition_addon"  # CPR VI.F.3.a.(1): + up to 4 h transitions
    CALL_FREQUENCY = "WH13_inhouse_call_frequency"  # CPR VI.F.7: every 3rd night, averaged


class RuleCode(IntEnum):
    """Integer codes of :class:`Rule` for the array engine."""

    WEEKLY_CAP = 0
    REST_BETWEEN = 1
    REST_AFTER_24H = 2
    DAY_OFF = 3
    CONTINUOUS_24H = 4
    CONTINUOUS_28H = 5
    CALL_FREQUENCY = 6


RULES_BY_CODE: dict[int, Rule] = {int(code): Rule[code.name] for code in RuleCode}


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"


#: A rule's severity. WH2 is a "should" in the CPR (training-rules.md WH2). A block over
#: 24 h is only a warning because the 4 transition hours are allowed (issue 5; see
#: :mod:`painfellow.core.duty_hours.rules`).
SEVERITY: dict[Rule, Severity] = {
    Rule.WEEKLY_CAP: Severity.VIOLATION,
    Rule.REST_BETWEEN: Severity.WARNING,
    Rule.REST_AFTER_24H: Severity.VIOLATION,
    Rule.DAY_OFF: Severity.VIOLATION,
    Rule.CONTINUOUS_24H: Severity.WARNING,
    Rule.CONTINUOUS_28H: Severity.VIOLATION,
    Rule.CALL_FREQUENCY: Severity.VIOLATION,
}

UNITS: dict[Rule, str] = {
    Rule.WEEKLY_CAP: "hours/week",
    Rule.REST_BETWEEN: "hours",
    Rule.REST_AFTER_24H: "hours",
    Rule.DAY_OFF: "days",
    Rule.CONTINUOUS_24H: "hours",
    Rule.CONTINUOUS_28H: "hours",
    Rule.CALL_FREQUENCY: "nights",
}


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach: which rule, when (``[start, end)``, local), and by how much.

    ``measured`` is the observed value, ``limit`` the allowed one and ``excess`` the
    distance past the limit (always > 0), all in ``unit``. For the rest rules (WH2, WH3)
    ``start``/``end`` bound the too-short rest; for the continuous rules the long stretch of
    work; for the averaged rules (WH1, WH4, WH13) the 4-week period.
    """

    fellow_id: str
    rule: Rule
    severity: Severity
    start: datetime
    end: datetime
    measured: float
    limit: float
    excess: float
    unit: str
    detail: str


def _hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{seconds / SECONDS_PER_HOUR:.2f} h ({minutes // 60}h{minutes % 60:02d}m)"


def _day(seconds: int) -> str:
    return from_seconds(seconds).date().isoformat()


def describe(
    rule: Rule,
    start_s: int,
    end_s: int,
    measured: float,
    limit: float,
    excess: float,
    info: float,
) -> str:
    """Human-readable detail of one finding, with the numbers that make it a breach."""
    s3600 = SECONDS_PER_HOUR
    if rule is Rule.WEEKLY_CAP:
        days = (end_s - start_s) // 86_400
        counted = round(7 * info / measured) if measured > 0 else days
        return (
            f"average {measured:.2f} h/week over {_day(start_s)}..{_day(end_s - 86_400)}: "
            f"{info:.2f} h of work in {counted} counted days ({days - counted} leave days "
            f"left out of the average); exceeds {limit:g} h/week by {excess:.2f} h/week"
        )
    if rule is Rule.DAY_OFF:
        days = (end_s - start_s) // 86_400
        return (
            f"{measured:g} day(s) off in {days} days {_day(start_s)}..{_day(end_s - 86_400)}; "
            f"at least {limit:g} required (1 day in 7); short by {excess:g}"
        )
    if rule is Rule.CALL_FREQUENCY:
        days = (end_s - start_s) // 86_400
        return (
            f"{measured:g} in-house call nights in {days} days "
            f"{_day(start_s)}..{_day(end_s - 86_400)}; at most {limit:g} "
            f"(every third night); {excess:g} too many"
        )
    if rule is Rule.CONTINUOUS_24H:
        return (
            f"continuous work of {_hours(measured * s3600)} exceeds {limit:g} h by "
            f"{_hours(excess * s3600)}; only transition/education time may follow 24 h"
        )
    if rule is Rule.CONTINUOUS_28H:
        return (
            f"continuous work of {_hours(measured * s3600)} exceeds 24 + 4 = {limit:g} h by "
            f"{_hours(excess * s3600)}"
        )
    if rule is Rule.REST_AFTER_24H:
        return (
            f"only {_hours(measured * s3600)} free after {_hours(info * s3600)} of "
            f"continuous work including in-house work; at least {limit:g} h required; "
            f"short by {_hours(excess * s3600)}"
        )
    return (
        f"only {_hours(measured * s3600)} between shifts; {limit:g} h should be free; "
        f"short by {_hours(excess * s3600)}"
    )


def _empty_int() -> Int64Array:
    return np.zeros(0, dtype=np.int64)


def _empty_float() -> Float64Array:
    return np.zeros(0, dtype=np.float64)


@dataclass(frozen=True, eq=False)
class FindingTable:
    """Findings as parallel arrays (the fast engine's output); see :class:`Finding`.

    ``info`` carries one extra number for the detail text: hours worked in the period
    (WH1) or the length of the long stretch before a short rest (WH3); 0 otherwise.
    """

    fellow_ids: tuple[str, ...]
    fellow: Int64Array
    rule: Int8Array
    start: Int64Array
    end: Int64Array
    measured: Float64Array
    limit: Float64Array
    excess: Float64Array
    info: Float64Array

    def __len__(self) -> int:
        return int(self.fellow.shape[0])

    @classmethod
    def empty(cls, fellow_ids: Sequence[str]) -> FindingTable:
        return cls(
            tuple(fellow_ids),
            _empty_int(),
            np.zeros(0, dtype=np.int8),
            _empty_int(),
            _empty_int(),
            _empty_float(),
            _empty_float(),
            _empty_float(),
            _empty_float(),
        )

    @classmethod
    def concat(cls, fellow_ids: Sequence[str], parts: Sequence[FindingTable]) -> FindingTable:
        if not parts:
            return cls.empty(fellow_ids)
        return cls(
            tuple(fellow_ids),
            np.concatenate([p.fellow for p in parts]),
            np.concatenate([p.rule for p in parts]),
            np.concatenate([p.start for p in parts]),
            np.concatenate([p.end for p in parts]),
            np.concatenate([p.measured for p in parts]),
            np.concatenate([p.limit for p in parts]),
            np.concatenate([p.excess for p in parts]),
            np.concatenate([p.info for p in parts]),
        )

    def sorted(self) -> FindingTable:
        """Deterministic order: fellow id, start, rule id, end (issue 5 CLI contract)."""
        if len(self) == 0:
            return self
        fellow_rank = np.empty(len(self.fellow_ids), dtype=np.int64)
        fellow_rank[np.argsort(np.array(self.fellow_ids, dtype=object), kind="stable")] = np.arange(
            len(self.fellow_ids)
        )
        by_id = sorted(RuleCode, key=lambda c: RULES_BY_CODE[int(c)].value)
        rule_rank = np.empty(len(RuleCode), dtype=np.int64)
        rule_rank[[int(c) for c in by_id]] = np.arange(len(by_id))
        order = np.lexsort((self.end, rule_rank[self.rule], self.start, fellow_rank[self.fellow]))
        return FindingTable(
            self.fellow_ids,
            self.fellow[order],
            self.rule[order],
            self.start[order],
            self.end[order],
            self.measured[order],
            self.limit[order],
            self.excess[order],
            self.info[order],
        )

    def to_findings(self) -> list[Finding]:
        """Materialise :class:`Finding` records (in deterministic order)."""
        table = self.sorted()
        out: list[Finding] = []
        for f, r, s, e, m, lim, x, i in zip(
            table.fellow.tolist(),
            table.rule.tolist(),
            table.start.tolist(),
            table.end.tolist(),
            table.measured.tolist(),
            table.limit.tolist(),
            table.excess.tolist(),
            table.info.tolist(),
            strict=True,
        ):
            rule = RULES_BY_CODE[r]
            out.append(
                Finding(
                    fellow_id=table.fellow_ids[f],
                    rule=rule,
                    severity=SEVERITY[rule],
                    start=from_seconds(s),
                    end=from_seconds(e),
                    measured=m,
                    limit=lim,
                    excess=x,
                    unit=UNITS[rule],
                    detail=describe(rule, s, e, m, lim, x, i),
                )
            )
        return out
