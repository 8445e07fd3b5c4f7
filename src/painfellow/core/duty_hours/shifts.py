"""Shift kinds, the shift record and the columnar shift table the rule engine works on.

Times are local wall-clock date-times as the fellow logs them (no UTC offset). Internally they
are whole seconds since 1970-01-01T00:00 on that wall clock, so calendar days are exact
multiples of 86,400 s. Daylight-saving changes are not modelled: a night shift across a DST
change is taken at its wall-clock length. Sub-second parts are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum

import numpy as np
import numpy.typing as npt

SECONDS_PER_HOUR = 3600
SECONDS_PER_DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1)

Int64Array = npt.NDArray[np.int64]
Int8Array = npt.NDArray[np.int8]


class ShiftKind(StrEnum):
    """What a logged stretch of time was, as named in the CSV contract of issue 5.

    Counting follows ACGME CPR VI.F (training-rules.md section 2): every kind except
    ``leave`` is clinical or educational work (WH1, WH9, WH15). ``home_call_worked`` is only
    the time actually worked while on at-home call; pager time is not logged at all.
    """

    IN_HOUSE = "in_house"
    IN_HOUSE_CALL = "in_house_call"
    HOME_CALL_WORKED = "home_call_worked"
    EDUCATIONAL = "educational"
    MOONLIGHTING_INTERNAL = "moonlighting_internal"
    MOONLIGHTING_EXTERNAL = "moonlighting_external"
    LEAVE = "leave"


class KindCode(IntEnum):
    """Small integer codes of :class:`ShiftKind`, used in the array engine."""

    IN_HOUSE = 0
    IN_HOUSE_CALL = 1
    HOME_CALL_WORKED = 2
    EDUCATIONAL = 3
    MOONLIGHTING_INTERNAL = 4
    MOONLIGHTING_EXTERNAL = 5
    LEAVE = 6


KIND_CODES: dict[ShiftKind, KindCode] = {kind: KindCode[kind.name] for kind in ShiftKind}
KINDS_BY_CODE: dict[int, ShiftKind] = {int(code): kind for kind, code in KIND_CODES.items()}

#: Kinds whose time is work (counts toward 80 h, breaks a day off, chains continuous work).
WORK_KINDS: frozenset[ShiftKind] = frozenset(ShiftKind) - {ShiftKind.LEAVE}
#: Kinds that are in-house work for the 14-hours-free-after-24-hours rule (WH3).
IN_HOUSE_KINDS: frozenset[ShiftKind] = frozenset({ShiftKind.IN_HOUSE, ShiftKind.IN_HOUSE_CALL})
#: Kinds that are scheduled work periods for the 8-hours-between-shifts rule (WH2). At-home
#: call work is unscheduled (a page answered from home), so it neither opens nor closes one.
SCHEDULED_KINDS: frozenset[ShiftKind] = WORK_KINDS - {ShiftKind.HOME_CALL_WORKED}


def to_seconds(moment: datetime) -> int:
    """Wall-clock seconds since 1970-01-01T00:00 of a naive local date-time (no rule)."""
    if moment.tzinfo is not None:
        raise ValueError(f"expected a local date-time without UTC offset, got {moment}")
    days = moment.toordinal() - _EPOCH_ORDINAL
    return days * SECONDS_PER_DAY + moment.hour * 3600 + moment.minute * 60 + moment.second


def from_seconds(seconds: int) -> datetime:
    """Inverse of :func:`to_seconds` (no rule)."""
    return _EPOCH + timedelta(seconds=int(seconds))


def day_seconds(day: date) -> int:
    """Seconds of the midnight that starts ``day`` (no rule)."""
    return (day.toordinal() - _EPOCH_ORDINAL) * SECONDS_PER_DAY


@dataclass(frozen=True, slots=True)
class Shift:
    """One logged stretch of time of one fellow: ``[start, end)``, local wall clock."""

    fellow_id: str
    start: datetime
    end: datetime
    kind: ShiftKind

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("shift times are local date-times without UTC offset")
        if self.end <= self.start:
            raise ValueError(f"shift of {self.fellow_id} ends at or before its start")

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / SECONDS_PER_HOUR


def _frozen(array: npt.NDArray[np.generic]) -> None:
    array.flags.writeable = False


@dataclass(frozen=True, eq=False)
class ShiftTable:
    """Shifts of many fellows as parallel arrays, sorted by (fellow, start).

    ``fellow[i]`` indexes ``fellow_ids``; ``start``/``end`` are wall-clock seconds (see the
    module docstring); ``kind`` holds :class:`KindCode` values. Build it with
    :meth:`from_arrays` or :meth:`from_shifts`, which validate, sort and freeze the arrays.
    """

    fellow_ids: tuple[str, ...]
    fellow: Int64Array
    start: Int64Array
    end: Int64Array
    kind: Int8Array

    def __len__(self) -> int:
        return int(self.start.shape[0])

    @classmethod
    def from_arrays(
        cls,
        fellow_ids: Sequence[str],
        fellow: npt.ArrayLike,
        start: npt.ArrayLike,
        end: npt.ArrayLike,
        kind: npt.ArrayLike,
    ) -> ShiftTable:
        """Validate (lengths, ids, end after start, known kinds), sort and freeze."""
        fel = np.asarray(fellow, dtype=np.int64)
        sta = np.asarray(start, dtype=np.int64)
        end_ = np.asarray(end, dtype=np.int64)
        kin = np.asarray(kind, dtype=np.int8)
        if not (fel.ndim == sta.ndim == end_.ndim == kin.ndim == 1):
            raise ValueError("shift arrays must be one-dimensional")
        if not (fel.shape == sta.shape == end_.shape == kin.shape):
            raise ValueError("shift arrays must have the same length")
        if fel.size and (fel.min() < 0 or fel.max() >= len(fellow_ids)):
            raise ValueError("fellow index out of range of fellow_ids")
        if np.any(end_ <= sta):
            bad = int(np.flatnonzero(end_ <= sta)[0])
            raise ValueError(f"shift {bad} ends at or before its start")
        if kin.size and (kin.min() < 0 or kin.max() > max(KindCode)):
            raise ValueError("unknown shift kind code")
        order = np.lexsort((sta, fel))
        if fel.size and not np.all(order[1:] > order[:-1]):
            fel, sta, end_, kin = fel[order], sta[order], end_[order], kin[order]
        else:
            fel, sta, end_, kin = fel.copy(), sta.copy(), end_.copy(), kin.copy()
        for array in (fel, sta, end_, kin):
            _frozen(array)
        return cls(tuple(fellow_ids), fel, sta, end_, kin)

    @classmethod
    def from_shifts(cls, shifts: Iterable[Shift]) -> ShiftTable:
        """Build a table from shift records; fellow ids keep their first-seen order."""
        index: dict[str, int] = {}
        fellow: list[int] = []
        start: list[int] = []
        end: list[int] = []
        kind: list[int] = []
        for shift in shifts:
            fellow.append(index.setdefault(shift.fellow_id, len(index)))
            start.append(to_seconds(shift.start))
            end.append(to_seconds(shift.end))
            kind.append(KIND_CODES[ShiftKind(shift.kind)])
        return cls.from_arrays(list(index), fellow, start, end, kind)

    def to_shifts(self) -> list[Shift]:
        """The rows back as :class:`Shift` records, in table order."""
        return [
            Shift(self.fellow_ids[f], from_seconds(s), from_seconds(e), KINDS_BY_CODE[k])
            for f, s, e, k in zip(
                self.fellow.tolist(),
                self.start.tolist(),
                self.end.tolist(),
                self.kind.tolist(),
                strict=True,
            )
        ]


@dataclass(frozen=True, slots=True)
class Overlap:
    """Two shifts of one fellow that overlap in time (row indices into the table)."""

    fellow_id: str
    first: int
    second: int


def find_overlaps(table: ShiftTable) -> list[Overlap]:
    """Pairs of consecutive shifts of one fellow that overlap.

    A fellow cannot log two things at once, so the engine refuses overlapping input (the CLI
    contract of issue 5 makes it a bad-input error). Touching shifts (end == next start) do
    not overlap. In a table sorted by start, some overlap exists iff a consecutive pair
    overlaps, so checking neighbours is enough to detect it; indices refer to table order.
    """
    if len(table) < 2:
        return []
    same = table.fellow[1:] == table.fellow[:-1]
    clash = np.flatnonzero(same & (table.start[1:] < table.end[:-1]))
    return [
        Overlap(table.fellow_ids[int(table.fellow[i])], int(i), int(i) + 1) for i in clash.tolist()
    ]
