"""ACGME clinical and educational work-hour rules over logged shifts (pure core).

Sources: ACGME Common Program Requirements VI.F, summarised in
``training-rules.md`` section 2 and encoded as data in section 9 (``work_hours``).
"""

from painfellow.core.duty_hours.csv_rows import (
    COLUMNS,
    ParsedShifts,
    ShiftInputError,
    parse_shift_rows,
)
from painfellow.core.duty_hours.findings import (
    SEVERITY,
    Finding,
    FindingTable,
    Rule,
    Severity,
)
from painfellow.core.duty_hours.outlook import Outlook, PreBreachAlert, breach_outlook
from painfellow.core.duty_hours.periods import (
    PERIOD_DAYS,
    Period,
    PeriodCalendar,
    academic_calendar,
    academic_year_periods,
    block_calendar,
    program_calendar,
    year_start_of,
)
from painfellow.core.duty_hours.prefill import (
    PlannedShift,
    RotationSpan,
    ShiftTemplate,
    planned_shifts,
)
from painfellow.core.duty_hours.report import (
    ComplianceReport,
    FellowCompliance,
    RuleCount,
    compliance_report,
)
from painfellow.core.duty_hours.rolling import (
    WARN_AVERAGE_HOURS,
    RollingAverage,
    rolling_average,
)
from painfellow.core.duty_hours.rules import (
    DEFAULT_LIMITS,
    DutyHourLimits,
    OverlappingShiftsError,
    check_shift_table,
    check_shifts,
)
from painfellow.core.duty_hours.shifts import (
    IN_HOUSE_KINDS,
    SCHEDULED_KINDS,
    WORK_KINDS,
    KindCode,
    Overlap,
    Shift,
    ShiftKind,
    ShiftTable,
    find_overlaps,
    from_seconds,
    to_seconds,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_LIMITS",
    "IN_HOUSE_KINDS",
    "PERIOD_DAYS",
    "SCHEDULED_KINDS",
    "SEVERITY",
    "WARN_AVERAGE_HOURS",
    "WORK_KINDS",
    "ComplianceReport",
    "DutyHourLimits",
    "FellowCompliance",
    "Finding",
    "FindingTable",
    "KindCode",
    "Outlook",
    "Overlap",
    "OverlappingShiftsError",
    "ParsedShifts",
    "Period",
    "PeriodCalendar",
    "PlannedShift",
    "PreBreachAlert",
    "RollingAverage",
    "RotationSpan",
    "Rule",
    "RuleCount",
    "Severity",
    "Shift",
    "ShiftInputError",
    "ShiftKind",
    "ShiftTable",
    "ShiftTemplate",
    "academic_calendar",
    "academic_year_periods",
    "block_calendar",
    "breach_outlook",
    "check_shift_table",
    "check_shifts",
    "compliance_report",
    "find_overlaps",
    "from_seconds",
    "parse_shift_rows",
    "planned_shifts",
    "program_calendar",
    "rolling_average",
    "to_seconds",
    "year_start_of",
]
