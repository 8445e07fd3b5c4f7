"""Program compliance report: counts of findings per fellow and rule over a date range."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from painfellow.core.duty_hours.findings import Finding, Rule, Severity


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: Rule
    violations: int
    warnings: int


@dataclass(frozen=True, slots=True)
class FellowCompliance:
    """One fellow's counts; ``counts`` lists every rule, in :class:`Rule` order."""

    fellow_id: str
    counts: tuple[RuleCount, ...]
    violations: int
    warnings: int


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """Counts over the days ``start`` .. ``end`` (both inclusive), fellows sorted by id."""

    start: date
    end: date
    fellows: tuple[FellowCompliance, ...]
    violations: int
    warnings: int


def compliance_report(
    findings: Iterable[Finding],
    start: date,
    end: date,
    fellow_ids: Iterable[str] = (),
) -> ComplianceReport:
    """Per fellow, violations and warnings per rule among findings touching the range.

    Program monitoring of work hours (ACGME CPR, training-rules.md WH17; issue 5 program
    compliance report). Pure aggregation: a finding counts when its ``[start, end)``
    overlaps the days ``start`` .. ``end`` inclusive. Fellows in ``fellow_ids`` appear even
    with no findings, so a clean record shows as zeros.
    """
    if end < start:
        raise ValueError("end is before start")
    lo = datetime.combine(start, time())
    hi = datetime.combine(end + timedelta(days=1), time())
    tally: Counter[tuple[str, Rule, Severity]] = Counter()
    fellows = set(fellow_ids)
    for finding in findings:
        if finding.start < hi and finding.end > lo:
            tally[finding.fellow_id, finding.rule, finding.severity] += 1
            fellows.add(finding.fellow_id)
    rows: list[FellowCompliance] = []
    for fellow_id in sorted(fellows):
        counts = tuple(
            RuleCount(
                rule,
                tally[fellow_id, rule, Severity.VIOLATION],
                tally[fellow_id, rule, Severity.WARNING],
            )
            for rule in Rule
        )
        rows.append(
            FellowCompliance(
                fellow_id,
                counts,
                sum(c.violations for c in counts),
                sum(c.warnings for c in counts),
            )
        )
    return ComplianceReport(
        start,
        end,
        tuple(rows),
        sum(r.violations for r in rows),
        sum(r.warnings for r in rows),
    )
