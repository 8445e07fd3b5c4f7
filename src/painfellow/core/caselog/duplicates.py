"""Duplicate rows within one case-log import (pure).

Two rows are duplicates when they describe the same case in every recorded respect: the
same fellow (an import belongs to one fellow), procedure, role, image guidance,
supervising faculty, region, spinal levels (in any order), side, intent, complications
(in any order), age band, sex and note (compared without case or surrounding spaces), on
the same logged day (every row of one import is logged the day it is imported). Such a
pair is almost always a row pasted twice; two genuinely identical cases on one day can be
told apart by a note (e.g. "second case"). Entries already in the log are not compared:
the log holds no procedure date, so an earlier identical case is not a duplicate.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DuplicateRow:
    line: int
    first_line: int  # the earlier row it repeats


def case_key(
    *,
    fellow_id: int,
    procedure_id: str,
    role: str,
    guidance: str,
    supervisor_id: int | None,
    region: str | None,
    levels: Collection[str],
    laterality: str | None,
    intent: str | None,
    complications: Collection[str],
    age_band: str,
    sex: str,
    note: str,
    logged_on: date,
) -> Hashable:
    """The values that make two rows the same case (see the module docstring)."""
    return (
        fellow_id, procedure_id, role, guidance, supervisor_id, region,
        frozenset(levels), laterality, intent, frozenset(complications), age_band, sex,
        " ".join(note.split()).casefold(), logged_on,
    )  # fmt: skip


def find_duplicates(keyed_rows: Iterable[tuple[int, Hashable]]) -> list[DuplicateRow]:
    """Each row whose key an earlier row already has, with that earlier row's line."""
    first: dict[Hashable, int] = {}
    out: list[DuplicateRow] = []
    for line, key in keyed_rows:
        if key in first:
            out.append(DuplicateRow(line, first[key]))
        else:
            first[key] = line
    return out
