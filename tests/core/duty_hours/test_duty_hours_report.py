"""Program compliance report: per-fellow counts per rule over a date range."""

from __future__ import annotations

from datetime import date, datetime

from painfellow.core.duty_hours import (
    Finding,
    Rule,
    Severity,
    Shift,
    ShiftKind,
    academic_calendar,
    check_shifts,
    compliance_report,
)


def finding(fellow: str, rule: Rule, severity: Severity, start: str, end: str) -> Finding:
    return Finding(
        fellow,
        rule,
        severity,
        datetime.fromisoformat(start),
        datetime.fromisoformat(end),
        1.0,
        1.0,
        1.0,
        "hours",
        "",
    )


FINDINGS = [
    finding("B", Rule.CONTINUOUS_24H, Severity.WARNING, "2024-07-02T07:00", "2024-07-03T08:00"),
    finding("B", Rule.CONTINUOUS_24H, Severity.WARNING, "2024-07-09T07:00", "2024-07-10T08:00"),
    finding("B", Rule.DAY_OFF, Severity.VIOLATION, "2024-07-01T00:00", "2024-07-29T00:00"),
    finding("A", Rule.REST_AFTER_24H, Severity.VIOLATION, "2024-08-03T07:00", "2024-08-03T18:00"),
]


def counts(report_row: object) -> dict[str, tuple[int, int]]:
    return {
        c.rule.value: (c.violations, c.warnings)
        for c in report_row.counts
        if c.violations or c.warnings
    }  # type: ignore[attr-defined]


def test_counts_violations_and_warnings_per_fellow_and_rule() -> None:
    report = compliance_report(FINDINGS, date(2024, 7, 1), date(2024, 8, 31))
    assert [r.fellow_id for r in report.fellows] == ["A", "B"]
    a, b = report.fellows
    assert counts(a) == {"WH3_post_24h_inhouse_call_rest": (1, 0)}
    assert counts(b) == {"WH5_max_continuous_scheduled": (0, 2), "WH4_day_off_in_seven": (1, 0)}
    assert (b.violations, b.warnings) == (1, 2)
    assert (report.violations, report.warnings) == (2, 2)
    assert len(a.counts) == len(Rule)


def test_only_findings_touching_the_range_count() -> None:
    report = compliance_report(FINDINGS, date(2024, 7, 5), date(2024, 7, 9))
    [b] = report.fellows
    assert counts(b) == {"WH5_max_continuous_scheduled": (0, 1), "WH4_day_off_in_seven": (1, 0)}
    assert compliance_report(FINDINGS, date(2024, 7, 29), date(2024, 8, 2)).fellows == ()


def test_listed_fellows_without_findings_show_zeros() -> None:
    report = compliance_report(FINDINGS, date(2024, 8, 1), date(2024, 8, 31), fellow_ids=["C"])
    assert [(r.fellow_id, r.violations, r.warnings) for r in report.fellows] == [
        ("A", 1, 0),
        ("C", 0, 0),
    ]


def test_report_over_engine_findings() -> None:
    shifts = [
        Shift("F1", datetime(2024, 7, 2, 7), datetime(2024, 7, 3, 12), ShiftKind.IN_HOUSE_CALL),
        Shift("F1", datetime(2024, 7, 3, 18), datetime(2024, 7, 3, 22), ShiftKind.IN_HOUSE),
    ]
    found = check_shifts(shifts, academic_calendar(date(2024, 7, 1), date(2024, 7, 1)))
    [row] = compliance_report(found, date(2024, 7, 1), date(2024, 7, 31)).fellows
    assert counts(row) == {
        "WH6_transition_addon": (1, 0),
        "WH3_post_24h_inhouse_call_rest": (1, 0),
        "WH2_rest_between_periods": (0, 1),
    }
