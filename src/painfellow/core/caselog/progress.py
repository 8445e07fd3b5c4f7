"""Progress toward per-category minimums, projected completion, complication rates.

Sources: training-rules.md section 1.5 (procedure families; ACGME numeric minimums are
UNCONFIRMED, "keep minimums as per-program configurable thresholds, default none") and
section 9 (``case_log``: ``acgme_minimums: null``, roles a configurable design choice).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

from painfellow.core.caselog.entry import NO_COMPLICATION, CaseLogEntry
from painfellow.core.caselog.taxonomy import get_procedure
from painfellow.core.caselog.vocab import CATEGORIES, CATEGORY_LABELS, ROLES

#: Roles whose cases count toward a minimum unless the program says otherwise: the fellow
#: did the procedure (supervised or alone) or taught it. Observing and assisting do not
#: count. A design choice (training-rules.md section 9 lists fellow roles as [U]).
DEFAULT_COUNTING_ROLES: Final[frozenset[str]] = frozenset(
    {"performed_supervised", "performed_independent", "taught"}
)

#: Default minimum per category: ``None`` (no minimum) everywhere. No ACGME pain-medicine
#: minimum is confirmed (training-rules.md 1.5 and 7.3: "Do NOT encode it"), so every
#: program sets its own; see :data:`MINIMUMS_CONFIRMED`.
DEFAULT_MINIMUMS: Final[Mapping[str, int | None]] = MappingProxyType(
    dict.fromkeys(CATEGORIES, None)
)

#: False while no default minimum comes from a confirmed source.
MINIMUMS_CONFIRMED: Final[bool] = False


@dataclass(frozen=True, slots=True)
class CategoryProgress:
    """One category of a case log: cases that count, cases that do not (by role), and the
    program's minimum (``None``: no minimum set)."""

    category: str
    label: str
    counted: int
    not_counted: int
    minimum: int | None

    @property
    def remaining(self) -> int | None:
        """Cases still needed; ``None`` when there is no minimum."""
        if self.minimum is None:
            return None
        return max(0, self.minimum - self.counted)

    @property
    def met(self) -> bool | None:
        """Whether the minimum is reached; ``None`` when there is no minimum."""
        if self.minimum is None:
            return None
        return self.counted >= self.minimum


def check_minimums(minimums: Mapping[str, int | None]) -> None:
    """Raise ``ValueError`` unless every key is a case-log category and every value is
    ``None`` or a whole number >= 0 (minimums are program configuration, training-rules.md
    1.5)."""
    for category, minimum in minimums.items():
        if category not in CATEGORY_LABELS:
            raise ValueError(f"unknown case-log category {category!r}")
        if minimum is not None and (
            isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 0
        ):
            raise ValueError(f"minimum for {category} must be None or an int >= 0")


def _check_roles(counting_roles: frozenset[str]) -> None:
    unknown = sorted(counting_roles - set(ROLES))
    if unknown:
        raise ValueError(f"unknown roles: {', '.join(unknown)}")


def category_of(entry: CaseLogEntry) -> str:
    """The case-log category of an entry's procedure (taxonomy data, clinical-reference.md
    6 mapped onto training-rules.md section 9 categories). Raises
    :class:`taxonomy.UnknownProcedureError` for a procedure not in the taxonomy."""
    return get_procedure(entry.procedure_id).category


def progress(
    entries: Iterable[CaseLogEntry],
    minimums: Mapping[str, int | None] = DEFAULT_MINIMUMS,
    *,
    counting_roles: frozenset[str] = DEFAULT_COUNTING_ROLES,
) -> tuple[CategoryProgress, ...]:
    """Per-category counts of the given entries against the program's minimums, one row per
    category in display order. Pass one fellow's entries (see :func:`progress_by_fellow`).

    Rule: a case counts toward its category's minimum when the fellow's role is in
    ``counting_roles`` (default :data:`DEFAULT_COUNTING_ROLES`: performed supervised,
    performed independently, taught; observed and assisted do not); one entry is one case,
    whatever its number of levels. Minimums are per-program settings (training-rules.md
    1.5; categories missing from ``minimums`` have none). Raises ``ValueError`` for bad
    minimums or roles.
    """
    check_minimums(minimums)
    _check_roles(counting_roles)
    counted: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for entry in entries:
        (counted if entry.role in counting_roles else other)[category_of(entry)] += 1
    return tuple(
        CategoryProgress(
            category=category,
            label=label,
            counted=counted[category],
            not_counted=other[category],
            minimum=minimums.get(category),
        )
        for category, label in CATEGORY_LABELS.items()
    )


def progress_by_fellow(
    entries: Iterable[CaseLogEntry],
    minimums: Mapping[str, int | None] = DEFAULT_MINIMUMS,
    *,
    counting_roles: frozenset[str] = DEFAULT_COUNTING_ROLES,
) -> dict[int, tuple[CategoryProgress, ...]]:
    """:func:`progress` for each fellow who has entries, keyed by fellow id in id order
    (same rule and source)."""
    by_fellow: dict[int, list[CaseLogEntry]] = defaultdict(list)
    for entry in entries:
        by_fellow[entry.fellow_id].append(entry)
    return {
        fellow_id: progress(by_fellow[fellow_id], minimums, counting_roles=counting_roles)
        for fellow_id in sorted(by_fellow)
    }


def dated_counts(
    entries: Iterable[CaseLogEntry],
    category: str,
    *,
    counting_roles: frozenset[str] = DEFAULT_COUNTING_ROLES,
) -> tuple[tuple[date, int], ...]:
    """Counted cases of one category per date, in date order: the input of
    :func:`projected_completion` (same counting rule as :func:`progress`)."""
    if category not in CATEGORY_LABELS:
        raise ValueError(f"unknown case-log category {category!r}")
    _check_roles(counting_roles)
    per_day: Counter[date] = Counter(
        e.performed_on for e in entries if e.role in counting_roles and category_of(e) == category
    )
    return tuple(sorted(per_day.items()))


@dataclass(frozen=True, slots=True)
class Projection:
    """When a minimum is (or will be, at the current pace) reached.

    ``completion`` is the day the minimum was reached when ``already_met``, otherwise the
    projected day, or ``None`` when there is no pace yet. ``before_end`` says whether that
    day is on or before the end of training (False when ``completion`` is None).
    ``pace_per_30_days`` is the counted cases since the start per 30 days.
    """

    completion: date | None
    already_met: bool
    before_end: bool
    counted: int
    remaining: int
    pace_per_30_days: float


def projected_completion(
    counts: Iterable[tuple[date, int]],
    minimum: int,
    start: date,
    today: date,
    end_of_training: date,
) -> Projection:
    """Project the day a category's minimum is reached at the fellow's pace so far.

    Rule (program design, no external source): cases dated up to ``today`` count; the pace
    is the cases dated from ``start`` to ``today`` (both inclusive) divided by those days;
    the projection is ``today`` plus the whole days the remaining cases need at that pace
    (rounded up). Cases before ``start`` (e.g. carried over) count toward the total but not
    the pace; cases after ``today`` are ignored. With no case since ``start`` (or ``today``
    before ``start``) there is no pace and no projection. The caller passes ``today``: core
    never reads the clock. Raises ``ValueError`` for a negative minimum or count, or an end
    of training before the start.
    """
    if minimum < 0:
        raise ValueError("minimum must be >= 0")
    if end_of_training < start:
        raise ValueError("end of training is before the start")
    ordered = sorted(counts)
    if any(n < 0 for _, n in ordered):
        raise ValueError("counts must be >= 0")
    elapsed = (today - start).days + 1
    in_window = sum(n for d, n in ordered if start <= d <= today)
    counted = 0
    reached: date | None = start if minimum == 0 else None
    for day, n in ordered:
        if day > today:
            break
        counted += n
        if reached is None and counted >= minimum:
            reached = day
    pace = in_window * 30 / elapsed if elapsed > 0 else 0.0
    remaining = max(0, minimum - counted)
    if reached is not None:
        return Projection(reached, True, reached <= end_of_training, counted, 0, pace)
    if elapsed <= 0 or in_window == 0:
        return Projection(None, False, False, counted, remaining, pace)
    days_needed = -(-remaining * elapsed // in_window)  # ceil, in whole numbers
    completion = today + timedelta(days=days_needed)
    return Projection(completion, False, completion <= end_of_training, counted, remaining, pace)


@dataclass(frozen=True, slots=True)
class Rate:
    """Cases and cases with at least one complication; ``rate`` is their ratio."""

    cases: int
    with_complication: int

    @property
    def rate(self) -> float | None:
        """The complication rate, ``None`` with no cases."""
        return self.with_complication / self.cases if self.cases else None


@dataclass(frozen=True, slots=True)
class CategoryComplications:
    """One category: the program's pooled rate, each fellow's rate, and the events
    recorded (code, number of cases), most frequent first."""

    category: str
    label: str
    program: Rate
    fellows: tuple[tuple[int, Rate], ...]
    events: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class FellowComplications:
    """One fellow: the overall rate and the rate per category, each next to the program's
    pooled rate for the same cases (``program_by_category``)."""

    fellow_id: int
    overall: Rate
    by_category: tuple[tuple[str, Rate], ...]
    program_overall: Rate
    program_by_category: tuple[tuple[str, Rate], ...]


@dataclass(frozen=True, slots=True)
class ComplicationReport:
    """Complication rates of a program's case logs (see :func:`complication_rates`)."""

    program: Rate
    by_category: tuple[CategoryComplications, ...]
    by_fellow: tuple[FellowComplications, ...]


def complication_rates(
    entries: Iterable[CaseLogEntry],
    *,
    counting_roles: frozenset[str] | None = DEFAULT_COUNTING_ROLES,
) -> ComplicationReport:
    """Complication rates per category and per fellow, with the program average.

    Rule (program design; the complication vocabulary is clinical-reference.md 1.2/1.3):
    a case has a complication when it records any code other than "none"; a rate is cases
    with a complication over cases; the program average is pooled over all fellows' cases
    (every case weighs the same). Only cases in ``counting_roles`` are attributed (default:
    the hands-on roles of :data:`DEFAULT_COUNTING_ROLES`; ``None`` takes every role).
    Entries recording no complication value at all are left out. Categories and fellows
    with no case are left out; categories come in display order, fellows in id order.
    """
    if counting_roles is not None:
        _check_roles(counting_roles)
    cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    events: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        if counting_roles is not None and entry.role not in counting_roles:
            continue
        if not entry.complications:
            continue
        category = category_of(entry)
        cell = cells[(category, entry.fellow_id)]
        cell[0] += 1
        codes = [c for c in entry.complications if c != NO_COMPLICATION]
        if codes:
            cell[1] += 1
            events[category].update(set(codes))

    def pooled(keys: Iterable[tuple[str, int]]) -> Rate:
        cases = sum(cells[k][0] for k in keys)
        return Rate(cases, sum(cells[k][1] for k in keys))

    fellow_ids = sorted({f for _, f in cells})
    used = [c for c in CATEGORIES if any(k[0] == c for k in cells)]
    program_cat = {c: pooled([k for k in cells if k[0] == c]) for c in used}
    by_category = tuple(
        CategoryComplications(
            category=c,
            label=CATEGORY_LABELS[c],
            program=program_cat[c],
            fellows=tuple(
                (f, Rate(cells[(c, f)][0], cells[(c, f)][1])) for f in fellow_ids if (c, f) in cells
            ),
            events=tuple(sorted(events[c].items(), key=lambda item: (-item[1], item[0]))),
        )
        for c in used
    )
    program = pooled(list(cells))
    by_fellow = tuple(
        FellowComplications(
            fellow_id=f,
            overall=pooled([k for k in cells if k[1] == f]),
            by_category=tuple(
                (c, Rate(cells[(c, f)][0], cells[(c, f)][1])) for c in used if (c, f) in cells
            ),
            program_overall=program,
            program_by_category=tuple((c, program_cat[c]) for c in used if (c, f) in cells),
        )
        for f in fellow_ids
    )
    return ComplicationReport(program=program, by_category=by_category, by_fellow=by_fellow)
