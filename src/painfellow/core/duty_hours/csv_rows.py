"""Parse shift rows from CSV text (strings in; the caller opens the file).

Contract of issue 5: a header naming ``fellow_id,start,end,kind`` (any order), then one
row per shift with ISO 8601 local date-times and a kind from :class:`ShiftKind`. Errors
name the 1-based line number (the header is line 1) and the reason.
"""

from __future__ import annotations

import csv
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from painfellow.core.duty_hours.shifts import (
    KIND_CODES,
    Int64Array,
    ShiftKind,
    ShiftTable,
    find_overlaps,
    from_seconds,
    to_seconds,
)

COLUMNS = ("fellow_id", "start", "end", "kind")
_KINDS = {kind.value: int(code) for kind, code in KIND_CODES.items()}


class ShiftInputError(ValueError):
    """Bad shift input, with the 1-based line number it was found on."""

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason
        super().__init__(f"line {line}: {reason}")


@dataclass(frozen=True, eq=False)
class ParsedShifts:
    """The shift table and, for each of its rows, the line it came from."""

    table: ShiftTable
    lines: Int64Array


def _parse_time(text: str, column: str, line: int) -> int:
    try:
        if len(text) <= 10:  # a bare date has no time of day: ambiguous for a shift
            raise ValueError
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ShiftInputError(
            line,
            f"malformed date-time in column '{column}': {text!r} (expected e.g. 2024-07-01T07:00)",
        ) from None
    if moment.tzinfo is not None:
        raise ShiftInputError(
            line, f"date-time in column '{column}' has a UTC offset: {text!r}; use local time"
        )
    return to_seconds(moment)


def parse_shift_rows(lines: Iterable[str]) -> ParsedShifts:
    """Parse CSV lines (header first) into a validated, sorted :class:`ShiftTable`.

    Enforces the input contract of issue 5: every column present, known kind, well-formed
    local date-times, end after start, and no two shifts of one fellow overlapping (a
    fellow cannot log two things at once; touching shifts are fine). Blank lines are
    skipped. Raises :class:`ShiftInputError` naming the first offending line.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(reader, None)
    if header is None:
        raise ShiftInputError(1, "empty input: expected the header " + ",".join(COLUMNS))
    names = [cell.strip().lstrip("\ufeff") for cell in header]
    for column in COLUMNS:
        if column not in names:
            raise ShiftInputError(reader.line_num, f"missing column '{column}' in the header")
    i_fellow, i_start, i_end, i_kind = (names.index(c) for c in COLUMNS)
    width = len(names)

    ids: dict[str, int] = {}
    times: dict[str, int] = {}
    # Compact typed arrays: a year of a large program is millions of rows.
    fellow = array("q")
    start = array("q")
    end = array("q")
    kind = array("b")
    line_of = array("q")
    for row in reader:
        line = reader.line_num
        if len(row) < width:
            if not any(cell.strip() for cell in row):
                continue
            missing = names[len(row)]
            raise ShiftInputError(line, f"missing column '{missing}'")
        if len(row) > width:
            raise ShiftInputError(line, f"{len(row)} values but the header has {width} columns")
        values = [row[i].strip() for i in (i_fellow, i_start, i_end, i_kind)]
        for column, value in zip(COLUMNS, values, strict=True):
            if not value:
                raise ShiftInputError(line, f"missing value in column '{column}'")
        fellow_text, start_text, end_text, kind_text = values
        code = _KINDS.get(kind_text)
        if code is None:
            raise ShiftInputError(
                line,
                f"unknown kind {kind_text!r} (expected one of "
                + ", ".join(k.value for k in ShiftKind)
                + ")",
            )
        s = times.get(start_text)
        if s is None:
            s = times[start_text] = _parse_time(start_text, "start", line)
        e = times.get(end_text)
        if e is None:
            e = times[end_text] = _parse_time(end_text, "end", line)
        if e < s:
            raise ShiftInputError(line, f"end {end_text} is before start {start_text}")
        if e == s:
            raise ShiftInputError(line, f"end {end_text} equals start (empty shift)")
        fellow.append(ids.setdefault(fellow_text, len(ids)))
        start.append(s)
        end.append(e)
        kind.append(code)
        line_of.append(line)

    fel = np.frombuffer(fellow, dtype=np.int64)
    sta = np.frombuffer(start, dtype=np.int64)
    order = np.lexsort((sta, fel))
    lines_sorted = np.frombuffer(line_of, dtype=np.int64)[order]
    table = ShiftTable.from_arrays(
        list(ids),
        fel[order],
        sta[order],
        np.frombuffer(end, dtype=np.int64)[order],
        np.frombuffer(kind, dtype=np.int8)[order],
    )
    overlaps = find_overlaps(table)
    if overlaps:
        # Report the pair whose later line comes first in the file.
        def later(pair_index: int) -> int:
            o = overlaps[pair_index]
            return max(int(lines_sorted[o.first]), int(lines_sorted[o.second]))

        o = overlaps[min(range(len(overlaps)), key=later)]
        a, b = sorted((o.first, o.second), key=lambda i: int(lines_sorted[i]))

        def span(i: int) -> str:
            return (
                f"{from_seconds(int(table.start[i])).isoformat()}.."
                f"{from_seconds(int(table.end[i])).isoformat()}"
            )

        raise ShiftInputError(
            int(lines_sorted[b]),
            f"shift {span(b)} of fellow {o.fellow_id} overlaps the shift {span(a)} "
            f"on line {int(lines_sorted[a])}",
        )
    return ParsedShifts(table, lines_sorted)
