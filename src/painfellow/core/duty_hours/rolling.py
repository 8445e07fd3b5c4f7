"""Rolling 28-day average: an early warning, not an ACGME rule (pure).

The ACGME 80-hour rule is judged per fixed 4-week period (``periods.py``). A fellow can be
within every fixed period and still work more than 80 h/week over the 28 days that straddle
two periods; the program is told before the next period's average goes over. The warning
uses every work kind (leave excluded, never in the denominator here: the plain 28-day
average is what a fellow can check by hand).

Threshold: the warning starts at an average of **75 h/week** (``WARN_AVERAGE_HOURS``,
"approaching") and is "over" above 80 h/week.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from painfellow.core.duty_hours.shifts import Shift, ShiftKind

WINDOW_DAYS = 28
WARN_AVERAGE_HOURS = 75.0
CAP_AVERAGE_HOURS = 80.0


@dataclass(frozen=True, slots=True)
class RollingAverage:
    fellow_id: str
    window_start: datetime
    window_end: datetime
    hours: float
    average: float  # hours per week over the window
    level: str  # "ok" | "approaching" | "over"

    @property
    def warns(self) -> bool:
        return self.level != "ok"

    @property
    def detail(self) -> str:
        if self.level == "over":
            state = f"over the {CAP_AVERAGE_HOURS:g} h/week limit"
        elif self.level == "approaching":
            state = (
                f"approaching the {CAP_AVERAGE_HOURS:g} h/week limit "
                f"(warning from {WARN_AVERAGE_HOURS:g} h)"
            )
        else:
            state = "within the limit"
        return (
            f"{self.hours:.1f} h worked in the 28 days "
            f"{self.window_start:%Y-%m-%d %H:%M}–{self.window_end:%Y-%m-%d %H:%M}: "
            f"{self.average:.1f} h/week, {state}"
        )


def rolling_average(
    shifts: Iterable[Shift], fellow_id: str, now: datetime, *, warn_at: float = WARN_AVERAGE_HOURS
) -> RollingAverage:
    """Hours of work in the 28 days ending at ``now`` (parts of shifts inside the window
    only; time after ``now`` does not count) and their weekly average."""
    start = now - timedelta(days=WINDOW_DAYS)
    seconds = 0.0
    for shift in shifts:
        if shift.fellow_id != fellow_id or shift.kind is ShiftKind.LEAVE:
            continue
        overlap = (min(shift.end, now) - max(shift.start, start)).total_seconds()
        seconds += max(0.0, overlap)
    hours = seconds / 3600
    average = hours * 7 / WINDOW_DAYS
    if average > CAP_AVERAGE_HOURS:
        level = "over"
    elif average >= warn_at:
        level = "approaching"
    else:
        level = "ok"
    return RollingAverage(fellow_id, start, now, hours, average, level)
