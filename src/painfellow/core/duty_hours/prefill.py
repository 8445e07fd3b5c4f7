"""Shifts derived from a rotation's default hours, for a fellow to confirm (pure).

A rotation may carry default shift hours (start, end, weekdays, kind). A fellow on that
rotation in a block is offered one shift per matching weekday of the block; the fellow
confirms or edits it before it becomes a logged shift (nothing is logged automatically:
the log is the fellow's attestation of the hours actually worked).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from painfellow.core.duty_hours.shifts import ShiftKind


@dataclass(frozen=True, slots=True)
class ShiftTemplate:
    """Default hours of a rotation. ``weekdays`` are ISO numbers, 1 = Monday .. 7 = Sunday.
    An ``end`` at or before ``start`` ends on the next day (a night or a 24-h call)."""

    start: time
    end: time
    weekdays: frozenset[int]
    kind: ShiftKind

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= frozenset(range(1, 8)):
            raise ValueError("weekdays must be ISO weekday numbers 1..7, at least one")

    def on(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.start)
        end = datetime.combine(day, self.end)
        if end <= start:
            end += timedelta(days=1)
        return start, end


@dataclass(frozen=True, slots=True)
class PlannedShift:
    start: datetime
    end: datetime
    kind: ShiftKind
    rotation: str


@dataclass(frozen=True, slots=True)
class RotationSpan:
    """A fellow on a rotation from ``first_day`` to ``last_day`` (inclusive)."""

    first_day: date
    last_day: date
    rotation: str
    template: ShiftTemplate | None


def planned_shifts(
    spans: Iterable[RotationSpan], first_day: date, last_day: date
) -> list[PlannedShift]:
    """The shifts the spans' templates give on the days ``first_day``..``last_day``
    (inclusive), ordered by start. A shift belongs to the day it starts on."""
    out: list[PlannedShift] = []
    for span in spans:
        if span.template is None:
            continue
        day = max(first_day, span.first_day)
        last = min(last_day, span.last_day)
        while day <= last:
            if day.isoweekday() in span.template.weekdays:
                start, end = span.template.on(day)
                out.append(PlannedShift(start, end, span.template.kind, span.rotation))
            day += timedelta(days=1)
    return sorted(out, key=lambda s: s.start)
